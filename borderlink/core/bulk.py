"""Bulk mode: while an import runs, rows are checked without a query per check and written
without a statement per row.

- Linked records named by code are looked up once per import, not once per row.
- A model's CheckConstraints are not evaluated in Python-via-SQL per row: every register's form
  checks the same conditions in Python with its own message, and the database enforces the
  constraints when the rows are written (a violation rolls the whole import back).
- Foreign keys the form already resolved from the database are not looked up again.
- New records are written together (`insert`: `COPY` on PostgreSQL, `bulk_create` elsewhere)
  and `created` tells whoever keeps something in step with them (the change history, the
  statistics rollup) in one call per batch instead of one signal per row. Work those receivers
  defer to the end of the block (`gathered`) runs before the block leaves, so it stays inside the
  caller's transaction: a failed import keeps none of it.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal
from django.utils import timezone

_lookups: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "borderlink_bulk_lookups", default=None
)


_history: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "borderlink_bulk_history", default=None
)

# Work deferred to the end of the bulk block, by name: what a receiver gathered, and how to
# write it.
_deferred: contextvars.ContextVar[
    dict[str, tuple[dict[Any, Any], Callable[[dict[Any, Any]], None]]] | None
] = contextvars.ContextVar("borderlink_bulk_deferred", default=None)

# Sent after `insert` wrote new records of `sender`: instances=[…], each with its pk. What a
# post_save receiver does for one record, a receiver of this does for the batch.
created = Signal()


@contextmanager
def bulk_mode() -> Iterator[None]:
    """Memoised lookups; history rows gathered and written together when the block ends."""
    token = _lookups.set({})
    history_token = _history.set([])
    deferred_token = _deferred.set({})
    try:
        yield
        for gathered, flush in (_deferred.get() or {}).values():
            flush(gathered)
        pending = _history.get() or []
        if pending:
            from borderlink.core.models import ChangeRecord

            insert(ChangeRecord, pending)
    finally:
        _deferred.reset(deferred_token)
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

        insert(ChangeRecord, pending)
        pending.clear()
    return True


def gathered(name: str, flush: Callable[[dict[Any, Any]], None]) -> dict[Any, Any] | None:
    """A dict the caller fills during the bulk block, given to `flush` when the block ends
    (before it leaves, so inside the caller's transaction; a block that fails drops it). None
    outside bulk mode, where the caller does its work at once. The caller may flush and clear
    it earlier itself, to bound its size."""
    deferred = _deferred.get()
    if deferred is None:
        return None
    if name not in deferred:
        deferred[name] = ({}, flush)
    return deferred[name][0]


def active() -> bool:
    return _lookups.get() is not None


def lookups() -> dict[Any, Any] | None:
    return _lookups.get()


# Writing many rows -----------------------------------------------------------------------------


def has_bulk_form(receiver: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a pre_save/post_save receiver whose work a `created` receiver does for a batch, so
    `insert` may skip the per-row signals of its models."""
    receiver._bulk_form = True  # type: ignore[attr-defined]
    return receiver


def insertable(model: type[models.Model]) -> bool:
    """Can new records of `model` be written by `insert` and mean the same as saving each?
    Not when the model's save() does more, or a save receiver has no batch form."""
    if model.save is not models.Model.save:
        return False
    for signal in (pre_save, post_save):
        sync, async_ = signal._live_receivers(model)  # Django's own list for this sender
        if any(not getattr(r, "_bulk_form", False) for r in (*sync, *async_)):
            return False
    return True


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Write new records in one statement per batch, giving each its pk: `COPY` on PostgreSQL
    (the ids drawn from the table's sequence first), `bulk_create` elsewhere. Fields' pre_save
    runs as in a save (timestamps, derived values); signals do not: see `created`. The
    timestamps of a batch are one reading of the clock, as its history rows' time is."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    meta = model._meta
    fields = meta.concrete_fields
    quote = connection.ops.quote_name
    pk_column = str(meta.pk.column) if meta.pk is not None else "id"
    with connection.cursor() as cursor:
        fresh = [obj for obj in objs if obj.pk is None]
        if fresh:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk_column, len(fresh)],
            )
            for obj, (pk,) in zip(fresh, cursor.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(quote(str(f.column)) for f in fields)
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        now = timezone.now()
        values = [_value_of(f, now) for f in fields]
        with cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row([value(obj) for value in values])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def copy_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Write plain rows of `model` (values of the fields `names`, as the database takes them;
    the id from its default) with one `COPY` (PostgreSQL only): for rows many enough that
    building an instance of each costs more than writing them. The rows are made beforehand:
    no other query may run on the connection while its COPY is open."""
    meta = model._meta
    quote = connection.ops.quote_name
    fields: list[Any] = [meta.get_field(name) for name in names]
    columns = ", ".join(quote(str(field.column)) for field in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


# Fields whose attribute is already what the database driver takes (the form cleaned it): read
# as is. Any other field, and a subclass of these (an encrypted field, say), goes through its
# own pre_save and preparation, as a save would.
_AS_IS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.CharField,
        models.DateField,
        models.DecimalField,
        models.ForeignKey,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SlugField,
        models.SmallIntegerField,
        models.TextField,
    }
)


def _value_of(field: Any, now: datetime.datetime) -> Callable[[models.Model], Any]:
    stamp = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if type(field) in _AS_IS and not stamp:
        return attrgetter(field.attname)
    if type(field) is models.DateTimeField and stamp and settings.USE_TZ:
        # auto_now(_add): what its pre_save sets, without asking the clock and preparing the
        # value again for every row.
        return partial(_stamped, field.attname, now)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def _stamped(attname: str, now: datetime.datetime, obj: models.Model) -> datetime.datetime:
    setattr(obj, attname, now)
    return now
