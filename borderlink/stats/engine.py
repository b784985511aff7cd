"""Evaluating indicators over (unit subtree, period, as-of date): the one source of every figure.

- Ledger indicators sum the Tally rows of the scope's anchors for the whole years and months of
  the period and read the ledger itself only for the days at either edge and for anchors deeper
  than the rollup. Aggregate returns of the same kinds and measure are added; an activity that a
  counted return already covers (same unit and kind, inside the return's period) is taken off, so
  nothing is counted twice. A return nested in another one (a narrower counterpart inside a wider
  one, a shorter period inside a longer one) is counted once, in the wider figure. A rate ("each
  time", "each year") is shown beside the figure and never added in.
- Stock indicators (units, agreements, coverage, declared counts) are read as at the end of the
  period: from the registry where it names the units, from the declared return where the
  sources count more units than the registry names.
- Sensitivity: ledger records above the viewer's clearance count for nothing.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncYear
from django.utils.translation import gettext_lazy as _

from borderlink.core.choices import Qualifier
from borderlink.ledger.models import Activity, AggregateReturn
from borderlink.places.models import Unit
from borderlink.places.scope import Scope
from borderlink.stats import coverage as coverage_rules
from borderlink.stats import indicators as declared_indicators
from borderlink.stats import rules
from borderlink.stats import scope as stats_scope
from borderlink.stats.indicators import RETURN_MEASURE, Indicator
from borderlink.stats.models import Tally
from borderlink.stats.rollup import day_depth, path_ids
from borderlink.stats.rollup import depth as rollup_depth
from borderlink.stats.scope import Anchors, resolve
from borderlink.ties.models import Agreement, Partnership

GROUP = ("kind", "channel", "diplomacy", "direction", "currency")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Window:
    """The period [start, end] (start None: from the beginning) and the tree's date."""

    start: datetime.date | None
    end: datetime.date
    as_of: datetime.date

    @property
    def stock_day(self) -> datetime.date:
        return min(self.end, self.as_of)


@dataclass
class Figure:
    indicator: Indicator
    value: Decimal | None = None
    denominator: Decimal | None = None
    qualifier: str = Qualifier.EXACT
    basis: str = "records"  # records | declared | none
    currency: str = ""
    from_ledger: Decimal = ZERO
    ledger_records: int = 0
    covered_by_returns: Decimal = ZERO
    returns: list[AggregateReturn] = field(default_factory=list)
    rates: list[AggregateReturn] = field(default_factory=list)
    set_aside: list[tuple[AggregateReturn, Any]] = field(default_factory=list)
    declared: AggregateReturn | None = None
    units: list[Unit] = field(default_factory=list)
    uncovered: list[Unit] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)

    def as_json(self) -> int | float | str | None:
        if self.value is None:
            return None
        if self.indicator.is_ratio:
            total = "?" if self.denominator is None else _plain(self.denominator)
            return f"{_plain(self.value)}/{total}"
        return _plain(self.value)

    def detail(self) -> dict[str, Any]:
        return {
            "value": self.as_json(),
            "qualifier": self.qualifier,
            "basis": self.basis,
            "unit": self.indicator.unit_label("en"),
            "currency": self.currency,
            "from_ledger": _plain(self.from_ledger),
            "ledger_records": self.ledger_records,
            "covered_by_returns": _plain(self.covered_by_returns),
            "returns": [_return_json(r) for r in self.returns],
            "rates": [_return_json(r) for r in self.rates],
            "set_aside": [{**_return_json(r), "why": str(why)} for r, why in self.set_aside],
            "declared": _return_json(self.declared) if self.declared else None,
            "units": [u.code for u in self.units],
            "uncovered": [u.code for u in self.uncovered],
            "agreements": [a.pk for a in self.agreements],
        }


def _plain(value: Decimal) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _return_json(r: AggregateReturn) -> dict[str, Any]:
    return {
        "id": r.pk,
        "unit": r.home_unit.code,
        "kind": r.kind,
        "measure": r.measure,
        "value": _plain(r.value),
        "denominator": None if r.denominator is None else _plain(r.denominator),
        "qualifier": r.qualifier,
        "per": r.per,
        "currency": r.currency,
        "counterpart": r.counterpart.code if r.counterpart is not None else None,
        "period_from": r.period_from.isoformat() if r.period_from else None,
        "period_to": r.period_to.isoformat(),
        "source": r.source.code if r.source is not None else None,
    }


# Periods -------------------------------------------------------------------------------------


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def split_months(
    start: datetime.date | None, end: datetime.date
) -> tuple[
    datetime.date | None, datetime.date | None, list[tuple[datetime.date | None, datetime.date]]
]:
    """(first whole month, last whole month, edge day ranges) of the period."""
    first = None if start is None else (start if start.day == 1 else _next_month(start))
    last = end.replace(day=1) if end == _month_end(end) else None
    if last is None:
        last_start = end.replace(day=1)
        last = (last_start - datetime.timedelta(days=1)).replace(day=1)
    edges: list[tuple[datetime.date | None, datetime.date]] = []
    if first is not None and first > last:
        return None, None, [(start, end)]
    if start is not None and first is not None and start < first:
        edges.append((start, first - datetime.timedelta(days=1)))
    if _month_end(last) < end:
        edges.append((_next_month(last), end))
    return first, last, edges


