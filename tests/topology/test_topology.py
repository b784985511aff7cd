"""BorderLink on more than one machine, scripted: two app servers (`borderlink serve`) behind an
imagined proxy (every request may land on either), one job worker (`borderlink worker`),
PostgreSQL with a streaming replica, Redis as the shared cache and, in the second round, as the
job queue (TASKS_BACKEND=rq).

- an import started through server A shows its progress through server B; its worker is killed
  with SIGKILL while it commits, a new worker finishes it, and the rows are in exactly once;
- a dashboard is answered from the replica (the marker header, and the replica's own
  pg_stat_activity);
- a save followed by a read in the same session sees the save, even with the replica held back;
- a publication through A is visible through B at once (the shared cache's version);
- a replica that is down is passed over: the primary answers.

Figures (seconds) are printed at the end: `pytest -s tests/topology` shows them.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import time
from pathlib import Path

import pytest

from tests.topology.apps import AppServer, Browser, Process
from tests.topology.conftest import Topology

# django_db: the suite's test database (migrated, with the demo) is set up for this test too, and
# the harness copies it (conftest.py); the test itself reads and writes only through the servers.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PASSWORD = "borderlink-demo"  # the demo's accounts (demo/accounts.py)
DASHBOARD = "/stats/dashboard/VN-P08-2025/"  # today's Tuyên Quang, the editor's own unit
ARTICLE = "ha-giang-foreign-relations-2021"  # published in the demo
IMPORT_ROWS = 100
HEADER = (
    "kind,occurred_on,title,home_unit,counterpart,channel,diplomacy,direction,sensitivity,count"
)


def read_from(reply: object) -> str:
    return reply.header("X-BorderLink-Read-From")  # type: ignore[attr-defined]


def wait_for(what: str, test: object, timeout: float = 60, every: float = 0.1) -> float:
    """Wait until test() is true; returns the seconds it took."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if test():  # type: ignore[operator]
            return time.monotonic() - began
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout} s")


def test_two_app_servers_a_worker_a_replica_and_redis(topology: Topology) -> None:
    for backend in ("database", "rq"):
        last = backend == "rq"
        round_of(topology, backend, replica_down_at_the_end=last)


def round_of(t: Topology, backend: str, replica_down_at_the_end: bool) -> None:
    figures = t.figures
    env = t.env(backend, f"topo-{backend}-{secrets.token_hex(3)}")
    began = time.monotonic()
    a = AppServer(f"{backend}-a", env, t.logs)
    b = AppServer(f"{backend}-b", env, t.logs)
    workers = [Process(f"{backend}-worker-1", ["worker"], env, t.logs)]
    try:
        a.wait_ready()
        b.wait_ready()
        figures[f"{backend}: two app servers up (s)"] = time.monotonic() - began
        editor = Browser()
        editor.log_in(a, "editor", PASSWORD)

        dashboard_from_the_replica(t, editor, b, backend)
        save_then_read(t, editor, a, b, backend)
        publication_seen_at_once(t, editor, a, b, backend)
        import_through_a_killed_worker(t, editor, a, b, workers, env, backend)
        if replica_down_at_the_end:
            t.replica.stop()
            reply = editor.request(b, DASHBOARD)
            assert reply.status == 200 and read_from(reply) == "default", reply.status
    except BaseException:
        for process in (a, b, *workers):
            print(f"--- {process.name} ---\n{process.tail()}")
        raise
    finally:
        for process in (a, b, *workers):
            process.stop()


def dashboard_from_the_replica(t: Topology, user: Browser, b: AppServer, backend: str) -> None:
    t.replica.caught_up()  # the login's own write is on the replica
    began = time.monotonic()
    reply = user.request(b, DASHBOARD)
    t.figures[f"{backend}: dashboard through B (s)"] = time.monotonic() - began
    assert reply.status == 200, reply.body[-2000:]
    assert read_from(reply).startswith("replica"), reply.headers
    # The replica's own view: server B's connection to it, last used for the page's records
    # (not only for the probe that asked how far it has replayed).
    queries = [query for _app, query in t.replica.backends(t.database)]
    assert any(q.lstrip().startswith('SELECT "') for q in queries), queries


def save_then_read(t: Topology, user: Browser, a: AppServer, b: AppServer, backend: str) -> None:
    """A save through A, read back through B in the same session: seen, though the replica is
    held back and does not have it yet; once it has, the read is the replica's again."""
    title = f"Topology letter {backend} {secrets.token_hex(3)}"
    export = f"/r/activities/?export=csv&q={title.replace(' ', '+')}"
    t.replica.pause_replay()
    try:
        user.request(a, "/r/activities/new/")  # the form, as a browser would first
        reply = user.request(
            a,
            "/r/activities/new/",
            {
                "kind": "letter",
                "occurred_on": "2020-05-01",
                "title": title,
                "home_unit": "VN-02-BGS-THANHTHUY",
                "counterpart": "CN-532624-BGS-TIANBAO",
                "channel": "letter",
                "diplomacy": "state",
                "direction": "sent",
                "sensitivity": "1",
                "count": "1",
            },
        )
        assert reply.status == 302, reply.body[-3000:]
        reply = user.request(b, export)
        assert reply.status == 200, reply.body[-2000:]
        assert read_from(reply) == "default"  # the replica has not replayed the save
        assert title in reply.body
        # Someone else's dashboard meanwhile: the ledger changed (an announced change), so it
        # is not read from a replica that has not replayed it either.
        other = Browser()
        other.log_in(b, "leader", PASSWORD)
        assert read_from(other.request(b, DASHBOARD)) == "default"
    finally:
        t.replica.resume_replay()
    t.figures[f"{backend}: replica catching up after the pause (s)"] = t.replica.caught_up()
    reply = user.request(b, export)
    assert read_from(reply).startswith("replica") and title in reply.body


