"""The servers of the topology test that are not BorderLink: a streaming replica of the machine's
PostgreSQL server (pg_basebackup into a temporary cluster on a free port, run as the `postgres`
user), and Redis.

Nothing here touches the machine's own cluster beyond reading from it: the replica is a copy in a
temporary directory, stopped and removed at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg


class Missing(Exception):
    """A component the topology needs is not there; the message says what to do."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str

    @classmethod
    def from_url(cls, url: str) -> Server:
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or 5432, parts.username or "postgres")

    def url(self, database: str) -> str:
        return f"postgres://{self.user}@{self.host}:{self.port}/{database}"

    def connect(
        self, database: str = "postgres", autocommit: bool = True
    ) -> psycopg.Connection[Any]:
        return psycopg.connect(self.url(database), autocommit=autocommit, connect_timeout=5)

    def query(self, sql: str, database: str = "postgres") -> list[tuple[Any, ...]]:
        with self.connect(database) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []


def as_postgres(*command: str) -> list[str]:
    """The command run as the `postgres` user (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return list(command)  # already someone else: run as ourselves
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *command]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]


def bindir(primary: Server) -> Path:
    """The primary's own PostgreSQL programs (the replica must run the same major version)."""
    version = int(primary.query("SHOW server_version_num")[0][0]) // 10000
    for candidate in (
        Path(f"/usr/lib/postgresql/{version}/bin"),
        Path(f"/usr/pgsql-{version}/bin"),
    ):
        if (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise Missing(f"PostgreSQL {version}'s programs (pg_ctl, pg_basebackup) are not installed")


# Settings a hot standby must have at least as high as its primary.
AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


class Replica:
    """A streaming replica of `primary` in a temporary directory, on a free port."""

    def __init__(self, primary: Server) -> None:
        self.primary = primary
        self.bin = bindir(primary)
        self.port = free_port()
        self.server = Server("127.0.0.1", self.port, primary.user)
        self.root = Path(tempfile.mkdtemp(prefix="borderlink-replica-"))
        self.data = self.root / "data"
        self.log = self.root / "postgresql.log"
        self.started = False
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o700)

    def _run(self, *command: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            as_postgres(*command), capture_output=True, text=True, timeout=timeout, check=False
        )

    def create(self) -> float:
        """Copy the primary (`pg_basebackup -R`: it writes the standby's connection to the
        primary) and start it; returns the seconds it took."""
        began = time.monotonic()
        done = self._run(
            str(self.bin / "pg_basebackup"),
            f"--host={self.primary.host}",
            f"--port={self.primary.port}",
            f"--username={self.primary.user}",
            f"--pgdata={self.data}",
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--no-sync",
        )
        if done.returncode != 0:
            if "pg_hba.conf" in done.stderr:
                raise Missing(
                    "the PostgreSQL server refuses replication connections from 127.0.0.1: add "
                    "`host replication all 127.0.0.1/32 trust` to pg_hba.conf and reload (as "
                    f".ci/run does). pg_basebackup said: {done.stderr.strip()}"
                )
            raise RuntimeError(f"pg_basebackup failed: {done.stderr.strip()}")
        settings = dict(
            self.primary.query(
                "SELECT name, setting FROM pg_settings WHERE name IN ("
                + ", ".join(f"'{name}'" for name in AT_LEAST_PRIMARY)
                + ")"
            )
        )
        conf = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.root}'",
            "hot_standby = on",
            "shared_buffers = 32MB",
            "fsync = off",  # a throw-away copy
            "hot_standby_feedback = on",
            *(f"{name} = {value}" for name, value in settings.items()),
        ]
        (self.data / "postgresql.conf").write_text("\n".join(conf) + "\n")
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        (self.data / "pg_ident.conf").write_text("")
        if os.geteuid() == 0:
            for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
                shutil.chown(self.data / name, "postgres", "postgres")
        self.start()
        return time.monotonic() - began

    def start(self) -> None:
        done = self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
            "start",
        )  # fmt: skip
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"the replica did not start: {done.stderr}\n{log[-3000:]}")
        self.started = True
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            rows = self.server.query("SELECT status FROM pg_stat_wal_receiver")
            if rows and rows[0][0] == "streaming":
                return
            time.sleep(0.2)
        raise RuntimeError("the replica started but does not stream from the primary")

    def stop(self) -> None:
        if self.started:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
            self.started = False

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def pause_replay(self) -> None:
        self.server.query("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.server.query("SELECT pg_wal_replay_resume()")

    def caught_up(self, timeout: float = 20) -> float:
        """Wait until the replica has replayed everything the primary has written; returns the
        seconds waited."""
        began = time.monotonic()
        target = self.primary.query("SELECT pg_current_wal_lsn()")[0][0]
        while time.monotonic() - began < timeout:
            behind = self.server.query(
                f"SELECT pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn())"
            )[0][0]
            if behind is not None and behind <= 0:
                return time.monotonic() - began
            time.sleep(0.05)
        raise AssertionError(f"the replica did not reach {target} within {timeout} s")

    def backends(self, database: str) -> list[tuple[str, str]]:
        """(application name, last query) of the client connections to `database` on the
        replica, other than the asking one."""
        return [
            (row[0], row[1])
            for row in self.server.query(
                "SELECT application_name, query FROM pg_stat_activity WHERE datname = "
                f"'{database}' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
        ]


def redis_url(number: int) -> str:
    """Redis at 127.0.0.1:6379, database `number`, if it answers."""
    import redis

    url = f"redis://127.0.0.1:6379/{number}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise Missing(f"Redis does not answer at 127.0.0.1:6379 ({error})") from None
    return url