def tally_spans(first: datetime.date | None, last: datetime.date) -> Q:
    """The Tally rows for the whole months `first`…`last` (first days; `first` None: from the
    beginning): whole calendar years from the year rows, the months around them from the month
    rows. Twenty years are twenty rows per key, not 240."""
    whole_from = None if first is None else first.year + (first.month != 1)
    whole_to = last.year if last.month == 12 else last.year - 1
    if whole_from is not None and whole_from > whole_to:
        return Q(span="m", month__lte=last) & (Q() if first is None else Q(month__gte=first))
    years = Q(span="y", month__lte=datetime.date(whole_to, 1, 1))
    if whole_from is not None:
        years &= Q(month__gte=datetime.date(whole_from, 1, 1))
    after = Q(span="m", month__gt=datetime.date(whole_to, 12, 1), month__lte=last)
    spans = years | after
    if first is not None and whole_from is not None and first < datetime.date(whole_from, 1, 1):
        spans |= Q(span="m", month__gte=first, month__lt=datetime.date(whole_from, 1, 1))
    return spans


# Ledger sums ---------------------------------------------------------------------------------

Sums = dict[
    tuple[str, str, str, str, str], list[Any]
]  # GROUP → records, times, persons, value, qty


def _empty() -> list[Any]:
    return [0, 0, 0, ZERO, ZERO]


def _add(into: Sums, rows: Iterable[dict[str, Any]], sign: int) -> None:
    for row in rows:
        key = tuple(row[g] or "" for g in GROUP)
        sums = into.setdefault(key, _empty())  # type: ignore[arg-type]
        for i, name in enumerate(("records", "times", "persons", "value", "quantity")):
            sums[i] += sign * (Decimal(row[name] or 0) if i >= 3 else int(row[name] or 0))


def _ledger_aggregate(qs: QuerySet[Activity], **by: Any) -> Iterable[dict[str, Any]]:
    """The five sums of ledger entries per GROUP key (and per `by`, e.g. a year)."""
    return (
        qs.order_by()
        .values(*GROUP, **by)
        .annotate(
            records=Count("id"),
            times=Coalesce(Sum("count"), 0),
            persons=Coalesce(Sum("persons"), 0),
            value=Sum("value"),
            quantity=Sum("quantity"),
        )
    )


def _tally_aggregate(qs: QuerySet[Any], **by: Any) -> Iterable[dict[str, Any]]:
    """The same five sums, of Tally rows."""
    sums = {name: Sum(name) for name in ("records", "times", "persons", "value", "quantity")}
    return qs.order_by().values(*GROUP, **by).annotate(**sums)


def _subtree(units: Iterable[Unit], lookup: str = "home_unit__path") -> Q:
    """Records under any of `units`. For records of a home unit this is `home_unit_id IN (the
    subtree's ids)`, not a join on the path: PostgreSQL then walks the (home_unit, kind,
    occurred_on) index per unit instead of every entry of the period (a commune's month: 0.4 ms
    instead of 2.6 ms; a province's: 18 ms instead of 54 ms on the national bench)."""
    q = Q()
    if lookup == "home_unit__path":
        for unit in units:
            q |= Q(path__startswith=unit.path)
        return Q(home_unit_id__in=Unit.objects.filter(q).values("id")) if q else q
    for unit in units:
        q |= Q(**{f"{lookup}__startswith": unit.path})
    return q


def _days(start: datetime.date | None, end: datetime.date) -> Q:
    q = Q(occurred_on__lte=end)
    return q & Q(occurred_on__gte=start) if start is not None else q


def ledger_sums(scope: Scope, window: Window, kinds: Iterable[str], clearance: int) -> Sums:
    kinds = sorted(set(kinds))
    out: Sums = {}
    first, last, edges = split_months(window.start, window.end)
    max_depth, max_daily = rollup_depth(), day_depth()
    spans = edges if last is not None else [(window.start, window.end)]
    for sign, anchors in ((+1, scope.plus), (-1, scope.minus)):
        if not anchors:
            continue
        shallow = [a for a in anchors if len(path_ids(a.path)) <= max_depth]
        deep = [a for a in anchors if len(path_ids(a.path)) > max_depth]
        # Countries and provinces have day rows: their edge days come from the Tally too.
        daily = [a for a in shallow if len(path_ids(a.path)) <= max_daily]
        tally = Q(tally_spans(first, last)) if last is not None else Q(pk__in=[])
        if daily and spans:
            days = Q()
            for start, end in spans:
                days |= Q(month__lte=end) & (Q() if start is None else Q(month__gte=start))
            tally = (tally & Q(anchor__in=shallow)) | (Q(span=Tally.DAY, anchor__in=daily) & days)
        else:
            tally &= Q(anchor__in=shallow)
        if shallow and (last is not None or (daily and spans)):
            rows = Tally.objects.filter(tally, kind__in=kinds, sensitivity__lte=clearance)
            _add(out, _tally_aggregate(rows), sign)
        # The ledger itself: deep anchors over the whole period, the other shallow ones on the
        # edge days. One query per (units, days): an OR of date ranges makes PostgreSQL give up
        # the per-unit index.
        reads: list[tuple[list[Unit], datetime.date | None, datetime.date]] = []
        if deep:
            reads.append((deep, window.start, window.end))
        by_ledger = [a for a in shallow if a not in daily]
        if by_ledger:
            reads += [(by_ledger, start, end) for start, end in spans]
        homes: dict[int, Q] = {}
        for units, start, end in reads:
            if id(units) not in homes:
                homes[id(units)] = _home_units(units)
            home = homes[id(units)]
            qs = Activity.objects.filter(
                home, _days(start, end), kind__in=kinds, sensitivity__lte=clearance
            )
            _add(out, _ledger_aggregate(qs), sign)
    return out


# Up to this many units a subtree is sent to the database as a list of ids: PostgreSQL then
# estimates well and walks the (home_unit, kind, occurred_on) index per unit (a station's edge
# days in 0.5 ms instead of 26 ms, a province's in 10 ms instead of 270 ms on the national
# bench). Bigger subtrees (a country) stay a subquery.
MAX_LISTED_UNITS = 5000


