"""`borderlink worker` as a real process, on a database of its own (a file SQLite copy of the test
database, or a PostgreSQL copy): it picks up an import queued by another process; killed with
SIGKILL in the middle of the commit, it leaves nothing, and a new worker finishes the job once.
With TASKS_BACKEND=rq the same runs through Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest

from tests.conftest import IN_CI
from tests.jobs.conftest import FAST
from tests.safety.test_crash import PROJECT, Zygote

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
ROWS = 10_000  # enough batches that the poll sees the commit half-way, however fast it writes
QUEUED_ROWS = 300  # a queued import picked up and written: its size does not matter


def start_worker(database_url: str, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "borderlink.cli", "worker", "--interval", "0.2"],
        cwd=PROJECT,
        env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", **FAST, **env},
    )


def wait_for(zygote: Zygote, tag: str, done: Any, seconds: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = zygote.ask(f"job {tag}", "state")
        if done(state):
            return state
        time.sleep(0.1)
    raise AssertionError(f"job {tag} never got there: {state}")


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a warm shutdown still waiting on its job
            worker.kill()
            worker.wait(timeout=10)


def test_a_worker_killed_mid_commit_is_replaced_and_the_rows_go_in_once(
    zygote: Zygote,
    crash_database: str,
) -> None:
    queued = zygote.ask(f"enqueue killed {ROWS}", "queued")
    assert queued["task"], "the commit was run in the asking process, not queued"
    assert zygote.ask("job killed", "state")["attempts"] == 0  # nobody has it yet
    first = start_worker(crash_database)
    try:
        # Mid-commit: the rows' transaction is open (PostgreSQL: rows counted from the side
        # connection; SQLite: a writer holds the database).
        wait_for(
            zygote,
            "killed",
            lambda s: (
                s["state"] == "writing"
                and s["attempts"] == 1
                and (s["locked"] if s["locked"] is not None else 0 < s["processed"] < ROWS)
            ),
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        _stop(first)
    left = zygote.verify("killed")
    assert left["rows"] == 0 and left["history"] == 0, left
    assert zygote.ask("job killed", "state")["state"] == "writing"  # owed, not lost

    second = start_worker(crash_database)
    started = time.monotonic()
    try:
        final = wait_for(zygote, "killed", lambda s: s["state"] != "writing")
    finally:
        _stop(second)
    print(f"killed worker's job finished by a new worker in {time.monotonic() - started:.1f}s")
    assert final["state"] == "done" and final["attempts"] == 2, final
    found = zygote.verify("killed")
    assert found["rows"] == ROWS and found["history"] == ROWS, found
    assert found["rollup_differences"] == 0 and found["orphan_history"] == 0, found


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


def test_with_rq_on_redis_a_worker_picks_up_the_queued_import(
    crash_database: str,
) -> None:
    url = "redis://127.0.0.1:6379/14"  # a database number of its own, emptied first
    if not redis_answers(url):
        if IN_CI:
            pytest.fail("CI: Redis at 127.0.0.1:6379 is required and did not answer")
        pytest.skip("no Redis answers at 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(url).flushdb()
    env = {"TASKS_BACKEND": "rq", "REDIS_URL": url}
    zygote = Zygote(crash_database, **FAST, **env)
    worker = None
    try:
        queued = zygote.ask(f"enqueue rq {QUEUED_ROWS}", "queued")
        assert redis.Redis.from_url(url).exists(f"rq:job:{queued['task']}")
        worker = start_worker(crash_database, **env)
        final = wait_for(zygote, "rq", lambda s: s["state"] != "writing")
        assert final["state"] == "done" and final["attempts"] == 1, final
        assert zygote.verify("rq")["rows"] == QUEUED_ROWS
    finally:
        if worker is not None:
            _stop(worker)
        zygote.close()
