"""List pages and the API at 100,000 activities: latency, SQL per page, throughput.

    python -m bench.lists [--activities 100000] [--requests 200] [--seconds 10]
                          [--concurrency 4] [--database-url postgres://…/borderlink_lists]

Prepares a PostgreSQL database (created if missing, migrated, the demo loaded once), tops the
ledger up to `--activities` activities (seeded, reproducible: four in five under the demo
editor's province, the rest elsewhere, so the gate's scope has something to leave out), then
starts `borderlink serve` on it with one extra route, a bare Django view answering a fixed JSON
body (bench/lists_urls.py), and measures as the demo's Tuyên Quang editor (a scoped role, the
gate's usual case):

- the API page of 50 rows (`/api/activities/`) and the HTML list (`/r/activities/`), one client
  asking again as soon as it has the answer: p50 and p95;
- the same pages and a search (`?q=`) in-process: SQL statements per page and the plan of the
  page's query (does it walk the date index?);
- throughput: `--concurrency` clients for `--seconds` on the API list and as long on the bare
  view on the same server, in turns; the ratio is what the API's own work costs against
  Django's floor.

The API keeps its answers under PostgreSQL's snapshot (registers/api_cache.py): a page asked
again before anything is committed anywhere on the server is served from memory. The figures
say both: the API page and its throughput as served (kept where the snapshot allows), and made
every time (a second server with API_RESPONSE_CACHE=false; CPU per page in-process likewise),
with how often the server's snapshot moved on — on a server other programs write to, often.

Targets (issue 18): API p95 ≤ 40 ms, HTML list p95 ≤ 100 ms, API ≥ 0.5× the bare view.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/borderlink_lists"
BENCH_USER = "editor"  # the demo's Tuyên Quang foreign-affairs editor
TITLE_PREFIX = "bench-lists"
SEARCH = "tianbao"  # a counterpart's pinyin: the search goes through the units' folded text
TARGETS = {"api_p95": 40.0, "html_p95": 100.0, "ratio": 0.5}


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(total: int, seed: int) -> None:
    """Migrate, load the demo once, and top the ledger up to `total` activities."""
    from django.core.management import call_command
    from django.db import connection

    from borderlink.accounts.models import User
    from borderlink.ledger.models import Activity

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username=BENCH_USER).exists():
        print("loading the demo…", flush=True)
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    missing = total - Activity.objects.count()
    if missing > 0:
        print(f"adding {missing:,} activities…", flush=True)
        t0 = time.perf_counter()
        Activity.objects.bulk_create(_activities(missing, seed), batch_size=5000)
        print(f"  {time.perf_counter() - t0:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _activities(count: int, seed: int) -> list[Any]:
    """`count` activities, four in five under the bench user's province (old Hà Giang before the
    reform, today's Tuyên Quang after it), the rest under other provinces."""
    from borderlink.accounts.models import User
    from borderlink.ledger.models import Activity
    from borderlink.places.models import Unit

    rng = random.Random(seed)
    member = User.objects.get(username=BENCH_USER).memberships.select_related("unit").first()
    assert member is not None, f"the demo user {BENCH_USER!r} has no role"
    ours_old = list(_units_under("VN-P02"))
    ours_new = list(_units_under(member.unit.code))
    elsewhere = list(
        Unit.objects.filter(country="VN", kind="commune")
        .exclude(path__startswith=Unit.objects.get(code="VN-P02").path)
        .exclude(path__startswith=member.unit.path)
        .values_list("pk", flat=True)[:400]
    )
    theirs = list(
        Unit.objects.filter(country="CN", kind__in=["district", "township"]).values_list(
            "pk", flat=True
        )
    )
    kinds = ["letter", "phone_call", "meeting", "bilateral_check", "handover", "information"]
    start = datetime.date(2012, 1, 1)
    reform = datetime.date(2025, 7, 1)
    days = (datetime.date.today() - start).days
    rows = []
    for i in range(count):
        day = start + datetime.timedelta(days=rng.randrange(days))
        if rng.random() < 0.8:
            home = rng.choice(ours_new if day >= reform and ours_new else ours_old)
        else:
            home = rng.choice(elsewhere)
        kind = rng.choice(kinds)
        rows.append(
            Activity(
                kind=kind,
                occurred_on=day,
                title=f"{TITLE_PREFIX} {kind} {i}",
                home_unit_id=home,
                counterpart_id=rng.choice(theirs),
                channel="in_person",
                diplomacy="state",
                direction="joint",
                sensitivity=rng.choice([0, 1, 1, 2]),
                count=rng.randint(1, 3),
                persons=rng.randint(2, 30),
            )
        )
    return rows


def _units_under(code: str) -> list[int]:
    from borderlink.places.models import Unit

    root = Unit.objects.get(code=code)
    return list(
        Unit.objects.filter(path__startswith=root.path, kind__in=["commune", "district", "station"])
        .values_list("pk", flat=True)
        .order_by("pk")
    )