def _home_units(units: list[Unit]) -> Q:
    """Ledger entries whose home unit lies under any of `units`."""
    paths = Q()
    for unit in units:
        paths |= Q(path__startswith=unit.path)
    ids = list(Unit.objects.filter(paths).values_list("id", flat=True)[: MAX_LISTED_UNITS + 1])
    if len(ids) <= MAX_LISTED_UNITS:
        return Q(home_unit_id__in=ids)
    return Q(home_unit_id__in=Unit.objects.filter(paths).values("id"))


# Every ledger indicator of a call in one statement ---------------------------------------------

MEASURE_COLUMN = {
    "records": "records",
    "times": "times",
    "persons": "persons",
    "value": "value",
    "quantity": "quantity",
}
# What a Tally row and a ledger entry give each part of the statement (the same columns).
TALLY_PART = (
    "SELECT {sign} AS s, kind, channel, diplomacy, direction, currency, records, times, "
    "persons, value, quantity FROM {table} WHERE "
)
LEDGER_PART = (
    "SELECT {sign} AS s, kind, channel, diplomacy, direction, coalesce(currency, '') AS "
    'currency, 1 AS records, "count" AS times, persons, value, quantity FROM {table} WHERE '
)
# A float that SQLite's sum of decimals gave, made a Decimal as Django's converter makes it.
FLOAT_DECIMALS = Decimal("0.01")


class _Statement:
    """SQL text and its parameters, built in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def values(self, values: Iterable[Any]) -> str:
        """A list for `column IN (…)` or `column = ANY(…)`: one array on PostgreSQL."""
        values = list(values)
        if connection.vendor == "postgresql":
            self.params.append(values)
            return "= ANY(%s)"
        self.params.extend(values)
        return f"IN ({', '.join(['%s'] * len(values))})"

    def param(self, value: Any) -> str:
        self.params.append(value)
        return "%s"


def span_ranges(
    first: datetime.date | None, last: datetime.date
) -> list[tuple[str, datetime.date | None, datetime.date]]:
    """`tally_spans` as (span, first, last) ranges, each one range of the Tally's key: whole
    years from the year rows, the months around them from the month rows."""
    whole_from = None if first is None else first.year + (first.month != 1)
    whole_to = last.year if last.month == 12 else last.year - 1
    if whole_from is not None and whole_from > whole_to:
        return [(Tally.MONTH, first, last)]
    ranges: list[tuple[str, datetime.date | None, datetime.date]] = []
    if first is not None and whole_from is not None and first < datetime.date(whole_from, 1, 1):
        ranges.append((Tally.MONTH, first, datetime.date(whole_from - 1, 12, 1)))
    years_from = None if whole_from is None else datetime.date(whole_from, 1, 1)
    ranges.append((Tally.YEAR, years_from, datetime.date(whole_to, 1, 1)))
    if last >= datetime.date(whole_to + 1, 1, 1):
        ranges.append((Tally.MONTH, datetime.date(whole_to + 1, 1, 1), last))
    return ranges


def _condition(sql: _Statement, ind: Indicator) -> str:
    """`_filters(ind)` as SQL over the statement's parts."""
    conds = [f"kind {sql.values(ind.kinds)}"]
    for column in ("channel", "diplomacy", "direction"):
        if getattr(ind, column):
            conds.append(f"{column} {sql.values(getattr(ind, column))}")
    if ind.measure == "value":
        conds.append(f"currency = {sql.param(ind.currency)}")
    return " AND ".join(conds)


def ledger_totals(
    found: Anchors,
    window: Window,
    inds: list[Indicator],
    clearance: int,
    return_kinds: Iterable[str] = (),
) -> tuple[dict[str, tuple[Decimal, int]], bool]:
    """`measure_of` each of `inds` over what `ledger_sums` reads, in one statement: the Tally
    rows of the whole years and months, the day rows of the edge days where the anchor has them,
    the ledger for the rest (each part one range of an index), summed per indicator by the
    database, so that Python receives one row. Also whether any aggregate return of
    `return_kinds` lies in the scope (then the caller reads them; mostly there are none)."""
    kinds = sorted({k for ind in inds for k in ind.kinds})
    first, last, edges = split_months(window.start, window.end)
    max_depth, max_daily = rollup_depth(), day_depth()
    spans = edges if last is not None else [(window.start, window.end)]
    ranges = span_ranges(first, last) if last is not None else []
    sql = _Statement()
    head = ["SELECT "]
    measures = []
    for ind in inds:
        column = MEASURE_COLUMN[ind.measure]
        cond = _condition(sql, ind)
        measures.append(f"coalesce(sum(s * {column}) FILTER (WHERE {cond}), 0)")
        cond = _condition(sql, ind)
        measures.append(f"coalesce(sum(s * records) FILTER (WHERE {cond}), 0)")
    head.append(", ".join(measures))
    select_params = list(sql.params)
    sql.params.clear()
    parts: list[str] = []
    tally, activity = Tally._meta.db_table, Activity._meta.db_table
    for sign, refs in ((1, found.plus), (-1, found.minus)):
        shallow = [r for r in refs if r[1].count("/") - 1 <= max_depth]
        deep = [r for r in refs if r[1].count("/") - 1 > max_depth]
        daily = [r for r in shallow if r[1].count("/") - 1 <= max_daily]
        reads: list[tuple[list[tuple[int, str]], datetime.date | None, datetime.date]] = []
        if deep:
            reads.append((deep, window.start, window.end))
        by_ledger = [r for r in shallow if r not in daily]
        reads += [(by_ledger, start, end) for start, end in spans if by_ledger]
        tally_reads = [(shallow, span, lo, hi) for span, lo, hi in ranges if shallow]
        tally_reads += [(daily, Tally.DAY, lo, hi) for lo, hi in spans if daily]
        for anchors, span, lo, hi in tally_reads:
            where = [
                f"anchor_id {sql.values(pk for pk, _path in anchors)}",
                f"kind {sql.values(kinds)}",
                f"span = {sql.param(span)}",
            ]
            if lo is not None:
                where.append(f"month >= {sql.param(lo)}")
            where.append(f"month <= {sql.param(hi)}")
            where.append(f"sensitivity <= {sql.param(clearance)}")
            parts.append(TALLY_PART.format(sign=sign, table=tally) + " AND ".join(where))
        for units, start, end in reads:
            where = [_home_sql(sql, units), f"kind {sql.values(kinds)}"]
            if start is not None:
                where.append(f"occurred_on >= {sql.param(start)}")
            where.append(f"occurred_on <= {sql.param(end)}")
            where.append(f"sensitivity <= {sql.param(clearance)}")
            parts.append(LEDGER_PART.format(sign=sign, table=activity) + " AND ".join(where))
    part_params = list(sql.params)
    sql.params.clear()
    returns = sorted(set(return_kinds))
    probe = "0"
    if returns:
        probe = _returns_probe(sql, found, returns)
    probe_params = list(sql.params)
    if not parts:  # nothing to read: an empty part keeps the statement's shape
        parts.append(
            "SELECT 0 AS s, '' AS kind, '' AS channel, '' AS diplomacy, '' AS direction, "
            "'' AS currency, 0 AS records, 0 AS times, 0 AS persons, 0 AS value, 0 AS quantity"
        )
    text = (
        f"{''.join(head)}, ({probe}) FROM ({' UNION ALL '.join(parts)}) AS parts"
        if measures
        else f"SELECT ({probe})"
    )
    params = [*select_params, *probe_params, *part_params] if measures else probe_params
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        row = cursor.fetchone()
    totals: dict[str, tuple[Decimal, int]] = {}
    for i, ind in enumerate(inds):
        value, records = row[2 * i], row[2 * i + 1]
        if isinstance(value, float):
            value = Decimal(value).quantize(FLOAT_DECIMALS)
        totals[ind.code] = (Decimal(value or 0), int(records or 0))
    return totals, bool(row[-1])


