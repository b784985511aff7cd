"""Statistics speed: the engine on PostgreSQL against a DuckDB scan of the same ledger.

    python -m bench.stats_speed [--queries 200] [--pages 16] [--seed 1]
        [--database-url postgres://…/borderlink_bench] [--parquet var/bench/national_ledger.parquet]

Needs the dataset of bench/national_data.py (PostgreSQL and its Parquet copy). One run prints:

(a) p50/p95/max latency of `evaluate_many` for `--queries` random (subtree, period) queries:
    subtrees drawn at every level (Vietnam, old and new provinces, districts, old and new
    communes, old and new stations, old and new villages), periods whole months, quarters,
    years, multi-year ranges, arbitrary day ranges and "from the beginning", 3 to 6 ledger
    indicators each, an as-of date on which the unit is valid, a clearance of 1 to 3; after a
    warm-up on other random queries;
(b) for the same queries, DuckDB (home path prefixes of the scope the engine resolved, the
    period, the clearance, the indicators' filters, one query computing every indicator) on the
    ledger loaded once into a DuckDB table sorted by path and date — what a columnar engine's
    user would do, the fair baseline — and (b') on the Parquet file read afresh each query:
    p50/p95/max;
(c) the ratios engine/DuckDB table at p50 and p95, beside issue 18's targets (<= 1.0x, engine
    p95 <= 20 ms); PostgreSQL sessions run with the settings docs/operations.md recommends
    for the server (`--pg-settings`: JIT and parallel plans off), printed with the figures;
(d) the dashboard page (/stats/dashboard/<code>/?from=…&to=…, a superuser) p50/p95/max and the
    SQL queries per page;
(e) checks: every ledger figure of (a) against DuckDB computed independently of the engine's
    scope resolution — an activity counts for (unit, as-of) when its home unit's holder on the
    as-of date (itself if valid, else its main successor, recursively, else its parent's
    holder: an abolished district stays with its province) lies in the unit's subtree — and
    against the prefix scan of (b). Mismatches are listed; queries are split into "plain"
    (the scope is the unit's own subtree) and "roll-up" (the reform adds predecessors).
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/borderlink_bench"
DEFAULT_PARQUET = "var/bench/national_ledger.parquet"
MEASURE_SQL = {
    "records": "count(*)",
    "times": "sum(count)",
    "persons": "sum(persons)",
    "value": "sum(value)",
    "quantity": "sum(quantity)",
}
LEVELS = [
    "country",
    "province old",
    "province new",
    "district",
    "commune old",
    "commune new",
    "station old",
    "station new",
    "village old",
    "village new",
]
PERIODS = {"month": 20, "quarter": 20, "year": 25, "years": 20, "days": 10, "all": 5}


@dataclass
class Query:
    level: str
    unit_id: int
    code: str
    path: str
    start: datetime.date | None
    end: datetime.date
    as_of: datetime.date
    period: str
    codes: list[str]
    clearance: int
    engine_ms: float = 0.0
    engine_sql: int = 0
    duck_ms: float = 0.0  # DuckDB on the ledger table loaded in memory once (the baseline)
    parquet_ms: float = 0.0  # DuckDB reading the Parquet file afresh (a second line)
    plain: bool = True
    engine: dict[str, Decimal] = field(default_factory=dict)
    duck: dict[str, Decimal] = field(default_factory=dict)
    holders: dict[str, Decimal] = field(default_factory=dict)


# What docs/operations.md recommends setting on the server ("Statistics at national scale"),
# that a session can set for itself: a statement estimated above jit_above_cost is compiled
# first (15-60 ms for a country's long period, which then runs in 2-30 ms), and a parallel
# plan starts workers (20-50 ms on two busy cores) for an index scan of a few thousand rows.
RECOMMENDED = ("jit=off", "max_parallel_workers_per_gather=0")
# The server settings the figures depend on (bench/README-stats.md, docs/operations.md).
PG_SETTINGS = (
    "shared_buffers",
    "effective_cache_size",
    "work_mem",
    "random_page_cost",
    "jit",
    "max_parallel_workers_per_gather",
)


def _size(setting: str, unit: str | None) -> str:
    """A pg_settings value in its unit: 8kB pages and kB as MB."""
    factor = {"8kB": 8, "kB": 1}.get(unit or "")
    if factor is None or not setting.isdigit():
        return setting
    return f"{int(setting) * factor // 1024} MB"


def pct(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


# The queries ------------------------------------------------------------------------------


def _month_end(day: datetime.date) -> datetime.date:
    nxt = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return nxt - datetime.timedelta(days=1)


def random_period(
    rng: random.Random, first: datetime.date, last: datetime.date
) -> tuple[str, datetime.date | None, datetime.date]:
    kind = rng.choices(list(PERIODS), weights=list(PERIODS.values()))[0]
    year = rng.randint(first.year, last.year)
    if kind == "month":
        start = datetime.date(year, rng.randint(1, 12), 1)
        return kind, start, _month_end(start)
    if kind == "quarter":
        q = rng.randint(0, 3)
        start = datetime.date(year, 3 * q + 1, 1)
        return kind, start, _month_end(datetime.date(year, 3 * q + 3, 1))
    if kind == "year":
        return kind, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if kind == "years":
        length = rng.randint(2, 10)
        y0 = rng.randint(first.year, max(first.year, last.year - length + 1))
        return kind, datetime.date(y0, 1, 1), datetime.date(min(last.year, y0 + length - 1), 12, 31)
    if kind == "days":
        span = (last - first).days
        start = first + datetime.timedelta(days=rng.randrange(span))
        return kind, start, min(last, start + datetime.timedelta(days=rng.randint(0, 400)))
    return kind, None, datetime.date(year, 12, 31)


def levels_of(units: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for u in units:
        if u["country"] != "VN":
            continue
        era = "old" if u["valid_to"] is not None else "new"
        kind = {"border_station": "station"}.get(u["kind"], u["kind"])
        if kind in ("country", "district"):
            out[kind].append(u)
        elif kind in ("province", "commune", "station", "village"):
            out[f"{kind} {era}"].append(u)
    return out


def random_as_of(rng: random.Random, u: dict[str, Any], today: datetime.date) -> datetime.date:
    low = u["valid_from"] or datetime.date(2006, 1, 1)
    high = u["valid_to"] or today
    if rng.random() < 0.6:
        return high
    return low + datetime.timedelta(days=rng.randint(0, (high - low).days))


def make_queries(
    n: int,
    rng: random.Random,
    by_level: dict[str, list[dict[str, Any]]],
    ledger_codes: list[str],
    first: datetime.date,
    last: datetime.date,
    today: datetime.date,
) -> list[Query]:
    levels = [lv for lv in LEVELS if by_level.get(lv)]
    out = []
    for i in range(n):
        level = levels[i % len(levels)]
        u = rng.choice(by_level[level])
        period, start, end = random_period(rng, first, last)
        codes = rng.sample(ledger_codes, rng.randint(3, min(6, len(ledger_codes))))
        out.append(
            Query(
                level=level,
                unit_id=u["id"],
                code=u["code"],
                path=u["path"],
                start=start,
                end=end,
                as_of=random_as_of(rng, u, today),
                period=period,
                codes=codes,
                clearance=rng.choices([1, 2, 3], weights=[20, 10, 70])[0],
            )
        )
    rng.shuffle(out)
    return out


# DuckDB ----------------------------------------------------------------------------------


def indicator_sql(ind: Any) -> str:
    """The indicator as one aggregate over the filtered ledger."""
    conds = [f"kind IN ({', '.join(repr(k) for k in ind.kinds)})"]
    for column, values in (
        ("channel", ind.channel),
        ("diplomacy", ind.diplomacy),
        ("direction", ind.direction),
    ):
        if values:
            conds.append(f"{column} IN ({', '.join(repr(v) for v in values)})")
    if ind.measure == "value":
        conds.append(f"currency = {ind.currency!r}")
    return f"coalesce({MEASURE_SQL[ind.measure]} FILTER (WHERE {' AND '.join(conds)}), 0)"


def duck_sql(
    q: Query, registry: dict[str, Any], scope_sql: str, table: str = "ledger"
) -> tuple[str, list[Any]]:
    kinds = sorted({k for c in q.codes for k in registry[c].kinds})
    measures = ", ".join(indicator_sql(registry[c]) for c in q.codes)
    where = [scope_sql, "occurred_on <= ?", "sensitivity <= ?"]
    params: list[Any] = [q.end, q.clearance]
    if q.start is not None:
        where.append("occurred_on >= ?")
        params.append(q.start)
    where.append(f"kind IN ({', '.join(repr(k) for k in kinds)})")
    return f"SELECT {measures} FROM {table} WHERE {' AND '.join(where)}", params


def prefix_scope(plus: list[str], minus: list[str]) -> tuple[str, list[str]]:
    sql = "(" + " OR ".join("starts_with(path, ?)" for _ in plus) + ")"
    if minus:
        sql += " AND NOT (" + " OR ".join("starts_with(path, ?)" for _ in minus) + ")"
    return sql, [*plus, *minus]


class Holders:
    """Who holds each unit's records on a date, computed from the gazetteer rows alone."""

    def __init__(
        self, units: Sequence[Mapping[str, Any]], successions: Sequence[Mapping[str, Any]]
    ):
        self.units = {u["id"]: u for u in units}
        self.main: dict[int, tuple[int, datetime.date]] = {}
        for s in successions:
            if s["is_main"]:
                self.main[s["predecessor_id"]] = (s["successor_id"], s["effective"])
        bounds = {s["effective"] for s in successions}
        for u in units:
            if u["valid_from"]:
                bounds.add(u["valid_from"])
            if u["valid_to"]:
                bounds.add(u["valid_to"] + datetime.timedelta(days=1))
        self.bounds = sorted(bounds)
        self.tables: dict[int, datetime.date] = {}

    def epoch(self, day: datetime.date) -> int:
        """Days with the same epoch see the same valid units and successions."""
        return bisect.bisect_right(self.bounds, day)

    def valid(self, uid: int, day: datetime.date) -> bool:
        u = self.units[uid]
        return (u["valid_from"] is None or u["valid_from"] <= day) and (
            u["valid_to"] is None or u["valid_to"] >= day
        )

    def holder(self, uid: int | None, day: datetime.date) -> int | None:
        seen: set[int] = set()
        while uid is not None and not self.valid(uid, day):
            if uid in seen:
                return None
            seen.add(uid)
            link = self.main.get(uid)
            # Its main successor if it has one by then, else it stays with its parent.
            next_uid = link[0] if link is not None and link[1] <= day else None
            uid = next_uid if next_uid is not None else self.units[uid]["parent_id"]
        return uid

    def register(self, con: Any, day: datetime.date) -> int:
        """Adds the holder paths on `day` to DuckDB's `holders` table; returns the epoch."""
        import numpy as np

        epoch = self.epoch(day)
        if epoch in self.tables:
            return epoch
        self.tables[epoch] = day
        ids, paths = [], []
        for uid, u in self.units.items():
            if u["country"] != "VN":
                continue
            holder = self.holder(uid, day)
            ids.append(uid)
            paths.append(self.units[holder]["path"] if holder is not None else "")
        chunk = {
            "epoch": np.full(len(ids), epoch, dtype=np.int32),
            "unit_id": np.array(ids, dtype=np.int64),
            "hpath": np.array(paths, dtype=object),
        }
        con.register("chunk", chunk)
        if len(self.tables) == 1:
            con.execute("CREATE TABLE holders AS SELECT * FROM chunk")
        else:
            con.execute("INSERT INTO holders SELECT * FROM chunk")
        con.unregister("chunk")
        return epoch