# --- measuring ------------------------------------------------------------------------------


def credentials() -> tuple[str, str]:
    """(an API key, a session cookie) of the bench user, made in the database the server reads."""
    from django.conf import settings
    from django.test import Client

    from borderlink.accounts import api_keys
    from borderlink.accounts.models import User

    user = User.objects.get(username=BENCH_USER)
    _record, key = api_keys.issue(user, "bench-lists", days=1)
    client = Client()
    client.force_login(user)
    return key, client.cookies[settings.SESSION_COOKIE_NAME].value


def cpu_per_page(key: str, cookie: str, count: int = 40) -> dict[str, float]:
    """Median CPU time (ms) this process spends on a page, in-process: unlike the wall time
    over the server, it hardly moves when other programs load the machine. The API page twice:
    made each time (nothing kept), and as asked again within one snapshot (kept,
    registers/api_cache.py; a commit anywhere on the server in between makes it again)."""
    from django.conf import settings
    from django.test import Client, override_settings

    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    page = Client()
    page.cookies[settings.SESSION_COOKIE_NAME] = cookie
    medians = {}
    for name, client, url, keep in (
        ("API page made", api, "/api/activities/", False),
        ("API page kept", api, "/api/activities/", True),
        ("HTML list", page, "/r/activities/", False),
    ):
        with override_settings(API_RESPONSE_CACHE=keep):
            for _ in range(5):
                client.get(url)
            spent = []
            for _ in range(count):
                began = time.process_time()
                client.get(url)
                spent.append((time.process_time() - began) * 1000)
        medians[name] = statistics.median(spent)
    return medians


def snapshot_changes(seconds: float = 2.0) -> float:
    """How often the server's snapshot moved on (commits anywhere on it, other databases too),
    per second: each move makes the API's kept answers stale (registers/api_cache.py)."""
    from django.db import connection

    seen = set()
    stop = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < stop:
            cursor.execute("SELECT pg_current_snapshot()::text")
            seen.add(cursor.fetchone()[0])
            time.sleep(0.01)
    return (len(seen) - 1) / seconds


def statements(key: str, cookie: str) -> dict[str, int]:
    """SQL statements per page, counted in-process on the same database; each page made, not
    kept (registers/api_cache.py)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    page = Client()
    page.cookies[settings.SESSION_COOKIE_NAME] = cookie
    counts = {}
    for name, client, url in (
        ("API page", api, "/api/activities/"),
        ("HTML list", page, "/r/activities/"),
        ("API search", api, f"/api/activities/?q={SEARCH}"),
        ("HTML search", page, f"/r/activities/?q={SEARCH}"),
    ):
        with override_settings(API_RESPONSE_CACHE=False):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


def page_plan() -> tuple[str, float]:
    """The plan of the API page's query as the gate builds it, and its execution time (ms)."""
    from django.http import QueryDict

    from borderlink.accounts.models import User
    from borderlink.core.permissions import restrict
    from borderlink.registers import query
    from borderlink.registers.spec import get_register

    user = User.objects.get(username=BENCH_USER)
    spec = get_register("activities")
    records = query.apply(
        spec, restrict(spec.model._default_manager.all(), user, "view"), QueryDict(), user
    )
    plan = records.order_by(*query.sort_order(spec, QueryDict()))[:50].explain(analyze=True)
    walks = (
        "occurred_on" in plan and "Index Scan" in plan and "Seq Scan on ledger_activity" not in plan
    )
    took = float(plan.rsplit("Execution Time:", 1)[1].split("ms")[0])
    return ("walks the date index" if walks else "does not walk the date index"), took