def monthly_measure(
    unit: Unit,
    first: datetime.date,
    last: datetime.date,
    as_of: datetime.date,
    ind: Indicator,
    clearance: int,
) -> dict[datetime.date, Decimal]:
    """`measure_of(ind, …)` of each whole month from `first`'s to `last`'s (first days), as
    `monthly_ledger_sums` reads them, summed per month by the database in one statement (a new
    province's two years of month rows of every kind are thousands of rows: Python received
    them one by one). PostgreSQL; elsewhere through `monthly_ledger_sums`."""
    first, last = first.replace(day=1), last.replace(day=1)
    if connection.vendor != "postgresql":
        scope = resolve(unit, as_of)
        sums = monthly_ledger_sums(scope, first, _month_end(last), ind.kinds, clearance)
        return {month: measure_of(ind, rows)[0] for month, rows in sums.items()}
    found = stats_scope.anchors(unit, as_of)
    max_depth = rollup_depth()
    sql = _Statement()
    cond = _condition(sql, ind)
    head = f"SELECT m, coalesce(sum(s * {MEASURE_COLUMN[ind.measure]}) FILTER (WHERE {cond}), 0)"
    head_params = list(sql.params)
    sql.params.clear()
    parts = []
    columns = (
        "kind, channel, diplomacy, direction, currency, records, times, persons, value, quantity"
    )
    for sign, refs in ((1, found.plus), (-1, found.minus)):
        shallow = [r for r in refs if r[1].count("/") - 1 <= max_depth]
        deep = [r for r in refs if r[1].count("/") - 1 > max_depth]
        if shallow:
            where = [
                f"anchor_id {sql.values(pk for pk, _path in shallow)}",
                f"kind {sql.values(ind.kinds)}",
                f"span = {sql.param(Tally.MONTH)}",
                f"month >= {sql.param(first)}",
                f"month <= {sql.param(last)}",
                f"sensitivity <= {sql.param(clearance)}",
            ]
            parts.append(
                f"SELECT {sign} AS s, month AS m, {columns} FROM {Tally._meta.db_table} "
                f"WHERE {' AND '.join(where)}"
            )
        if deep:
            where = [
                _home_sql(sql, deep),
                f"kind {sql.values(ind.kinds)}",
                f"occurred_on >= {sql.param(first)}",
                f"occurred_on <= {sql.param(_month_end(last))}",
                f"sensitivity <= {sql.param(clearance)}",
            ]
            parts.append(
                f"SELECT {sign} AS s, date_trunc('month', occurred_on)::date AS m, kind, "
                "channel, diplomacy, direction, coalesce(currency, '') AS currency, 1 AS records, "
                '"count" AS times, persons, value, quantity '
                f"FROM {Activity._meta.db_table} WHERE {' AND '.join(where)}"
            )
    if not parts:
        return {}
    text = f"{head} FROM ({' UNION ALL '.join(parts)}) AS parts GROUP BY m"
    with connection.cursor() as cursor:
        cursor.execute(text, [*head_params, *sql.params])
        return {month: Decimal(total) for month, total in cursor.fetchall()}


def _home_sql(sql: _Statement, units: list[tuple[int, str]]) -> str:
    """Ledger entries whose home unit lies under any of `units` (`_home_units`): a list of ids
    up to MAX_LISTED_UNITS, the units' paths beyond."""
    paths = [path for _pk, path in units]
    ids = stats_scope.index().subtree_ids(paths, MAX_LISTED_UNITS)
    if ids is not None:
        return f"home_unit_id {sql.values(ids)}"
    likes = " OR ".join(f"path LIKE {sql.param(path + '%')}" for path in paths)
    return f"home_unit_id IN (SELECT id FROM {Unit._meta.db_table} WHERE {likes})"


