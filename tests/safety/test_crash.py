"""Crash safety: processes killed (SIGKILL) at random points during a register import and during
report rendering leave a database holding all of the import or none of it, its history and
statistics rollup in step, and usable by the next import. Imports run as a worker runs them
(registers/tasks.py): a killed one is then swept up and run again, and goes in whole, once.

The processes run against a database of their own (a file copy of the SQLite test database, or a
PostgreSQL copy made from the test database as a template), forked from a zygote that has Django
loaded (crash_worker.py). The run is seeded; CRASH_KILLS, CRASH_ROWS and CRASH_SEED size it
(`make crash-test` runs a larger one).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

SEED = int(os.environ.get("CRASH_SEED", "6"))
KILLS = int(os.environ.get("CRASH_KILLS", "20"))
ROWS = int(os.environ.get("CRASH_ROWS", "400"))
PROJECT = Path(__file__).resolve().parents[2]
WAIT = 120.0


class Zygote:
    def __init__(self, database_url: str, **extra_env: str) -> None:
        env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", **extra_env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.safety.crash_worker"],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.verify_seconds = 0.0
        threading.Thread(target=self._read, daemon=True).start()
        assert "ready" in self.next()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put("")

    def next(self) -> dict[str, Any]:
        line = self.lines.get(timeout=WAIT)
        assert line, "the crash worker stopped"
        return json.loads(line)

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def until(self, key: str) -> dict[str, Any]:
        while True:
            message = self.next()
            assert "error" not in message, message["error"]
            if key in message:
                return message

    def run(self, command: str, kill_after: float | None = None) -> dict[str, Any]:
        """Run a command in a child; with `kill_after`, SIGKILL it that long after it starts
        its work. Returns what happened: timings, the child's messages, its exit."""
        self.send(command)
        go = self.until("go")
        started = time.monotonic()
        messages: list[dict[str, Any]] = []
        work = None
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # it may have finished already
                os.kill(go["go"], signal.SIGKILL)
        while True:
            message = self.next()
            messages.append(message)
            if "done" in message and work is None:
                work = time.monotonic() - started
            if "exit" in message:
                break
        done = next((m for m in messages if "done" in m), None)
        errors = [m["error"] for m in messages if "error" in m]
        assert not errors, errors
        return {
            "seconds": time.monotonic() - started,
            # Until the child reported its work done: the window in which a kill interrupts it
            # (the rest is the process winding down).
            "work": work,
            "done": done,
            "killed": message["signal"] == signal.SIGKILL,
        }

    def ask(self, command: str, key: str) -> dict[str, Any]:
        """A child's one answer to `command` (enqueue, job), after which it exits."""
        self.send(command)
        answer = self.until(key)
        self.until("exit")
        return answer

    def verify(self, tag: str) -> dict[str, Any]:
        started = time.monotonic()
        self.send(f"verify {tag} {ROWS}")
        result = self.until("verified")
        self.until("exit")
        self.verify_seconds += time.monotonic() - started
        return result

    def close(self) -> None:
        self.send("quit")
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def crash_database(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of the crash test's own, holding what the test database holds (the demo).
    Module-scoped: made before the test opens its transaction on the test database."""
    with django_db_blocker.unblock():
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            path = tmp_path_factory.mktemp("crash") / "crash.sqlite3"
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
            yield f"sqlite:///{path}"
            return
        import psycopg

        name = f"safety_crash_{os.getpid()}"
        user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        server = f"postgres://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        connections.close_all()  # a template database must have no other session
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')
        try:
            yield f"{server}/{name}"
        finally:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _check_import(zygote: Zygote, tag: str, outcome: dict[str, Any]) -> dict[str, Any]:
    found = zygote.verify(tag)
    assert found["integrity"] == "ok", found
    assert found["rows"] in (0, ROWS), f"a killed import left part of itself: {found}"
    assert found["history"] == found["rows"], f"history out of step with the rows: {found}"
    assert found["orphan_history"] == 0, f"history of records that do not exist: {found}"
    assert found["rollup_differences"] == 0, f"statistics rollup out of step: {found}"
    if outcome["done"] is not None:
        assert found["rows"] == ROWS
    return found


def _spread(rng: random.Random, count: int, window: float) -> list[float]:
    """`count` kill delays, one in each of `count` equal slices of 95% of `window`, shuffled."""
    width = window * 0.95 / max(count, 1)
    delays = [width * (slot + rng.random()) for slot in range(count)]
    rng.shuffle(delays)
    return delays


def _complete(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


@pytest.mark.django_db
def test_processes_killed_during_imports_and_rendering_leave_all_or_nothing(
    crash_database: str, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    zygote = Zygote(crash_database)
    report: list[str] = []
    try:
        # Uninterrupted runs first: the time a whole import and a whole rendering take.
        full_import = zygote.run(f"import whole {ROWS}")
        assert full_import["done"]["status"] == "done", full_import
        assert zygote.verify("whole")["rows"] == ROWS
        full_render = zygote.run(f"render pdf {tmp_path / 'whole.pdf'}")
        assert full_render["done"] and _complete(tmp_path / "whole.pdf")

        report.append(
            f"whole import of {ROWS} rows: {full_import['seconds']:.2f}s "
            f"(work {full_import['work']:.2f}s); whole rendering: {full_render['seconds']:.2f}s "
            f"(work {full_render['work']:.2f}s)"
        )
        kinds = ["import", "render"] * (KILLS // 2) + ["import"] * (KILLS % 2)
        rng.shuffle(kinds)
        # The kills of each kind are spread evenly over its working window, each at a random
        # point of its own slice: random points, but none left to chance to be too late.
        delays = {
            kind: _spread(rng, kinds.count(kind), full["work"])
            for kind, full in (("import", full_import), ("render", full_render))
        }
        interrupted = {"import": 0, "render": 0}
        for number, kind in enumerate(kinds):
            delay = delays[kind].pop()
            if kind == "import":
                outcome = zygote.run(f"import k{number} {ROWS}", kill_after=delay)
                found = _check_import(zygote, f"k{number}", outcome)
                interrupted["import"] += found["rows"] == 0
                line = (
                    f"import k{number}: killed after {delay:.2f}s -> {found['rows']} rows, "
                    f"job left {found['job']!r}"
                )
                if found["rows"] == 0:
                    # The job is owed, not lost: swept up and run again by a worker, it goes
                    # in whole and once, however late its first attempt was killed.
                    assert found["job"] == "writing", found
                    resumed = zygote.ask(f"resume k{number}", "resumed")
                    assert resumed["state"] == "done", resumed
                    again = _check_import(zygote, f"k{number}", {"done": True})
                    assert again["rows"] == ROWS and again["history"] == ROWS, again
                    line += f"; resumed at attempt {resumed['attempts']} -> {again['rows']} rows"
                report.append(line)
            else:
                out = tmp_path / f"k{number}.pdf"
                outcome = zygote.run(f"render pdf {out}", kill_after=delay)
                # The database is untouched by rendering and stays usable: the first import
                # is whole, and the output file is whole or absent, never half-written.
                assert zygote.verify("whole")["rows"] == ROWS
                partial = out.exists() and not _complete(out)
                assert not partial, f"a killed rendering left a half-written {out.name}"
                interrupted["render"] += outcome["done"] is None
                report.append(
                    f"render k{number}: killed after {delay:.2f}s -> "
                    f"{'file complete' if out.exists() else 'no file'}"
                )

        report.append(f"checking after the kills took {zygote.verify_seconds:.1f}s in all")
        # After every crash an import still goes through whole.
        last = zygote.run(f"import after {ROWS}")
        assert last["done"]["status"] == "done", last
        assert zygote.verify("after")["rows"] == ROWS
    finally:
        zygote.close()
        print("\n".join(report))
    # The kills must really land mid-work, or the test proves nothing.
    assert interrupted["import"] >= KILLS // 4 and interrupted["render"] >= KILLS // 4, interrupted
