"""Keeping the Tally in step with the ledger.

Every save and delete of an Activity moves its contribution in the same transaction: the old
values come off the rows they were added to, the new values go on. The change is an upsert with
`ON CONFLICT … DO UPDATE SET n = n + excluded.n`, which PostgreSQL and SQLite both run atomically
per row, so two officers saving at once never lose a count. `rebuild()` recomputes everything
from the ledger (after a bulk load, or to check the rows: `borderlink stats-rebuild --check`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from borderlink.core import bulk, cache_versions
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.stats.models import Tally

KEY_FIELDS = ("kind", "channel", "diplomacy", "direction", "sensitivity", "currency")
SUM_FIELDS = ("records", "times", "persons", "value", "quantity")

# anchor, kind, span ("m", "y" or "d"), first day of the month or year (or the day), then
# KEY_FIELDS[1:]
Key = tuple[int, str, str, datetime.date, str, str, str, int, str]
SPANS = (Tally.MONTH, Tally.YEAR)


def depth() -> int:
    return int(getattr(settings, "STATS_ROLLUP_DEPTH", 5))


def day_depth() -> int:
    """Anchors down to this depth (countries, provinces) also get day rows: the days at the
    edges of a period that cuts months would otherwise be read from the ledger across all of
    their thousands of units."""
    return min(depth(), int(getattr(settings, "STATS_DAY_ROLLUP_DEPTH", 2)))


def path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def anchors_of(path: str) -> list[int]:
    """The units an activity of a unit at `path` adds to: its path down to the rollup depth."""
    return path_ids(path)[: depth()]


def month_of(day: datetime.date | str) -> datetime.date:
    if isinstance(day, str):  # a date assigned as ISO text and saved without a refresh
        day = datetime.date.fromisoformat(day)
    return day.replace(day=1)


def _contribution(row: dict[str, Any], path: str, sign: int) -> dict[Key, list[Any]]:
    sums = _sums(row, sign)
    return {key: list(sums) for key in _keys(row, anchors_of(path), day_depth())}


def _sums(row: dict[str, Any], sign: int) -> list[Any]:
    return [
        sign,
        sign * int(row["count"] or 0),
        sign * int(row["persons"] or 0),
        sign * Decimal(row["value"] or 0),
        sign * Decimal(row["quantity"] or 0),
    ]


def _keys(row: dict[str, Any], anchors: list[int], daily: int) -> Iterator[Key]:
    """The rows an activity counts in: each of its anchors (`anchors_of` its unit's path), each
    span (days too for the first `daily` anchors, `day_depth`)."""
    month = month_of(row["occurred_on"])
    day = row["occurred_on"]
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    starts = {Tally.MONTH: month, Tally.YEAR: month.replace(month=1), Tally.DAY: day}
    rest = (
        row["channel"],
        row["diplomacy"],
        row["direction"],
        int(row["sensitivity"]),
        row["currency"] or "",
    )
    for level, anchor in enumerate(anchors):
        for span in (*SPANS, Tally.DAY) if level < daily else SPANS:
            yield (anchor, row["kind"], span, starts[span], *rest)


def _row(activity: Activity) -> dict[str, Any]:
    return {
        "kind": activity.kind,
        "occurred_on": activity.occurred_on,
        "channel": activity.channel,
        "diplomacy": activity.diplomacy,
        "direction": activity.direction,
        "sensitivity": activity.sensitivity,
        "currency": activity.currency,
        "count": activity.count,
        "persons": activity.persons,
        "value": activity.value,
        "quantity": activity.quantity,
    }


def apply(deltas: dict[Key, list[Any]]) -> None:
    """Add the deltas to their rows, creating rows as needed and dropping rows that empty."""
    if not deltas:
        return
    cache_versions.bump("figures")  # bulk writes send no save signals: every server sees them
    table = Tally._meta.db_table
    columns = ("anchor_id", "kind", "span", "month", *KEY_FIELDS[1:], *SUM_FIELDS)
    conflict = ("anchor_id", "kind", "span", "month", *KEY_FIELDS[1:])
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in SUM_FIELDS)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}"
    )
    params = [(*key, *sums) for key, sums in deltas.items() if any(sums)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(params) > COPY_FROM:
            _apply_copied(cursor, params, columns, conflict, updates)
        else:
            cursor.executemany(sql, params)
        if any(sums[0] < 0 for sums in deltas.values()):
            anchors = sorted({key[0] for key in deltas})
            cursor.execute(
                f"DELETE FROM {table} WHERE records <= 0 AND anchor_id IN "
                f"({', '.join(['%s'] * len(anchors))})",
                anchors,
            )


# Past this many rows the deltas go through a temporary table filled by COPY, then one upsert.
COPY_FROM = 500
DELTA_TYPES = (
    "bigint", "text", "text", "date", "text", "text", "text", "integer", "text",
    "bigint", "bigint", "bigint", "numeric", "numeric",
)  # fmt: skip


def _apply_copied(
    cursor: Any,
    params: list[tuple[Any, ...]],
    columns: tuple[str, ...],
    conflict: tuple[str, ...],
    updates: str,
) -> None:
    table = Tally._meta.db_table
    staged = "tally_delta"
    typed = ", ".join(f"{c} {t}" for c, t in zip(columns, DELTA_TYPES, strict=True))
    cursor.execute(f"CREATE TEMPORARY TABLE {staged} ({typed}) ON COMMIT DROP")
    with cursor.cursor.copy(f"COPY {staged} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in params:
            copy.write_row(row)
    # In key order, as every writer goes: two imports at once never wait on each other in a
    # cycle.
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(columns)} FROM {staged} ORDER BY {', '.join(conflict)} "
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}"
    )
    cursor.execute(f"DROP TABLE {staged}")


def _merge(into: dict[Key, list[Any]], more: dict[Key, list[Any]]) -> None:
    for key, sums in more.items():
        if key in into:
            into[key] = [a + b for a, b in zip(into[key], sums, strict=True)]
        else:
            into[key] = sums


def _path(unit_id: int) -> str:
    return Unit.objects.values_list("path", flat=True).get(pk=unit_id)


@bulk.has_bulk_form
def _pre_save(sender: type[Activity], instance: Activity, raw: bool, **kw: Any) -> None:
    _add_gathered()
    old = None
    if instance.pk is not None and not raw:
        old = (
            Activity.objects.filter(pk=instance.pk)
            .values(*KEY_FIELDS, "occurred_on", "count", "persons", "value", "quantity")
            .annotate(path=_home_path())
            .first()
        )
    instance._tally_before = old  # type: ignore[attr-defined]


def _home_path() -> Any:
    from django.db.models import F

    return F("home_unit__path")


@bulk.has_bulk_form
def _post_save(sender: type[Activity], instance: Activity, raw: bool, **kw: Any) -> None:
    if raw:
        return
    deltas: dict[Key, list[Any]] = {}
    old = getattr(instance, "_tally_before", None)
    if old is not None:
        _merge(deltas, _contribution(old, old["path"], -1))
    _merge(deltas, _contribution(_row(instance), _path(instance.home_unit_id), +1))
    apply(deltas)


def _pre_delete(sender: type[Activity], instance: Activity, **kw: Any) -> None:
    # What comes off is what the database holds, not unsaved edits on the instance.
    _pre_save(sender, instance, raw=False)


def _post_delete(sender: type[Activity], instance: Activity, **kw: Any) -> None:
    old = getattr(instance, "_tally_before", None)
    if old is not None:
        apply(_contribution(old, old["path"], -1))


# Gathered deltas past this many keys are written before the import goes on: memory stays
# bounded however long the file (a key is one Tally row, about a kilobyte in Python; 100,000
# activities touch about as many keys).
GATHER_KEYS = 20_000
_GATHERED = "stats-rollup"


def _bulk_created(sender: type[Activity], instances: list[Activity], **kw: Any) -> None:
    """Activities written together (core.bulk.insert): their contributions summed in Python and
    written once at the end of the import (one upsert per key, not per activity and key)."""
    paths = _paths_of(instances)
    deltas = bulk.gathered(_GATHERED, apply)
    into = deltas if deltas is not None else {}
    anchors = {pk: anchors_of(path) for pk, path in paths.items()}
    daily = day_depth()
    for activity in instances:  # each `_contribution` added, without making it first
        row = _row(activity)
        sums = _sums(row, +1)
        for key in _keys(row, anchors[activity.home_unit_id], daily):
            have = into.get(key)
            if have is None:
                into[key] = list(sums)
            else:
                for i, value in enumerate(sums):
                    have[i] += value
    if deltas is None or len(deltas) > GATHER_KEYS:
        apply(into)
        into.clear()


def _add_gathered() -> None:
    """Add what a bulk block gathered so far, now: before an activity is saved or deleted one by
    one inside the block (one written in bulk earlier in it, say), whose old contribution must
    be in the Tally to come off. Otherwise a row it empties is dropped, then the gathered sum
    puts it back when the block ends."""
    deltas = bulk.gathered(_GATHERED, apply)
    if deltas:
        apply(deltas)
        deltas.clear()


def _paths_of(instances: list[Activity]) -> dict[int, str]:
    """Home unit paths: from the units the form resolved, else one query for the batch."""
    paths: dict[int, str] = {}
    link: Any = Activity._meta.get_field("home_unit")
    for activity in instances:
        unit = link.get_cached_value(activity, None)
        if isinstance(unit, Unit):
            paths[unit.pk] = unit.path
    missing = {a.home_unit_id for a in instances} - set(paths)
    if missing:
        paths.update(Unit.objects.filter(pk__in=missing).values_list("pk", "path"))
    return paths


def connect_signals() -> None:
    bulk.created.connect(_bulk_created, sender=Activity, dispatch_uid="tally-bulk")
    pre_save.connect(_pre_save, sender=Activity, dispatch_uid="tally-pre")
    post_save.connect(_post_save, sender=Activity, dispatch_uid="tally-post")
    pre_delete.connect(_pre_delete, sender=Activity, dispatch_uid="tally-pre-del")
    post_delete.connect(_post_delete, sender=Activity, dispatch_uid="tally-del")


# Rebuilding ---------------------------------------------------------------------------------


def expected(activities: Iterable[dict[str, Any]]) -> dict[Key, list[Any]]:
    """The rows the ledger calls for, computed in Python (SQLite, and checks)."""
    totals: dict[Key, list[Any]] = defaultdict(lambda: [0, 0, 0, Decimal(0), Decimal(0)])
    for row in activities:
        for key, sums in _contribution(row, row["path"], +1).items():
            totals[key] = [a + b for a, b in zip(totals[key], sums, strict=True)]
    return dict(totals)


def _ledger_rows() -> Iterable[dict[str, Any]]:
    return (
        Activity.objects.order_by()
        .values(*KEY_FIELDS, "occurred_on", "count", "persons", "value", "quantity")
        .annotate(path=_home_path())
        .iterator(chunk_size=5000)
    )


def current() -> dict[Key, list[Any]]:
    out: dict[Key, list[Any]] = {}
    for t in Tally.objects.order_by().iterator(chunk_size=5000):
        key: Key = (
            t.anchor_id,
            t.kind,
            t.span,
            t.month,
            t.channel,
            t.diplomacy,
            t.direction,
            t.sensitivity,
            t.currency,
        )
        out[key] = [t.records, t.times, t.persons, Decimal(t.value), Decimal(t.quantity)]
    return out


def differences() -> list[Key]:
    """Keys where the stored rows and the ledger disagree (empty when they are in step)."""
    want, have = expected(_ledger_rows()), current()
    return sorted(k for k in set(want) | set(have) if want.get(k) != have.get(k))


# Each INSERT writes its rows in the key's order (anchor, kind, span, month, …): an anchor's
# rows of a kind and span then lie together in the table, so a query reading a country's
# twenty year rows per key reads a few pages of the table, not a page per row (a hash
# aggregate hands its groups over in no order). Rows added later by saves go where there is
# room: `CLUSTER stats_tally USING tally_key` (or a rebuild) puts them back in order.
PG_REBUILD = """
INSERT INTO {tally} (anchor_id, kind, span, month, channel, diplomacy, direction, sensitivity,
                     currency, records, times, persons, value, quantity)
SELECT split_part(u.path, '/', {part})::bigint, a.kind, 'm',
       date_trunc('month', a.occurred_on)::date,
       a.channel, a.diplomacy, a.direction, a.sensitivity, a.currency,
       count(*), sum(a.count), coalesce(sum(a.persons), 0), coalesce(sum(a.value), 0),
       coalesce(sum(a.quantity), 0)
FROM {activity} a JOIN {unit} u ON u.id = a.home_unit_id
WHERE split_part(u.path, '/', {part}) <> ''
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""
# Day rows of the shallow anchors (day_depth).
PG_DAYS = """
INSERT INTO {tally} (anchor_id, kind, span, month, channel, diplomacy, direction, sensitivity,
                     currency, records, times, persons, value, quantity)
SELECT split_part(u.path, '/', {part})::bigint, a.kind, 'd', a.occurred_on,
       a.channel, a.diplomacy, a.direction, a.sensitivity, a.currency,
       count(*), sum(a.count), coalesce(sum(a.persons), 0), coalesce(sum(a.value), 0),
       coalesce(sum(a.quantity), 0)
FROM {activity} a JOIN {unit} u ON u.id = a.home_unit_id
WHERE split_part(u.path, '/', {part}) <> ''
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""
# The year rows from the month rows: a twelfth of the reading the ledger would take.
PG_YEARS = """
INSERT INTO {tally} (anchor_id, kind, span, month, channel, diplomacy, direction, sensitivity,
                     currency, records, times, persons, value, quantity)
SELECT anchor_id, kind, 'y', date_trunc('year', month)::date, channel, diplomacy, direction,
       sensitivity, currency, sum(records), sum(times), sum(persons), sum(value), sum(quantity)
FROM {tally} WHERE span = 'm'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""


@transaction.atomic
def rebuild() -> int:
    """Recompute every Tally row from the ledger; returns the number of rows."""
    cache_versions.bump("figures")
    Tally.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Each INSERT groups the whole ledger: with the server's default work_mem (4 MB)
            # the groups go to disk in many batches. For this transaction only.
            memory = str(getattr(settings, "STATS_REBUILD_WORK_MEM", "256MB"))
            cursor.execute("SELECT set_config('work_mem', %s, true)", [memory])
            tables = {
                "tally": Tally._meta.db_table,
                "activity": Activity._meta.db_table,
                "unit": Unit._meta.db_table,
            }
            for level in range(1, depth() + 1):
                cursor.execute(PG_REBUILD.format(part=level + 1, **tables))
            cursor.execute(PG_YEARS.format(**tables))
            for level in range(1, day_depth() + 1):
                cursor.execute(PG_DAYS.format(part=level + 1, **tables))
    else:
        apply(expected(_ledger_rows()))
    return Tally.objects.count()
