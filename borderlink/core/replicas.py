"""Read replicas: which there are, where the primary's WAL stands, and whether a replica may
serve a read now.

A replica (an alias `replica1`, `replica2`… from DATABASE_REPLICA_URLS, settings.py) may serve a
read when it answers, has replayed the primary's WAL up to the position the reader needs (its own
last write, or the last change announced to every server: core/db_router.py), and lags less than
DATABASE_REPLICA_MAX_LAG seconds. What a probe found is kept per process for a moment, so that a
page's reads cost one probe at most; a replica that did not answer is left alone for
DATABASE_REPLICA_RETRY seconds, its reads going to the primary meanwhile.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

PREFIX = "replica"
# Replayed position, and the lag: zero when everything received is replayed (an idle primary
# sends nothing, so the time since the last replayed transaction says nothing then); a replica
# whose WAL receiver is not streaming counts as lagging without limit. On a server that is not in
# recovery (a "replica" URL pointing at a primary) its own position and no lag.
PROBE_SQL = """
SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
            ELSE pg_current_wal_lsn() END::text,
       CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN -1
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), -1)
       END
"""


def aliases() -> list[str]:
    """The replica aliases in settings.DATABASES, in order."""
    return [alias for alias in settings.DATABASES if alias.startswith(PREFIX)]


def parse_lsn(text: str | None) -> int:
    """'16/B374D848' as a number that orders like the WAL; 0 for nothing."""
    if not text:
        return 0
    high, _, low = text.partition("/")
    try:
        return (int(high, 16) << 32) | int(low, 16)
    except ValueError:
        return 0


def format_lsn(position: int) -> str:
    return f"{position >> 32:X}/{position & 0xFFFFFFFF:X}"


def primary_position() -> int | None:
    """Where the primary's WAL stands now (after a commit: at or past that commit); None off
    PostgreSQL."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        row = cursor.fetchone()
    return parse_lsn(row[0] if row else None)


@dataclass(frozen=True)
class Probe:
    at: float
    down: bool
    replayed: int = 0
    lag: float = 0.0  # seconds; negative: unknown (not streaming)


_probes: dict[str, Probe] = {}
_lock = threading.Lock()


def max_lag() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_MAX_LAG", 10))


def _fresh_for() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_PROBE_SECONDS", 1))


def _retry_after() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_RETRY", 10))


def probe(alias: str) -> Probe:
    """Ask the replica where it stands; a replica that does not answer is down."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(PROBE_SQL)
            row = cursor.fetchone()
        found = Probe(time.monotonic(), False, parse_lsn(row[0]), float(row[1]))
    except DatabaseError as error:
        log.warning("replica %s does not answer, reads go to the primary: %s", alias, error)
        with contextlib.suppress(DatabaseError):
            connections[alias].close()
        found = Probe(time.monotonic(), True)
    with _lock:
        _probes[alias] = found
    return found


def _fits(found: Probe, need: int) -> bool:
    return not found.down and found.replayed >= need and 0 <= found.lag <= max_lag()


def usable(alias: str, need: int = 0) -> bool:
    """May `alias` serve a read that must see the primary's WAL up to `need`?"""
    now = time.monotonic()
    known = _probes.get(alias)
    if known is not None:
        if known.down and now - known.at < _retry_after():
            return False
        # Replay only moves forward: a recent probe that had already passed `need` still holds.
        if not known.down and now - known.at < _fresh_for() and _fits(known, need):
            return True
    return _fits(probe(alias), need)


def forget() -> None:
    """Drop what the probes found (tests; a replica brought back by hand)."""
    with _lock:
        _probes.clear()