def _state_of(t: Topology, slug: str, lang: str) -> str:
    rows = t.query(
        "SELECT v.state FROM portal_articleversion v JOIN portal_article a ON a.id = v.article_id "
        f"WHERE a.slug = '{slug}' AND v.lang = '{lang}'"
    )
    return str(rows[0][0])


def publication_seen_at_once(
    t: Topology, editor: Browser, a: AppServer, b: AppServer, backend: str
) -> None:
    """Withdrawn through A, gone from B's cached list at once; published again through A, back
    on B at once."""
    reader = Browser()  # the public: no session
    listing = "/public/en/articles/"
    link = f"/public/en/articles/{ARTICLE}/"
    assert link in reader.request(b, listing).body
    assert link in reader.request(b, listing).body  # and now in the shared cache
    pk = t.query(f"SELECT id FROM portal_article WHERE slug = '{ARTICLE}'")[0][0]
    state = f"/editorial/{pk}/en/state/"

    def move(to: str) -> None:
        reply = editor.request(a, state, {"to": to, "note": f"topology {backend}"})
        assert reply.status == 302, reply.body[-2000:]
        assert _state_of(t, ARTICLE, "en") == to, f"the move to {to} was refused"

    move("withdrawn")
    began = time.monotonic()
    assert link not in reader.request(b, listing).body
    t.figures[f"{backend}: withdrawal through A, list through B (s)"] = time.monotonic() - began
    for to in ("draft", "review", "published"):
        move(to)
    assert link in reader.request(b, listing).body


def import_through_a_killed_worker(
    t: Topology,
    user: Browser,
    a: AppServer,
    b: AppServer,
    workers: list[Process],
    env: dict[str, str],
    backend: str,
) -> None:
    """An import started through A, its progress read through B; the worker is killed with
    SIGKILL while it commits, a second worker finishes it, the rows are in once."""
    tag = f"Topology import {backend} {secrets.token_hex(3)}"
    rows = [
        f"letter,2020-02-{1 + i % 28:02d},{tag} {i},VN-02-BGS-THANHTHUY,CN-532624-BGS-TIANBAO,"
        "letter,state,sent,1,1"
        for i in range(IMPORT_ROWS)
    ]
    content = ("\n".join([HEADER, *rows]) + "\n").encode()
    user.request(a, "/r/activities/import/")
    reply = user.request(
        a, "/r/activities/import/", files={"file": ("topology.csv", content)}, data={}
    )
    assert reply.status == 302, reply.body[-2000:]
    job = int(re.findall(r"/import/(\d+)/", reply.header("location"))[-1])
    progress = f"/r/activities/import/{job}/"

    def status() -> str:
        return str(t.query(f"SELECT status FROM registers_importjob WHERE id = {job}")[0][0])

    checked = wait_for("the check of the file", lambda: status() == "preview", timeout=90)
    t.figures[f"{backend}: import check of {IMPORT_ROWS} rows (s)"] = checked
    page = user.request(b, progress)  # server B shows what the worker wrote
    assert page.status == 200 and "Ready to import" in page.body, page.body[-2000:]

    # Hold the commit inside its transaction: the rollup's sums (stats_tally) are written after
    # the rows, and wait for this lock; the rows are then written and not committed.
    holder = t.primary.connect(t.database, autocommit=False)
    try:
        holder.execute("LOCK TABLE stats_tally IN SHARE MODE")
        assert user.request(a, progress, {}).status == 302  # commit, through A
        wait_for("the commit waiting inside its transaction", lambda: _held(t), 60)
        page = user.request(b, progress)
        assert page.status == 200 and "Writing" in page.body, page.body[-2000:]
        killed_at = time.monotonic()
        _kill_the_one_at_work(t, job, workers[0])
    finally:
        holder.rollback()
        holder.close()
    wait_for("the killed worker's transaction gone", lambda: not _held(t), 30)
    assert _count(t, tag) == 0  # the killed transaction left nothing
    workers.append(Process(f"{backend}-worker-2", ["worker"], env, t.logs))
    finished = wait_for("the job finished by the second worker", lambda: status() == "done", 120)
    t.figures[f"{backend}: kill to import done by a new worker (s)"] = time.monotonic() - killed_at
    t.figures[f"{backend}: the second worker's commit (s)"] = finished
    assert _count(t, tag) == IMPORT_ROWS  # exactly once
    attempts = t.query(f"SELECT attempts FROM registers_importjob WHERE id = {job}")[0][0]
    assert int(attempts) >= 2  # type: ignore[call-overload]
    page = user.request(b, progress)
    assert "Imported" in page.body


def _kill_the_one_at_work(t: Topology, job: int, worker: Process) -> None:
    """SIGKILL the process that claimed the job (core/jobs.py writes its host:pid): the worker,
    or the work horse RQ forked for the job in a session of its own; then the worker too."""
    name = str(t.query(f"SELECT worker FROM registers_importjob WHERE id = {job}")[0][0])
    pid = int(name.rsplit(":", 1)[-1])
    assert pid == worker.pid or _parent(pid) == worker.pid, (name, worker.pid)
    os.kill(pid, signal.SIGKILL)
    worker.kill()


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _held(t: Topology) -> bool:
    """A backend of the topology's database is waiting for the lock on stats_tally."""
    rows = t.query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    return int(rows[0][0]) > 0  # type: ignore[call-overload]


def _count(t: Topology, tag: str) -> int:
    escaped = tag.replace("'", "''")
    return int(
        t.query(f"SELECT count(*) FROM ledger_activity WHERE title LIKE '{escaped} %'")[0][0]  # type: ignore[call-overload]
    )
