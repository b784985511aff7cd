"""`borderlink serve` runs a real WSGI server (gunicorn) that serves pages and static files."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_with_pages_and_static_files(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BORDERLINK_VAR_DIR": str(tmp_path),
    }
    cli = [sys.executable, "-m", "borderlink.cli"]
    subprocess.run([*cli, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*cli, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2) as response:
                    assert response.status == 200
                    assert "BorderLink" in response.read().decode()
                    assert "gunicorn" in response.headers.get("Server", "")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not answer")
        with urllib.request.urlopen(f"{base}/static/vendor/bootstrap/css/bootstrap.min.css") as css:
            assert css.status == 200 and b"Bootstrap" in css.read(2000)
        # A search for a person's ID number: the access log keeps the path, not the query.
        with urllib.request.urlopen(f"{base}/accounts/login/?q=002196001122", timeout=5):
            pass
    finally:
        server.terminate()
        server.wait(timeout=10)
    log = server.stdout.read().decode() if server.stdout else ""
    assert '"GET /accounts/login/"' in log
    assert "002196001122" not in log and "127.0.0.1 " not in log