def start_server(
    url: str, workers: int, threads: int, keep: bool = True
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.lists_settings",
        "LOG_LEVEL": "WARNING",
        "API_RESPONSE_CACHE": "true" if keep else "false",
    }
    server = subprocess.Popen(
        [
            # `python -m borderlink.cli` in the checkout: the server runs this tree's code.
            sys.executable,
            "-m",
            "borderlink.cli",
            "serve",
            # Without its job worker: the day's scheduled work (a rollup check reading every
            # activity) is no part of what a list costs, and the benchmark's data stays as made.
            "--no-worker",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not answer within 60 s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def latencies(port: int, path: str, headers: dict[str, str], count: int) -> list[float]:
    """`count` requests one after the other on a keep-alive connection (after 10 to warm up)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    taken: list[float] = []
    for i in range(count + 10):
        began = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status}")
        if i >= 10:
            taken.append((time.perf_counter() - began) * 1000)
    conn.close()
    return sorted(taken)


def _hammer(port: int, path: str, headers: dict[str, str], stop: float) -> tuple[int, int]:
    """One client process: ask again as soon as the answer came, until `stop`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    done = errors = 0
    while time.time() < stop:
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            done, errors = (done + 1, errors) if response.status == 200 else (done, errors + 1)
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    return done, errors


def throughput(
    port: int, path: str, headers: dict[str, str], clients: int, seconds: float
) -> float:
    """Requests per second with `clients` client processes asking at once."""
    start = time.time() + 1
    stop = start + seconds
    with multiprocessing.Pool(clients) as pool:
        # Each client warms up until `start`, then counts until `stop`.
        results = pool.starmap(_hammer_from, [(port, path, headers, start, stop)] * clients)
    done = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    if errors:
        raise SystemExit(f"GET {path}: {errors} errors under load")
    return done / seconds


ROUNDS = 5


def side_by_side(
    port: int, targets: list[tuple[str, dict[str, str]]], clients: int, seconds: float
) -> list[float]:
    """Requests per second of each target, measured in turns (`ROUNDS` rounds of
    `seconds / ROUNDS` each): other programs' load on a shared machine comes and goes, and a
    ratio of two figures taken a minute apart measured it as much as the server."""
    done = [0.0] * len(targets)
    for _ in range(ROUNDS):
        for i, (path, headers) in enumerate(targets):
            done[i] += throughput(port, path, headers, clients, seconds / ROUNDS) / ROUNDS
    return done


def _hammer_from(
    port: int, path: str, headers: dict[str, str], start: float, stop: float
) -> tuple[int, int]:
    _hammer(port, path, headers, start)
    return _hammer(port, path, headers, stop)


def pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per page, for p50/p95")
    parser.add_argument("--seconds", type=float, default=10, help="of load, per address")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20250701)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_LISTS_DATABASE_URL", DEFAULT_URL)
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("the list benchmark runs on PostgreSQL (--database-url postgres://…)")

    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
    import django

    django.setup()
    prepare(args.activities, args.seed)
    from django.conf import settings

    from borderlink.ledger.models import Activity

    key, cookie = credentials()
    sql = statements(key, cookie)
    cpu = cpu_per_page(key, cookie)
    plan, plan_ms = page_plan()
    moves = snapshot_changes()
    django.db.connections.close_all()

    api = {"Authorization": f"Token {key}", "Accept-Encoding": "identity"}
    page = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "Accept-Encoding": "identity"}
    server, port = start_server(args.database_url, args.workers, args.threads)
    try:
        api_ms = latencies(port, "/api/activities/", api, args.requests)
        html_ms = latencies(port, "/r/activities/", page, args.requests)
        search_ms = latencies(port, f"/api/activities/?q={SEARCH}", api, args.requests // 4)
        bare_rps, api_rps = side_by_side(
            port, [("/bench/bare/", {}), ("/api/activities/", api)], args.concurrency, args.seconds
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    # The same server with nothing kept: what making every answer costs.
    server, port = start_server(args.database_url, args.workers, args.threads, keep=False)
    try:
        made_ms = latencies(port, "/api/activities/", api, args.requests)
        made_rps = throughput(port, "/api/activities/", api, args.concurrency, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=20)

    ratio = api_rps / bare_rps
    total = Activity.objects.count()
    print(
        f"list benchmark (PostgreSQL, {total:,} activities; as {BENCH_USER!r}; server "
        f"{args.workers} workers × {args.threads} threads; {args.concurrency} clients)"
    )
    print(f"  page query: {plan}, {plan_ms:.2f} ms in the database")
    print("  SQL per page: " + ", ".join(f"{name} {n}" for name, n in sql.items()))
    print(
        "  Python CPU per page (in-process median): "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in cpu.items())
    )
    print(f"  machine load (1 min average) at the end: {os.getloadavg()[0]:.1f}")
    print(
        f"  the server's snapshot moved on {moves:.1f} times a second before the run (commits "
        "anywhere on it): each move makes the API's kept answers stale"
    )
    rows = [
        ("API page (50 rows)", api_ms, TARGETS["api_p95"]),
        ("API page, nothing kept", made_ms, None),
        ("HTML list (50 rows)", html_ms, TARGETS["html_p95"]),
        (f"API search ?q={SEARCH}", search_ms, None),
    ]
    for name, values, target in rows:
        verdict = "" if target is None else f"  (target p95 ≤ {target:.0f} ms: "
        verdict += "" if target is None else ("met)" if pct(values, 95) <= target else "missed)")
        print(f"  {name:24} p50 {pct(values, 50):6.1f} ms   p95 {pct(values, 95):6.1f} ms{verdict}")
    met = "met" if ratio >= TARGETS["ratio"] else "missed"
    print(
        f"  throughput: API list {api_rps:.1f} req/s, bare view {bare_rps:.1f} req/s: "
        f"{ratio:.2f}× (target ≥ {TARGETS['ratio']}×: {met})"
    )
    print(
        f"  throughput with nothing kept: API list {made_rps:.1f} req/s: "
        f"{made_rps / bare_rps:.2f}× the bare view"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
