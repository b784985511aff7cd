"""The topology: the machine's PostgreSQL server as the primary, a streaming replica of it made
for the test, Redis, and BorderLink's processes over a fresh database (migrated, with the demo).

It runs in the PostgreSQL pass of the suite (DATABASE_URL=postgres://…), whose server it uses as
the primary; the SQLite pass leaves it out (deselected, not skipped: it would test nothing new
there). Outside CI a missing component (Redis, the replication permission in pg_hba.conf, the
PostgreSQL programs) skips it with the reason; with CI=true it fails instead.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytest_django import DjangoDbBlocker

from tests.topology.cluster import Missing, Replica, Server, redis_url

IN_CI = os.environ.get("CI") == "true"
REDIS_DB = 13
# One process for both (each `borderlink` command would start Django again).
PREPARE = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'borderlink.settings'); "
    "django.setup(); from django.core.management import call_command; "
    "call_command('migrate', interactive=False, verbosity=0); "
    "call_command('load_demo', verbosity=0, stdout=open(os.devnull, 'w'))"
)  # a database of Redis's own for the test's cache keys and queues


def _on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _on_postgresql():
        return
    here = Path(__file__).parent
    mine = [item for item in items if here in Path(str(item.fspath)).parents]
    if not mine:
        return
    if len(mine) == len(items) and not IN_CI:
        for item in mine:  # asked for by name: say why nothing happens
            item.add_marker(
                pytest.mark.skip(reason="the topology needs PostgreSQL: DATABASE_URL=postgres://…")
            )
        return
    config.hook.pytest_deselected(items=mine)
    items[:] = [item for item in items if item not in mine]


@dataclass
class Topology:
    primary: Server
    replica: Replica
    database: str
    redis: str
    root: Path
    figures: dict[str, float] = field(default_factory=dict)

    @property
    def var(self) -> Path:
        return self.root / "var"  # shared by every process, as a shared volume would be

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def env(self, backend: str, cache_prefix: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.primary.url(self.database),
            "DATABASE_REPLICA_URLS": self.replica.server.url(self.database),
            "DATABASE_REPLICA_MARKER": "true",
            "REDIS_URL": self.redis,
            "CACHE_KEY_PREFIX": cache_prefix,
            "TASKS_BACKEND": backend,
            "BORDERLINK_VAR_DIR": str(self.var),
            "DB_CONN_MAX_AGE": "60",
            # A dead worker's job is noticed in seconds, not the production minute.
            "JOBS_HEARTBEAT_SECONDS": "1",
            "JOBS_DEAD_AFTER_SECONDS": "4",
            "JOBS_SWEEP_SECONDS": "1",
            "IMPORTS_IN_BACKGROUND": "true",
            "REPORTS_IN_BACKGROUND": "true",
        }
        env.pop("PYTEST_XDIST_WORKER", None)
        return env

    def query(self, sql: str) -> list[tuple[object, ...]]:
        return self.primary.query(sql, self.database)


def _fail_or_skip(message: str) -> None:
    if IN_CI:
        pytest.fail(f"CI: {message}")
    pytest.skip(message)


def _copy_of_the_test_database(primary: Server, database: str, blocker: DjangoDbBlocker) -> bool:
    """The suite's own test database (migrated, the demo loaded by tests/conftest.py) copied
    as a template: seconds instead of a minute. Not when a transactional test emptied it, or
    someone else is connected to it."""
    from django.db import connection, connections

    with blocker.unblock():
        source = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM portal_articleversion")
            if cursor.fetchone()[0] == 0:
                return False
        connections.close_all()
    try:
        primary.query(f'CREATE DATABASE "{database}" TEMPLATE "{source}"')
    except Exception:  # busy: someone is connected to it
        return False
    return True


def _fresh_database(primary: Server, database: str, env: dict[str, str]) -> None:
    primary.query(f'CREATE DATABASE "{database}"')
    done = subprocess.run([sys.executable, "-c", PREPARE], env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"migrate and load the demo: {done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def topology(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Topology]:
    primary = Server.from_url(os.environ["DATABASE_URL"])
    try:
        redis = redis_url(REDIS_DB)
    except Missing as missing:
        _fail_or_skip(str(missing))
    if not shutil.which("pg_basebackup") and not Path("/usr/lib/postgresql").exists():
        _fail_or_skip("pg_basebackup is not installed (the PostgreSQL client programs)")
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="borderlink-topology-"))
    database = f"topo_{os.getpid()}_{secrets.token_hex(3)}"
    figures: dict[str, float] = {}
    replica: Replica | None = None
    try:
        began = time.monotonic()
        env = {
            **os.environ,
            "DATABASE_URL": primary.url(database),
            "BORDERLINK_VAR_DIR": str(root / "var"),
        }
        env.pop("DATABASE_REPLICA_URLS", None)
        if _copy_of_the_test_database(primary, database, django_db_blocker):
            figures["database: a copy of the suite's (s)"] = time.monotonic() - began
        else:
            _fresh_database(primary, database, env)
            figures["database: migrate and demo (s)"] = time.monotonic() - began
        try:
            replica = Replica(primary)
            figures["replica: pg_basebackup and start (s)"] = replica.create()
        except Missing as missing:
            _fail_or_skip(str(missing))
        (root / "logs").mkdir()
        assert replica is not None
        yield Topology(primary, replica, database, redis, root, figures)
    finally:
        if replica is not None:
            replica.remove()
        primary.query(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _forget_redis(redis if "redis" in locals() else None)
        shutil.rmtree(root, ignore_errors=True)
        figures["the topology, all of it, the suite's database aside (s)"] = (
            time.monotonic() - started
        )
        if figures:
            print("\ntopology figures:")
            for name, value in figures.items():
                print(f"  {name}: {value:.2f}")


def _forget_redis(url: str | None) -> None:
    if url is None:
        return
    import redis

    client = redis.Redis.from_url(url)
    for pattern in ("topo-*", "rq:*"):
        for key in client.scan_iter(pattern):
            client.delete(key)