def _returns_probe(sql: _Statement, found: Anchors, kinds: list[str]) -> str:
    """SQL counting the aggregate returns of `kinds` in the scope (`_returns_in`'s rows)."""
    where = f"r.kind {sql.values(kinds)}"  # the parameters go in the order of the text
    plus = " OR ".join(f"u.path LIKE {sql.param(path + '%')}" for _pk, path in found.plus)
    where += f" AND ({plus})"
    if found.minus:
        minus = " OR ".join(f"u.path LIKE {sql.param(path + '%')}" for _pk, path in found.minus)
        where += f" AND NOT ({minus})"
    return (
        f"SELECT count(*) FROM {AggregateReturn._meta.db_table} r JOIN {Unit._meta.db_table} u "
        f"ON u.id = r.home_unit_id WHERE {where}"
    )


def measure_of(ind: Indicator, sums: Sums) -> tuple[Decimal, int]:
    index = ("records", "times", "persons", "value", "quantity").index(ind.measure)
    total, records = ZERO, 0
    for (kind, channel, diplomacy, direction, currency), values in sums.items():
        if kind not in ind.kinds:
            continue
        if ind.channel and channel not in ind.channel:
            continue
        if ind.diplomacy and diplomacy not in ind.diplomacy:
            continue
        if ind.direction and direction not in ind.direction:
            continue
        if ind.measure == "value" and currency != ind.currency:
            continue
        total += Decimal(values[index])
        records += int(values[0])
    return total, records


def measure_total(measure: str) -> Aggregate | Coalesce:
    """The aggregate of ledger entries that an indicator's `measure` adds up."""
    if measure == "records":
        return Count("id")
    column = "count" if measure == "times" else measure
    return Coalesce(Sum(column), ZERO if measure in ("value", "quantity") else 0)


def _filters(ind: Indicator) -> Q:
    q = Q(kind__in=ind.kinds)
    if ind.channel:
        q &= Q(channel__in=ind.channel)
    if ind.diplomacy:
        q &= Q(diplomacy__in=ind.diplomacy)
    if ind.direction:
        q &= Q(direction__in=ind.direction)
    if ind.measure == "value":
        q &= Q(currency=ind.currency)
    return q


# Returns -------------------------------------------------------------------------------------


def _returns_in(scope: Scope, kinds: Iterable[str]) -> list[AggregateReturn]:
    qs = AggregateReturn.objects.filter(_subtree(scope.plus), kind__in=sorted(set(kinds)))
    if scope.minus:
        qs = qs.exclude(_subtree(scope.minus))
    return list(qs.select_related("home_unit", "counterpart", "source").order_by("period_to", "pk"))


def _period_contains(outer: AggregateReturn, inner: AggregateReturn) -> bool:
    starts = outer.period_from is None or (
        inner.period_from is not None and inner.period_from >= outer.period_from
    )
    return starts and inner.period_to <= outer.period_to


def nested(outer: AggregateReturn, inner: AggregateReturn) -> bool:
    """`inner` is part of what `outer` counts: same kind and measure, within it on every axis."""
    if outer.kind != inner.kind or outer.measure != inner.measure:
        return False
    if outer.direction and outer.direction != inner.direction:
        return False
    if not inner.home_unit.path.startswith(outer.home_unit.path):
        return False
    if outer.counterpart_id != inner.counterpart_id:
        if outer.counterpart is None or inner.counterpart is None:
            return False
        if not inner.counterpart.path.startswith(outer.counterpart.path):
            return False
    return _period_contains(outer, inner)


def _within(a: Unit, b: Unit) -> bool:
    """One of the two lies under the other."""
    return a.path.startswith(b.path) or b.path.startswith(a.path)


def overlap(a: AggregateReturn, b: AggregateReturn) -> bool:
    """Both may count some of the same things: same kind and measure, compatible directions,
    units one under the other, counterparts one under the other (or both unnamed, as `nested`
    reads them: a return without a counterpart does not say it holds a named one's), periods
    that meet."""
    if a.kind != b.kind or a.measure != b.measure:
        return False
    if a.direction and b.direction and a.direction != b.direction:
        return False
    if not _within(a.home_unit, b.home_unit):
        return False
    if (a.counterpart is None) != (b.counterpart is None):
        return False
    if (
        a.counterpart is not None
        and b.counterpart is not None
        and not _within(a.counterpart, b.counterpart)
    ):
        return False
    a_from, b_from = a.period_from or datetime.date.min, b.period_from or datetime.date.min
    return a_from <= b.period_to and b_from <= a.period_to


def widest_first(r: AggregateReturn) -> tuple[int, int, int, int]:
    span = (r.period_to - (r.period_from or datetime.date.min)).days
    counterpart_depth = r.counterpart.path.count("/") if r.counterpart is not None else 0
    return (-span, r.home_unit.path.count("/"), counterpart_depth, r.pk)


def combine_qualifiers(qualifiers: Iterable[str]) -> str:
    loose = {q for q in qualifiers if q != Qualifier.EXACT}
    if not loose:
        return Qualifier.EXACT
    if loose <= {Qualifier.MORE_THAN, Qualifier.AT_LEAST}:
        return Qualifier.MORE_THAN
    if loose == {Qualifier.NEARLY}:
        return Qualifier.NEARLY
    return Qualifier.ABOUT


WHY_BEFORE = _("starts before the period, or its start is not known")
WHY_AFTER = _("ends after the period")
WHY_NESTED = _("included in a wider return")
WHY_BOTH_WAYS = _("counts both directions; this figure counts one")
WHY_OVERLAP = _("overlaps a longer return: counting both would count their common part twice")


