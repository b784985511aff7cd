"""Bulk mode: while an import runs, each row is checked without a query per check.

- Linked records named by code are looked up once per import, not once per row.
- A model's CheckConstraints are not evaluated in Python-via-SQL per row: every register's form
  checks the same conditions in Python with its own message, and the database enforces the
  constraints when the rows are written (a violation rolls the whole import back).
- Foreign keys the form already resolved from the database are not looked up again.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lookups: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "borderlink_bulk_lookups", default=None
)


_history: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "borderlink_bulk_history", default=None
)


@contextmanager
def bulk_mode() -> Iterator[None]:
    """Memoised lookups; history rows gathered and written together when the block ends."""
    token = _lookups.set({})
    history_token = _history.set([])
    try:
        yield
        pending = _history.get() or []
        if pending:
            from borderlink.core.models import ChangeRecord

            ChangeRecord.objects.bulk_create(pending, batch_size=1000)
    finally:
        _history.reset(history_token)
        _lookups.reset(token)


# History rows kept at most this many at a time: a long import's memory stays bounded (the rows
# are written inside the import's transaction all the same, so a failed import keeps none).
HISTORY_BATCH = 1000


def defer_history(record: Any) -> bool:
    """Keep a history row to write with others; False outside bulk mode."""
    pending = _history.get()
    if pending is None:
        return False
    pending.append(record)
    if len(pending) >= HISTORY_BATCH:
        from borderlink.core.models import ChangeRecord

        ChangeRecord.objects.bulk_create(pending, batch_size=HISTORY_BATCH)
        pending.clear()
    return True


def active() -> bool:
    return _lookups.get() is not None


def lookups() -> dict[Any, Any] | None:
    return _lookups.get()
