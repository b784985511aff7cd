"""Other requests while an import writes (issue 16, item 8), measured with an import running in a
thread and requests made meanwhile (lock_probe.py).

PostgreSQL: everything goes on — the import holds only the rows it writes.
SQLite (one writer at a time): reads go on at once (WAL; an API key's "last used" stamp is skipped
rather than waited for); a write waits for the lock, and when the import outlasts the wait it is
told so in a 503 with Retry-After — never a 500 — and nothing of it is kept; a write allowed to
wait longer than the import succeeds once the import is done.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.registers.lock_probe import probe

ROOT = Path(__file__).resolve().parents[2]
QUICK = 3.0  # seconds: a read during the import answers within this


def outcome_waited(results: dict[str, Any]) -> bool:
    return bool(results["import"]["waited_after_import"])


def _check_reads(results: dict[str, Any]) -> None:
    for name in ("page_get", "api_get"):
        read = results[name]
        assert read["status"] == 200, (name, read)
        assert read["during_import"], f"{name}: the import ended first; the probe proves nothing"
        assert read["seconds"] < QUICK, (name, read["seconds"])


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_every_request_goes_on_during_an_import() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: see the next test")
    results = probe(rows=200)
    _check_reads(results)
    assert results["login"]["status"] == 302 and results["login"]["seconds"] < QUICK
    assert results["page_post"]["status"] == 302 and results["page_post"]["seconds"] < QUICK
    assert results["page_post"]["during_import"]
    assert results["api_post"]["status"] == 201 and results["api_post"]["seconds"] < QUICK
    assert results["import"]["status"] == "done"
    assert results["import"]["written"] == 200 + 2


@pytest.mark.django_db(transaction=True)  # no open transaction: the database can be copied
def test_on_sqlite_reads_go_on_and_writes_wait_then_hear_why(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL: see the previous test")
    # The test database as a file: WAL and file locks are what a server has.
    copy = tmp_path / "probe.sqlite3"
    target = sqlite3.connect(copy)
    connection.ensure_connection()
    connection.connection.backup(target)  # type: ignore[union-attr]
    target.close()
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{copy}",
        "SQLITE_BUSY_TIMEOUT": "2",  # shorter than the import: the writes give up
        "DJANGO_SETTINGS_MODULE": "borderlink.settings",
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.registers.lock_probe", "200", "600000", "60"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-6000:]
    results = json.loads(run.stdout.strip().splitlines()[-1])
    _check_reads(results)
    for name in ("login", "page_post", "api_post"):
        write = results[name]
        assert write["during_import"], f"{name}: the import ended first; the probe proves nothing"
        assert write["status"] == 503, (name, write["status"], write["body"][:300])
        assert write["retry_after"] == "60"
        assert 2 <= write["seconds"] < 2 + QUICK  # it waited for the lock, then stopped
    assert "try again in a minute" in results["api_post"]["body"]
    assert results["api_post"]["body"].startswith("{")  # the API answers in JSON
    assert 'id="busy-message"' in results["page_post"]["body"]
    waited = results["waiting_post"]  # allowed to wait longer than the import still writes
    assert waited["status"] == 302
    assert outcome_waited(results)  # it waited until the import's transaction ended
    outcome = results["import"]
    assert outcome["status"] == "done" and outcome["written"] == 200 + 1
    assert not outcome["page_post_kept"] and not outcome["api_post_kept"]
    assert outcome["waited_kept"]
