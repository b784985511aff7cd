"""`borderlink serve` with the database backend runs a job worker beside gunicorn: an import
queued by another process is committed with nothing else started (as `make demo` runs it), and
stopping the server stops its worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.jobs.conftest import FAST
from tests.jobs.test_worker_process import ROWS, wait_for
from tests.safety.test_crash import PROJECT, Zygote
from tests.test_serve import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_serve_runs_the_worker_that_commits_a_queued_import(
    zygote: Zygote,
    crash_database: str,
    tmp_path: Path,
) -> None:
    zygote.ask(f"enqueue served {ROWS // 5}", "queued")
    server = subprocess.Popen(
        [sys.executable, "-m", "borderlink.cli", "serve", "--port", str(free_port())],
        cwd=PROJECT,
        env={
            **os.environ,
            "DATABASE_URL": crash_database,
            "BORDERLINK_VAR_DIR": str(tmp_path),
            "LOG_LEVEL": "WARNING",
            **FAST,
        },
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        final = wait_for(zygote, "served", lambda s: s["state"] != "writing")
        assert final["state"] == "done" and final["attempts"] == 1, final
        assert zygote.verify("served")["rows"] == ROWS // 5
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    # The worker went with the server: no process of the group is left.
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(server.pid, 0)
