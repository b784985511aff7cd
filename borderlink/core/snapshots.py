"""PostgreSQL's snapshot: what the next statement sees, and the one a request noted first.

`pg_current_snapshot()` (xmin:xmax:the transactions in progress) changes with every commit
anywhere on the server and never comes back to a value it had: two reads under the same text
saw the same committed data. What a process keeps from the database can be kept under it and
trusted while it is unchanged — the API's answers (registers/api_cache.py), an API key's holder
(accounts/api_keys.py) — with nothing to announce a write.

A request that reads the snapshot before reading anything else (an API key's authentication)
notes it on the request, so that what comes after in the same request (the API's answers) uses
it rather than ask again: one round trip a request instead of two. The note lives on the
request object, never on a thread or a context variable a server's next request would inherit.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

_NOTE = "_borderlink_snapshot"


def take(alias: str) -> str | None:
    """The snapshot the next statement on `alias` sees, or None where there is none to trust:
    not PostgreSQL, or inside a transaction (its own uncommitted writes are not in it)."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def note(request: Any, alias: str, taken: str) -> None:
    """Record on `request` (Django's, or DRF's around it) the snapshot taken on `alias` before
    the request read anything its answer depends on."""
    setattr(getattr(request, "_request", request), _NOTE, (alias, taken))


def noted(request: Any, alias: str) -> str | None:
    """The snapshot noted on `request` for `alias`, while it may still stand for the request:
    not once the connection is inside a transaction."""
    found = getattr(getattr(request, "_request", request), _NOTE, None)
    if found is None or found[0] != alias or connections[alias].in_atomic_block:
        return None
    return str(found[1])