def _evaluate_ledger(
    ind: Indicator,
    scope: Scope | None,
    window: Window,
    clearance: int,
    sums: Sums,
    returns: list[AggregateReturn],
    totals: tuple[Decimal, int] | None = None,
) -> Figure:
    """The figure from the ledger's sums (`sums`, or `totals`: `measure_of` them already
    taken) and the returns in the scope."""
    fig = Figure(ind, currency=ind.currency)
    fig.from_ledger, fig.ledger_records = totals if totals is not None else measure_of(ind, sums)
    measure = RETURN_MEASURE[ind.measure]
    mine = [
        r
        for r in returns
        if r.kind in ind.return_kinds
        and r.measure == measure
        and (ind.measure != "value" or r.currency == ind.currency)
        # A return that names its direction counts only where the indicator's directions allow.
        and not (r.direction and ind.direction and r.direction not in ind.direction)
    ]
    in_window = []
    for r in mine:
        if ind.direction and not r.direction:
            fig.set_aside.append((r, WHY_BOTH_WAYS))
        elif r.per:
            fig.rates.append(r)
        elif r.period_to > window.end or r.period_to > window.as_of:
            fig.set_aside.append((r, WHY_AFTER))
        elif window.start is not None and (r.period_from is None or r.period_from < window.start):
            fig.set_aside.append((r, WHY_BEFORE))
        else:
            in_window.append(r)
    # One pass, widest first (longest period, then the higher unit and counterpart, then the
    # earlier entered), so a return meets the ones that could hold it before itself: it is set
    # aside when a counted one holds it (nested) or shares part of it without holding it
    # (overlap: the two cannot be split). A return inside one that was set aside can still count.
    for r in sorted(in_window, key=widest_first):
        if any(nested(o, r) for o in fig.returns):
            fig.set_aside.append((r, WHY_NESTED))
        elif any(overlap(r, o) for o in fig.returns):
            fig.set_aside.append((r, WHY_OVERLAP))
        else:
            fig.returns.append(r)
    fig.returns.sort(key=lambda r: (r.period_to, r.pk))
    total = fig.from_ledger
    # An entry two returns both cover is taken off once: one query over the union of what
    # the counted returns cover.
    covers = Q()
    for r in fig.returns:
        total += Decimal(r.value)
        first = [d for d in (r.period_from, window.start) if d]
        # A unit's return is its whole total: it covers the entries of its subtree (as a
        # district's return nests in its province's), not only those it holds itself.
        cover = _days(max(first) if first else None, r.period_to) & Q(
            home_unit__path__startswith=r.home_unit.path, kind=r.kind
        )
        if r.counterpart is not None:
            cover &= Q(counterpart__path__startswith=r.counterpart.path)
        if r.direction:
            cover &= Q(direction=r.direction)
        covers |= cover
    if fig.returns:
        covered = Activity.objects.filter(covers, _filters(ind), sensitivity__lte=clearance)
        agg = covered.aggregate(n=measure_total(ind.measure))
        fig.covered_by_returns = Decimal(agg["n"] or 0)
    total -= fig.covered_by_returns
    fig.value = total
    fig.qualifier = combine_qualifiers(r.qualifier for r in fig.returns)
    fig.basis = (
        "records" if not fig.returns else "declared" if not fig.ledger_records else "combined"
    )
    return fig


# Stock indicators ----------------------------------------------------------------------------


def _latest_declared(
    ind: Indicator, returns: list[AggregateReturn], day: datetime.date
) -> AggregateReturn | None:
    """The latest return for `ind` up to `day`. A count of units, agreements or coverage
    describes the tree of the unit that declared it: once that unit has ended (old Hà Giang in
    the 2025 reform) its "7 border districts" no longer describe anything, and the registry of
    the tree as it stands speaks alone."""
    stock = ind.rule in ("units", "agreements", "coverage")
    candidates = [
        r
        for r in returns
        if r.kind in ind.return_kinds
        and r.period_to <= day
        and not r.per
        and not (stock and not r.home_unit.is_valid_on(day))
    ]
    return max(candidates, key=lambda r: (r.period_to, r.pk), default=None)


def _use_declared(fig: Figure, declared: AggregateReturn) -> None:
    fig.declared = declared
    fig.value = Decimal(declared.value)
    fig.denominator = None if declared.denominator is None else Decimal(declared.denominator)
    fig.qualifier = declared.qualifier
    fig.basis = "declared"
    fig.returns = [declared]


def _units_in(scope: Scope, day: datetime.date) -> QuerySet[Unit]:
    qs = Unit.objects.valid_on(day).filter(_subtree(scope.plus, "path"))
    if scope.minus:
        qs = qs.exclude(_subtree(scope.minus, "path"))
    return qs


# The columns of the units a stock figure lists that no page of figures shows.
LIGHT_UNITS = ("created_at", "updated_at", *Unit.listing_defer)


