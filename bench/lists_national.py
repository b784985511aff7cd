"""List pages and the API on the national dataset (20 M activities): p50/p95 per page.

    python -m bench.lists_national [--requests 30] [--no-server]
                                   [--database-url postgres://…/borderlink_bench]

Reads the database `bench/national_data.py` loads (`make bench-data`; BENCH_DATABASE_URL, by
default borderlink_bench) and refuses without it. Writes nothing but two users and a membership
(made once, kept): a province's foreign-affairs editor at VN-P23-2025, a new province after the
2025 reform whose reach takes in its three old provinces (10,816 units, ~2.2 M activities: the
gate's scope is large), and an administrator (no scope, sensitivity only).

For each user, in-process (Django's test client, the API's kept answers off: every page made):
the API page of 50 rows and the HTML list, page 1 and page 50, and a search (`?q=letter`):
a request whose list count is not kept (the count up to 1,000 rows and the planner's estimate
are asked: once a minute a list), p50 and p95 of the following, SQL statements per page; the plan of the editor's page query (planning and
execution). Then the same pages over `borderlink serve --no-worker` (one client, after ten
to warm up, as bench/lists.py measures), unless `--no-server`.

Target (issue 18): API page 1 and HTML list page 1, p95 ≤ 100 ms on the national dataset.
The deeper page and the search are measured against the same figure, for information.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from typing import Any
from unittest.mock import patch

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/borderlink_bench"
PROVINCE = "VN-P23-2025"  # the editor's unit: a new province reaching three old ones
EDITOR = "bench-national-editor"
ADMIN = "bench-national-admin"
SEARCH = "letter"
DEEP = 50  # the deeper page's number
TARGET_P95 = 100.0  # ms
MIN_ACTIVITIES = 1_000_000  # fewer: not the national dataset (the small one has 200,000)

# (name, address, whether the target is about it)
PAGES = [
    ("API page 1", "/api/activities/", True),
    ("HTML list page 1", "/r/activities/", True),
    (f"API page {DEEP}", f"/api/activities/?page={DEEP}", False),
    (f"HTML list page {DEEP}", f"/r/activities/?page={DEEP}", False),
    (f"API search ?q={SEARCH}", f"/api/activities/?q={SEARCH}", False),
    (f"HTML search ?q={SEARCH}", f"/r/activities/?q={SEARCH}", False),
]


def check_dataset(url: str) -> int:
    """The number of activities (the planner's count), or a clear refusal."""
    import psycopg

    missing = (
        f"the national dataset is not in {url}: load it with `make bench-data` "
        "(bench/national_data.py) or point BENCH_DATABASE_URL at it"
    )
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT c.reltuples::bigint, (SELECT count(*) FROM places_unit WHERE code = %s)"
                " FROM pg_class c WHERE c.relname = 'ledger_activity'",
                (PROVINCE,),
            ).fetchone()
    except psycopg.Error as error:
        raise SystemExit(f"{missing} ({str(error).strip()})") from None
    if row is None or row[0] < MIN_ACTIVITIES or row[1] != 1:
        raise SystemExit(missing)
    return int(row[0])


def ensure_users() -> dict[str, Any]:
    """The two users (made once): the province editor and the administrator."""
    from borderlink.accounts.models import Membership, User
    from borderlink.places.models import Unit

    admin, _made = User.objects.get_or_create(
        username=ADMIN, defaults={"is_superuser": True, "is_staff": True}
    )
    editor, _made = User.objects.get_or_create(username=EDITOR)
    Membership.objects.get_or_create(
        user=editor, unit=Unit.objects.get(code=PROVINCE), role="fa_editor"
    )
    return {"editor": editor, "admin": admin}


def headers_for(address: str) -> dict[str, str]:
    return {"Accept": "application/json" if address.startswith("/api/") else "text/html"}


class Statements:
    """Counts the SQL statements run on a connection while installed (`execute_wrapper`):
    unlike the debug log, not emptied when a request starts."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


class Uncounted:
    """The cache, less the lists' kept counts (core/pagination.py): the page counts again,
    where clearing the whole cache also dropped what the reach keeps of the gazetteer (1.2 s
    of Python to make again on the national one)."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def get(self, key: str, default: Any = None) -> Any:
        return default if key.startswith("list-") else self._cache.get(key, default)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cache, name)