def holder_sql(q: Query, registry: dict[str, Any], epoch: int) -> tuple[str, list[Any]]:
    kinds = sorted({k for c in q.codes for k in registry[c].kinds})
    measures = ", ".join(indicator_sql(registry[c]) for c in q.codes)
    params: list[Any] = [epoch, q.path, q.end, q.clearance]
    sql = (
        f"SELECT {measures} FROM ledger JOIN holders h ON h.unit_id = ledger.home_unit_id "
        "AND h.epoch = ? WHERE starts_with(h.hpath, ?) AND occurred_on <= ? "
        "AND sensitivity <= ?"
    )
    if q.start is not None:
        sql += " AND occurred_on >= ?"
        params.append(q.start)
    sql += f" AND kind IN ({', '.join(repr(k) for k in kinds)})"
    return sql, params


# Running ----------------------------------------------------------------------------------


def _dec(value: Any) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def run_engine(queries: list[Query], units: dict[int, Any], store: bool) -> None:
    from django.db import connection

    from borderlink.stats.engine import Window, evaluate_many

    calls = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        calls[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        for q in queries:
            unit = units[q.unit_id]
            window = Window(q.start, q.end, q.as_of)
            calls[0] = 0
            t0 = time.perf_counter()
            figures = evaluate_many(q.codes, unit, window, q.clearance)
            elapsed = (time.perf_counter() - t0) * 1000
            if store:
                q.engine_ms, q.engine_sql = elapsed, calls[0]
                q.engine = {c: _dec(f.value) for c, f in figures.items()}


def run_duck(queries: list[Query], units: dict[int, Any], con: Any, registry: Any) -> None:
    """Each query on DuckDB twice: on the table loaded in memory (`ledger_table`, sorted by path
    and date, what a columnar engine's user would do) and on the Parquet view (`ledger`)."""
    from borderlink.places.scope import resolve

    for q in queries:
        scope = resolve(units[q.unit_id], q.as_of)
        q.plain = [u.pk for u in scope.plus] == [q.unit_id] and not scope.minus
        scope_sql, scope_params = prefix_scope(
            [u.path for u in scope.plus], [u.path for u in scope.minus]
        )
        sql, params = duck_sql(q, registry, scope_sql, table="ledger_table")
        t0 = time.perf_counter()
        row = con.execute(sql, [*scope_params, *params]).fetchall()[0]
        q.duck_ms = (time.perf_counter() - t0) * 1000
        q.duck = {c: _dec(v) for c, v in zip(q.codes, row, strict=True)}
        sql, params = duck_sql(q, registry, scope_sql)
        t0 = time.perf_counter()
        con.execute(sql, [*scope_params, *params]).fetchall()
        q.parquet_ms = (time.perf_counter() - t0) * 1000


def run_checks(queries: list[Query], holders: Holders, con: Any, registry: Any) -> None:
    for q in queries:
        epoch = holders.register(con, q.as_of)
        sql, params = holder_sql(q, registry, epoch)
        row = con.execute(sql, params).fetchall()[0]
        q.holders = {c: _dec(v) for c, v in zip(q.codes, row, strict=True)}


def run_dashboard(
    n: int, rng: random.Random, by_level: dict[str, list[dict[str, Any]]], first: Any, last: Any
) -> tuple[list[float], list[int], list[str]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from borderlink.accounts.models import User

    user, _ = User.objects.get_or_create(
        username="bench-stats", defaults={"is_superuser": True, "is_staff": True}
    )
    if not user.is_superuser:
        user.is_superuser = user.is_staff = True
        user.save()
    client = Client()
    client.force_login(user)
    levels = [lv for lv in LEVELS if by_level.get(lv) and not lv.startswith("village")]
    pages = []
    for i in range(n + 1):  # the first page warms up and is not counted
        u = rng.choice(by_level[levels[i % len(levels)]])
        _period, start, end = random_period(rng, first, last)
        start = start or first
        try:
            url = reverse("stats:dashboard", args=[u["code"]])
        except NoReverseMatch:
            return [], [], ["dashboard: not available (no stats:dashboard URL)"]
        pages.append((u, f"{url}?from={start.isoformat()}&to={end.isoformat()}"))
    times, counts, notes = [], [], []
    for i, (_u, url) in enumerate(pages):
        try:
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - t0) * 1000
        except Exception as exc:  # the page is not there yet, or fails
            if i == 0:
                return [], [], [f"dashboard: not available ({url}: {exc!r:.200})"]
            notes.append(f"{url}: {exc!r:.200}")
            continue
        if response.status_code != 200:
            notes.append(f"{url}: HTTP {response.status_code}")
            if response.status_code in (404, 500) and i == 0:
                return [], [], [f"dashboard: not available ({url}: HTTP {response.status_code})"]
            continue
        if i:
            times.append(elapsed)
            counts.append(len(ctx.captured_queries))
    return times, counts, notes


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=0, help="default: a tenth of --queries")
    parser.add_argument("--pages", type=int, default=16, help="dashboard pages (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--parquet", default=DEFAULT_PARQUET)
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (0: its default)")
    parser.add_argument(
        "--pg-settings",
        default=" ".join(RECOMMENDED),
        help="PostgreSQL settings for the benchmark's sessions, as docs/operations.md recommends "
        "them for the server (default: %(default)s); '' measures the server's own",
    )
    args = parser.parse_args()
    if args.pg_settings:
        # libpq reads PGOPTIONS for every connection this process opens (Django's included).
        options = " ".join(f"-c {setting}" for setting in args.pg_settings.split())
        os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} {options}".strip()
    if not Path(args.parquet).exists():
        parser.error(f"{args.parquet} is missing: run python -m bench.national_data first")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
    import django

    django.setup()
    import duckdb
    from django.db import connection

    try:
        import borderlink.stats.engine  # noqa: F401
    except ImportError as exc:
        print(f"the statistics engine is not importable yet: {exc}", file=sys.stderr)
        return 2
    from borderlink.ledger.models import Activity, AggregateReturn
    from borderlink.places.models import Unit, UnitSuccession
    from borderlink.stats import indicators
    from borderlink.stats.models import Tally

    registry = indicators.registry()
    ledger_codes = sorted(c for c, ind in registry.items() if ind.rule == "ledger")
    fields = ("id", "code", "kind", "country", "path", "valid_from", "valid_to", "parent_id")
    unit_rows = list(Unit.objects.order_by("id").values(*fields))
    successions = list(
        UnitSuccession.objects.values("predecessor_id", "successor_id", "is_main", "effective")
    )
    by_level = levels_of(unit_rows)
    n_activities = Activity.objects.count()
    n_tally = Tally.objects.count()
    n_returns = AggregateReturn.objects.count()

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    con.execute(f"CREATE VIEW ledger AS SELECT * FROM read_parquet('{args.parquet}')")
    t0 = time.perf_counter()
    con.execute("CREATE TABLE ledger_table AS SELECT * FROM ledger ORDER BY path, occurred_on")
    t_load = time.perf_counter() - t0
    first, last, n_parquet = con.execute(
        "SELECT min(occurred_on), max(occurred_on), count(*) FROM ledger"
    ).fetchall()[0]
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    today = datetime.date.today()
    size_mb = Path(args.parquet).stat().st_size / 1e6
    print(
        f"dataset: {connection.settings_dict['NAME']} on PostgreSQL — {len(unit_rows):,} units, "
        f"{len(successions):,} successions, {n_activities:,} activities "
        f"({first} … {last}), {n_tally:,} tally rows, {n_returns} aggregate returns"
    )
    print(
        f"reference: {args.parquet} ({n_parquet:,} rows, {size_mb:,.1f} MB), DuckDB {threads} "
        f"threads; loaded into a DuckDB table sorted by path and date in {t_load:.1f} s"
    )
    if n_parquet != n_activities:
        print("WARNING: the Parquet file and the database hold different ledgers")

    # As a server does when it starts (stats/apps.py): the gazetteer read, the top scopes
    # resolved, before the first query is timed.
    from borderlink.stats import scope as stats_scope

    t0 = time.perf_counter()
    warmed = stats_scope.warm()
    print(
        f"scopes: gazetteer read and {warmed} top scopes resolved in "
        f"{time.perf_counter() - t0:.1f} s (as a server starts)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting, unit FROM pg_settings WHERE name = ANY(%s) ORDER BY name",
            [list(PG_SETTINGS)],
        )
        shown = [f"{name} {_size(setting, unit)}" for name, setting, unit in cursor.fetchall()]
    print("PostgreSQL: " + ", ".join(shown))

    units = {u.pk: u for u in Unit.objects.all()}
    rng = random.Random(args.seed)
    warm = make_queries(
        args.warmup or max(5, args.queries // 10),
        random.Random(args.seed + 1_000_003),
        by_level,
        ledger_codes,
        first,
        last,
        today,
    )
    queries = make_queries(args.queries, rng, by_level, ledger_codes, first, last, today)

    t0 = time.perf_counter()
    run_engine(warm, units, store=False)
    run_duck(warm, units, con, registry)
    t_warm = time.perf_counter() - t0
    # Each query on the engine, then at once on DuckDB: on a machine shared with other work
    # the load drifts, and the two sides of each ratio then see the same.
    t_engine = 0.0
    for q in queries:
        t0 = time.perf_counter()
        run_engine([q], units, store=True)
        t_engine += time.perf_counter() - t0
        run_duck([q], units, con, registry)
    holders = Holders(unit_rows, successions)
    run_checks(queries, holders, con, registry)
    dash_ms, dash_sql, dash_notes = (
        run_dashboard(args.pages, random.Random(args.seed + 7), by_level, first, last)
        if args.pages
        else ([], [], ["dashboard: skipped (--pages 0)"])
    )

    eng = [q.engine_ms for q in queries]
    duck = [q.duck_ms for q in queries]
    parquet = [q.parquet_ms for q in queries]
    print(
        f"\n{len(queries)} queries (seed {args.seed}; warm-up {len(warm)} others in "
        f"{t_warm:.1f} s; engine total {t_engine:.1f} s), 3–6 ledger indicators each\n"
    )
    print(f"{'':34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")

    def line(label: str, values: list[float], extra: str = "") -> None:
        print(
            f"{label:34}{len(values):>6}{pct(values, 50):>10.1f}{pct(values, 95):>10.1f}"
            f"{max(values, default=float('nan')):>10.1f}{extra}"
        )

    sql_counts = [q.engine_sql for q in queries]
    line(
        "(a) engine evaluate_many (PG)",
        eng,
        f"   SQL/call p50 {pct(sql_counts, 50):.0f}, max {max(sql_counts)}",
    )
    line("(b) DuckDB, table in memory", duck)
    line("(b') DuckDB, Parquet read afresh", parquet)
    print(
        f"{'(c) ratio engine / DuckDB table':34}{'':>6}{pct(eng, 50) / pct(duck, 50):>9.2f}x"
        f"{pct(eng, 95) / pct(duck, 95):>9.2f}x"
    )
    print(
        f"{'    target (issue 18)':34}{'':>6}{'<= 1.00x':>10}{'<= 1.00x':>10}"
        f"   and engine p95 <= 20 ms: {'met' if pct(eng, 95) <= 20 else 'not met'}"
    )
    if dash_ms:
        line(
            "(d) dashboard page",
            dash_ms,
            f"   SQL/page p50 {pct([float(c) for c in dash_sql], 50):.0f}, "
            f"min {min(dash_sql)}, max {max(dash_sql)}",
        )
    for note in dash_notes:
        print(f"    {note}")

    # (e) checks
    figures = mismatches = prefix_bad = 0
    bad: list[str] = []
    by_class: dict[str, list[int]] = {"plain": [0, 0, 0], "roll-up": [0, 0, 0]}
    for q in queries:
        cls = by_class["plain" if q.plain else "roll-up"]
        cls[0] += 1
        wrong = [c for c in q.codes if q.engine[c] != q.holders[c]]
        figures += len(q.codes)
        mismatches += len(wrong)
        cls[1] += len(q.codes)
        cls[2] += len(wrong)
        prefix_bad += sum(1 for c in q.codes if q.duck[c] != q.holders[c])
        for c in wrong[:2]:
            bad.append(
                f"    {q.code} ({q.level}) {q.start}…{q.end} as of {q.as_of} clearance "
                f"{q.clearance} {c}: engine {q.engine[c]} ≠ DuckDB {q.holders[c]} "
                f"(prefix scan {q.duck[c]})"
            )
    print(
        f"\n(e) checks: {figures:,} figures from {len(queries)} queries; engine ≠ DuckDB "
        f"(independent holders) for {mismatches}"
    )
    for name, (nq, nf, nb) in by_class.items():
        print(f"    {name:8} {nq:>5} queries {nf:>6} figures {nb:>5} mismatches")
    print(f"    DuckDB prefix scan (b) ≠ independent holders: {prefix_bad}")
    for text in bad[:20]:
        print(text)
    nonzero = sum(1 for q in queries for c in q.codes if q.holders[c] != 0)
    print(f"    figures that are not zero: {nonzero:,} of {figures:,}")

    print(
        f"\nper level{'':17}{'n':>4}{'eng p50':>10}{'eng p95':>10}{'eng max':>10}"
        f"{'duck p50':>10}{'SQL p50':>9}{'roll-up':>9}"
    )
    for level in LEVELS:
        sub = [q for q in queries if q.level == level]
        if not sub:
            continue
        e = [q.engine_ms for q in sub]
        print(
            f"  {level:24}{len(sub):>4}{pct(e, 50):>10.1f}{pct(e, 95):>10.1f}{max(e):>10.1f}"
            f"{pct([q.duck_ms for q in sub], 50):>10.1f}"
            f"{pct([float(q.engine_sql) for q in sub], 50):>9.0f}"
            f"{sum(1 for q in sub if not q.plain):>9}"
        )
    print(f"\nper period{'':16}{'n':>4}{'eng p50':>10}{'eng p95':>10}{'duck p50':>10}")
    for period in PERIODS:
        sub = [q for q in queries if q.period == period]
        if sub:
            e = [q.engine_ms for q in sub]
            print(
                f"  {period:24}{len(sub):>4}{pct(e, 50):>10.1f}{pct(e, 95):>10.1f}"
                f"{pct([q.duck_ms for q in sub], 50):>10.1f}"
            )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