class _StockReads:
    """The units and ties the stock indicators of one call read, each read once for all of
    them (a dashboard asks for three counts of units and four coverages: one query of the
    units, one of the ties), without the units' bulky columns. The units valid on a day change
    only where an epoch of the gazetteer does: they are kept per epoch (`stats.scope.kept`)."""

    def __init__(self, wanted: list[Indicator], scope: Scope, day: datetime.date) -> None:
        self.scope, self.day = scope, day
        self.unit_kinds = sorted({i.unit_kind for i in wanted if i.rule == "units"})
        codes = {i.code for i in wanted if i.rule == "coverage" and i.registry}
        self.rules = [r for r in coverage_rules.RULES if r.code in codes]
        self._units: list[Unit] | None = None
        self._candidates: list[Unit] | None = None
        self._ties: list[tuple[str, int | None]] = []

    def units(self, ind: Indicator) -> list[Unit]:
        """`_units_in` the scope of `ind`'s kind (border units only where it says), by code."""
        if self._units is None:
            qs = _units_in(self.scope, self.day).filter(kind__in=self.unit_kinds)
            self._units = stats_scope.kept(
                (
                    "units",
                    *(a.pk for a in self.scope.plus),
                    "minus",
                    *(a.pk for a in self.scope.minus),
                    "kinds",
                    *self.unit_kinds,
                ),
                self.day,
                lambda: list(qs.defer(*LIGHT_UNITS).order_by("code")),
            )
        return [
            u
            for u in self._units
            if u.kind == ind.unit_kind and (u.is_border or not ind.border_only)
        ]

    def coverage(self, rule: coverage_rules.CoverageRule) -> tuple[list[Unit], list[Unit]]:
        """`coverage.evaluate` under each anchor of the scope, put together: (covered,
        uncovered), each anchor's units by code."""
        if self._candidates is None:
            paths = Q()
            for anchor in self.scope.plus:
                paths |= Q(path__startswith=anchor.path)
            kinds = sorted({r.kind for r in self.rules})
            candidates = Unit.objects.valid_on(self.day).filter(paths, kind__in=kinds)
            self._candidates = stats_scope.kept(
                ("coverage", *(a.pk for a in self.scope.plus), "kinds", *kinds),
                self.day,
                lambda: list(candidates.defer(*LIGHT_UNITS).order_by("code")),
            )
            in_force = Partnership.objects.filter(
                Q(started_on__isnull=True) | Q(started_on__lte=self.day),
                Q(ended_on__isnull=True) | Q(ended_on__gte=self.day),
            )
            if all(r.partnership_kinds for r in self.rules):
                in_force = in_force.filter(
                    kind__in=sorted({k for r in self.rules for k in r.partnership_kinds})
                )
            self._ties = list(in_force.values_list("kind", "our_units"))
        tied = {
            pk
            for kind, pk in self._ties
            if not rule.partnership_kinds or kind in rule.partnership_kinds
        }
        covered: list[Unit] = []
        uncovered: list[Unit] = []
        for anchor in self.scope.plus:
            for u in self._candidates:
                if (
                    u.kind == rule.kind
                    and (u.is_border or not rule.border_only)
                    and u.path.startswith(anchor.path)
                ):
                    (covered if u.pk in tied else uncovered).append(u)
        return covered, uncovered


def _evaluate_stock(
    ind: Indicator,
    scope: Scope,
    window: Window,
    returns: list[AggregateReturn],
    figures: dict[str, Figure],
    reads: _StockReads | None = None,
) -> Figure:
    day = window.stock_day
    fig = Figure(ind)
    declared = _latest_declared(ind, returns, day)
    reads = reads or _StockReads([ind], scope, day)
    if ind.rule == "units":
        fig.units = reads.units(ind)
        fig.value = Decimal(len(fig.units))
        if declared is not None and declared.value > fig.value:
            _use_declared(fig, declared)
    elif ind.rule == "agreements":
        agreements = Agreement.objects.filter(_subtree(scope.plus), level=ind.level)
        fig.agreements = [a for a in agreements.order_by("signed_on", "pk") if a.in_force_on(day)]
        fig.value = Decimal(len(fig.agreements))
        if declared is not None and declared.value > fig.value:
            _use_declared(fig, declared)
    elif ind.rule == "coverage":
        rule = next((r for r in coverage_rules.RULES if r.code == ind.code), None)
        if ind.registry and rule is not None:
            fig.units, fig.uncovered = reads.coverage(rule)
            fig.value = Decimal(len(fig.units))
            fig.denominator = Decimal(len(fig.units) + len(fig.uncovered))
        if declared is not None and (
            fig.value is None
            or declared.value > fig.value
            or (declared.denominator is not None and declared.denominator > (fig.denominator or 0))
        ):
            _use_declared(fig, declared)
        if fig.value is not None and fig.denominator is None and ind.denominator:
            fig.denominator = figures[ind.denominator].value
    elif ind.rule == "declared":
        if declared is not None:
            _use_declared(fig, declared)
        else:
            fig.basis = "none"
    elif ind.rule == "since":
        ties = Partnership.objects.filter(
            _subtree(scope.plus), kind__in=ind.partnership_kinds, started_on__isnull=False
        )
        ties = ties.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day)
        fig.partnerships = list(ties.order_by("started_on"))
        first = fig.partnerships[0].started_on if fig.partnerships else None  # never null here
        if first is not None:
            fig.value = Decimal(first.year)
        else:
            fig.basis = "none"
    return fig


# Entry points --------------------------------------------------------------------------------


def _order(codes: list[str]) -> list[Indicator]:
    """The indicators asked for, plus the denominators they need, denominators first."""
    wanted: dict[str, Indicator] = {}
    for code in codes:
        ind = declared_indicators.get(code)
        if ind.denominator:
            wanted.setdefault(ind.denominator, declared_indicators.get(ind.denominator))
        wanted[code] = ind
    return sorted(wanted.values(), key=lambda i: 0 if not i.denominator else 1)