def in_process(user: Any, count: int) -> dict[str, dict[str, Any]]:
    """Per page: a counted request's time, the following `count` sorted, statements per page."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings

    from borderlink.core import pagination

    client = Client()
    client.force_login(user)
    found: dict[str, dict[str, Any]] = {}
    with override_settings(API_RESPONSE_CACHE=False, ALLOWED_HOSTS=["*"]):
        for name, address, _target in PAGES:
            accept = headers_for(address)["Accept"]
            response = client.get(address, HTTP_ACCEPT=accept)  # the process's caches warm
            first_sql, sql = Statements(), Statements()
            # A page whose list's count is not kept (once a minute a list: the count up to
            # EXACT_UP_TO rows, then the planner's estimate, core/pagination.py).
            with patch.object(pagination, "cache", Uncounted(cache)):
                began = time.perf_counter()
                with connection.execute_wrapper(first_sql):
                    response = client.get(address, HTTP_ACCEPT=accept)
                first = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                raise SystemExit(f"GET {address} as {user.username}: {response.status_code}")
            taken = []
            for _ in range(count):
                began = time.perf_counter()
                client.get(address, HTTP_ACCEPT=accept)
                taken.append((time.perf_counter() - began) * 1000)
            with connection.execute_wrapper(sql):
                client.get(address, HTTP_ACCEPT=accept)
            found[name] = {
                "first": first,
                "first_sql": first_sql.count,
                "times": sorted(taken),
                "sql": sql.count,
            }
    return found


def page_plan(user: Any, page: int) -> dict[str, Any]:
    """The API page's query as the gate and the pager build it: planning and execution time
    (ms, EXPLAIN ANALYZE), and whether the ids are found in the sort index alone."""
    from django.http import QueryDict

    from borderlink.core.pagination import window
    from borderlink.core.permissions import restrict
    from borderlink.registers import query
    from borderlink.registers.spec import get_register

    spec = get_register("activities")
    records = query.listing(
        spec,
        query.apply(
            spec, restrict(spec.model._default_manager.all(), user, "view"), QueryDict(), user
        ),
    )
    plan = window(records, (page - 1) * 50, 51).explain(analyze=True, buffers=True)

    def ms(label: str) -> float:
        return float(plan.rsplit(f"{label}:", 1)[1].split("ms")[0])

    return {
        "planning": ms("Planning Time"),
        "execution": ms("Execution Time"),
        "index_only": "Index Only Scan" in plan,
        "sorts_on_disk": "external merge" in plan,
    }


def start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    """`borderlink serve` without its job worker, one thread a worker, the API's kept answers
    off: every request is computed (bench/lists.py measures the kept ones)."""
    from bench import lists

    return lists.start_server(url, workers, threads=1, keep=False)


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def over_server(url: str, users: dict[str, Any], count: int) -> dict[str, dict[str, list[float]]]:
    """The same pages over `borderlink serve` (2 workers, nothing kept), one client."""
    import django
    from django.conf import settings
    from django.test import Client

    from bench.lists import latencies

    cookies = {}
    for who, user in users.items():
        client = Client()
        client.force_login(user)  # a session in the database the server reads
        cookies[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
    django.db.connections.close_all()
    found: dict[str, dict[str, list[float]]] = {}
    server, port = start_server(url, workers=2)
    try:
        for who, cookie in cookies.items():
            found[who] = {}
            for name, address, _target in PAGES:
                headers = {
                    **headers_for(address),
                    "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}",
                    "Accept-Encoding": "identity",
                }
                found[who][name] = latencies(port, address, headers, count)
    finally:
        stop(server)
    return found


def pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def verdict(values: list[float], counted: bool) -> str:
    met = pct(values, 95) <= TARGET_P95
    if counted:
        return "target met" if met else "TARGET MISSED"
    return "(≤ 100 ms)" if met else "(> 100 ms)"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=30, help="per page and user")
    parser.add_argument("--no-server", action="store_true", help="in-process figures only")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("the national dataset lives in PostgreSQL (--database-url postgres://…)")
    activities = check_dataset(args.database_url)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
    import django

    django.setup()
    users = ensure_users()
    plans = {page: page_plan(users["editor"], page) for page in (1, DEEP)}
    measured = {who: in_process(user, args.requests) for who, user in users.items()}
    served = {} if args.no_server else over_server(args.database_url, users, args.requests)

    print(
        f"national list benchmark (PostgreSQL, ~{activities:,} activities; editor "
        f"{EDITOR!r} at {PROVINCE}, administrator {ADMIN!r}; {args.requests} requests a page)"
    )
    for page, plan in plans.items():
        print(
            f"  editor's page {page} query: planning {plan['planning']:.1f} ms, execution "
            f"{plan['execution']:.1f} ms; ids from the sort index alone: "
            f"{'yes' if plan['index_only'] else 'no'}"
            + ("; SORTS ON DISK" if plan["sorts_on_disk"] else "")
        )
    print(f"  target (issue 18): API page 1 and HTML list page 1, p95 ≤ {TARGET_P95:.0f} ms")
    met = True
    for who in users:
        print(f"  {who}, in-process (test client, every page made):")
        for name, _address, counted in PAGES:
            got = measured[who][name]
            times = got["times"]
            met &= not counted or pct(times, 95) <= TARGET_P95
            print(
                f"    {name:24} counted {got['first']:6.1f} ms ({got['first_sql']} SQL)   "
                f"p50 {statistics.median(times):6.1f} ms   p95 {pct(times, 95):6.1f} ms   "
                f"{got['sql']} SQL   {verdict(times, counted)}"
            )
        if who in served:
            print(f"  {who}, over `borderlink serve` (2 workers, one client):")
            for name, _address, counted in PAGES:
                times = served[who][name]
                met &= not counted or pct(times, 95) <= TARGET_P95
                print(
                    f"    {name:24} p50 {pct(times, 50):6.1f} ms   p95 {pct(times, 95):6.1f} ms"
                    f"   {verdict(times, counted)}"
                )
    print(f"  machine load (1 min average) at the end: {os.getloadavg()[0]:.1f}")
    print(f"  issue 18's national target: {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