def evaluate_many(
    codes: list[str], unit: Unit, window: Window, clearance: int
) -> dict[str, Figure]:
    """Every indicator of `codes` for `unit` over `window`, with the fewest queries: for
    ledger indicators one statement (`ledger_totals`) when no aggregate return lies in the
    scope, and the returns read besides when one does."""
    found = stats_scope.anchors(unit, window.as_of)
    wanted = _order(codes)
    ledger = [i for i in wanted if i.rule == "ledger"]
    return_kinds = [k for i in wanted for k in i.return_kinds]
    totals, any_returns = ledger_totals(found, window, ledger, clearance, return_kinds)
    scope: Scope | None = None
    if len(ledger) < len(wanted) or any_returns:
        scope = resolve(unit, window.as_of)
    returns = _returns_in(scope, return_kinds) if scope is not None and any_returns else []
    figures: dict[str, Figure] = {}
    reads: _StockReads | None = None
    for ind in wanted:
        if ind.rule == "ledger":
            figures[ind.code] = _evaluate_ledger(
                ind, scope, window, clearance, {}, returns, totals[ind.code]
            )
            continue
        assert scope is not None  # resolved above for every rule but the ledger's
        if (rule := rules.get_rule(ind.rule)) is not None:
            figures[ind.code] = rule.figure(ind, scope, window)
        else:
            if reads is None:
                reads = _StockReads(wanted, scope, window.stock_day)
            figures[ind.code] = _evaluate_stock(ind, scope, window, returns, figures, reads)
    return {code: figures[code] for code in codes}


def evaluate(code: str, unit: Unit, window: Window, clearance: int) -> Figure:
    return evaluate_many([code], unit, window, clearance)[code]


def activities_behind(
    fig: Figure, unit: Unit, window: Window, clearance: int
) -> QuerySet[Activity]:
    """The ledger entries a ledger figure counts (before returns that cover some of them)."""
    scope = resolve(unit, window.as_of)
    qs = Activity.objects.filter(
        _subtree(scope.plus),
        _filters(fig.indicator),
        _days(window.start, window.end),
        sensitivity__lte=clearance,
    )
    if scope.minus:
        qs = qs.exclude(_subtree(scope.minus))
    return qs


def yearly_ledger_sums(
    scope: Scope, first_year: int, last_year: int, kinds: Iterable[str], clearance: int
) -> dict[int, Sums]:
    """`ledger_sums` for each calendar year of `first_year`…`last_year`, in one query per kind of
    anchor (the year rows of the Tally; the ledger grouped by year below the rollup)."""
    first, last = datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31)
    sums = _periodic_ledger_sums(scope, first, last, kinds, clearance, Tally.YEAR)
    return {day.year: rows for day, rows in sums.items()}


def monthly_ledger_sums(
    scope: Scope, first: datetime.date, last: datetime.date, kinds: Iterable[str], clearance: int
) -> dict[datetime.date, Sums]:
    """`ledger_sums` for each calendar month from `first`'s to `last`'s, keyed by the month's
    first day: the month rows of the Tally, the ledger grouped by month below the rollup."""
    return _periodic_ledger_sums(
        scope, first.replace(day=1), _month_end(last), kinds, clearance, Tally.MONTH
    )


def _periodic_ledger_sums(
    scope: Scope,
    first: datetime.date,
    last: datetime.date,
    kinds: Iterable[str],
    clearance: int,
    span: str,
) -> dict[datetime.date, Sums]:
    """The sums of each whole year (span "y") or month (span "m") between `first` and `last`
    (the first and last days of such spans), keyed by the span's first day."""
    kinds = sorted(set(kinds))
    out: dict[datetime.date, Sums] = defaultdict(dict)
    max_depth = rollup_depth()
    truncate = TruncYear if span == Tally.YEAR else TruncMonth

    def add(rows: Iterable[dict[str, Any]], sign: int) -> None:
        by_span: dict[datetime.date, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            when = row.pop("when")
            by_span[when if type(when) is datetime.date else when.date()].append(row)
        for when, span_rows in by_span.items():
            _add(out[when], span_rows, sign)

    for sign, anchors in ((+1, scope.plus), (-1, scope.minus)):
        shallow = [a for a in anchors if len(path_ids(a.path)) <= max_depth]
        deep = [a for a in anchors if len(path_ids(a.path)) > max_depth]
        if shallow:
            rows = Tally.objects.filter(
                span=span,
                month__gte=first,
                month__lte=last,
                anchor__in=shallow,
                kind__in=kinds,
                sensitivity__lte=clearance,
            )
            add(_tally_aggregate(rows, when=F("month")), sign)
        if deep:
            qs = Activity.objects.filter(
                _subtree(deep), _days(first, last), kind__in=kinds, sensitivity__lte=clearance
            )
            add(_ledger_aggregate(qs, when=truncate("occurred_on")), sign)
    return out


def by_year(
    codes: list[str],
    unit: Unit,
    first_year: int,
    last_year: int,
    as_of: datetime.date,
    clearance: int,
) -> dict[str, list[tuple[int, Figure]]]:
    """A figure per calendar year, for the trend charts. Ledger indicators take their sums for
    every year at once; each year's figure is then made exactly as `evaluate_many` makes it."""
    series: dict[str, list[tuple[int, Figure]]] = defaultdict(list)
    wanted = _order(codes)
    if any(ind.rule != "ledger" for ind in wanted):
        for year in range(first_year, last_year + 1):
            window = Window(datetime.date(year, 1, 1), datetime.date(year, 12, 31), as_of)
            for code, fig in evaluate_many(codes, unit, window, clearance).items():
                series[code].append((year, fig))
        return dict(series)
    scope = resolve(unit, as_of)
    kinds = [k for ind in wanted for k in ind.kinds]
    per_year = yearly_ledger_sums(scope, first_year, last_year, kinds, clearance)
    returns = _returns_in(scope, [k for ind in wanted for k in ind.return_kinds])
    for year in range(first_year, last_year + 1):
        window = Window(datetime.date(year, 1, 1), datetime.date(year, 12, 31), as_of)
        sums = per_year.get(year, {})
        for ind in wanted:
            fig = _evaluate_ledger(ind, scope, window, clearance, sums, returns)
            series[ind.code].append((year, fig))
    return {code: series[code] for code in codes}
