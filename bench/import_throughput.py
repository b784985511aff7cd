"""Import throughput: a generated CSV of ledger activities through the real import path.

    python -m bench.import_throughput [--rows 100000] [--database-url postgres://…/borderlink_bench]

Creates (or reuses) the database, migrates it, loads the gazetteer, writes a CSV of `--rows`
activities between Hà Giang's units and their counterparts, then runs the import's two phases —
checking every row with the register's form, and the all-or-nothing write — and prints rows per
second for each, the import's peak memory (resident set, from the moment the job is read as a
worker reads it), and PostgreSQL's own `COPY` of the same rows for comparison. Reproducible: rows
come from a seeded random generator.

    make bench ROWS=1000000   # the memory bound: IMPORT_MAX_ROWS is raised to the rows asked

It says which way the commit went: writing the records the check kept (validate once), or
checking every row again because something the check read changed lately. A fresh database has
just loaded its gazetteer, which would always send it the second way; the load's change records
are dated back past the commit's slack, as in a deployment whose gazetteer was loaded long before
(`--fresh` leaves them, to measure the second way).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gc
import io
import os
import random
import subprocess
import sys
import time
from urllib.parse import urlparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/borderlink_bench"


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def make_csv(rows: int, seed: int) -> bytes:
    from borderlink.places.models import Unit
    from borderlink.registers.spec import get_register

    rng = random.Random(seed)
    ours = list(
        Unit.objects.filter(
            path__startswith=Unit.objects.get(code="VN-P02").path, kind="commune"
        ).values_list("code", flat=True)
    )
    theirs = list(Unit.objects.filter(country="CN", kind="district").values_list("code", flat=True))
    kinds = ["letter", "phone_call", "meeting", "bilateral_check", "handover", "information"]
    start = datetime.date(2012, 1, 1)
    fields = get_register("activities").fields
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for i in range(rows):
        kind = rng.choice(kinds)
        writer.writerow(
            {
                "kind": kind,
                "occurred_on": (start + datetime.timedelta(days=rng.randrange(3000))).isoformat(),
                "title": f"{kind} {i}",
                "home_unit": rng.choice(ours),
                "counterpart": rng.choice(theirs),
                "channel": "in_person",
                "diplomacy": "state",
                "direction": "joint",
                "sensitivity": "1",
                "count": str(rng.randint(1, 3)),
            }
        )
    return out.getvalue().encode("utf-8")


def reset_peak() -> None:
    """Start the resident-set high-water mark afresh (Linux: /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def peak_mb() -> float:
    """The resident-set high-water mark since `reset_peak`, in MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def copy_speed(first_id: int) -> float | None:
    """Rows per second of PostgreSQL's own COPY of the rows just imported, into a copy of the
    table: what the database alone does with the same data."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        raw = cursor.cursor
        buffer = io.BytesIO()
        with raw.copy(
            "COPY (SELECT * FROM ledger_activity WHERE id >= %s) TO STDOUT", [first_id]
        ) as out:
            for block in out:
                buffer.write(block)
        cursor.execute("CREATE TEMPORARY TABLE copy_probe (LIKE ledger_activity)")
        t0 = time.perf_counter()
        with raw.copy("COPY copy_probe FROM STDIN") as into:
            into.write(buffer.getvalue())
        seconds = time.perf_counter() - t0
        cursor.execute("SELECT count(*) FROM copy_probe")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE copy_probe")
    return rows / seconds if seconds else None


def run_import(job_id: int) -> int:
    """Check then commit one job, as a worker: prints the three clock readings and the peak."""
    from borderlink.core import jobs
    from borderlink.registers import checked, imports
    from borderlink.registers.models import ImportJob

    jobs.kinds()  # a worker has every app's tasks imported before it takes a job
    gc.collect()
    reset_peak()
    t0 = time.perf_counter()
    job = ImportJob.objects.select_related("user").get(pk=job_id)  # as a worker reads it
    imports.check(job)
    t1 = time.perf_counter()
    job.refresh_from_db(fields=["status", "errors"])
    if job.status != ImportJob.Status.PREVIEW:
        print(f"check refused the file: {job.errors[:3]}", file=sys.stderr)
        return 1
    kept = checked.still_holds(job)  # the path the commit is about to take, read as it reads it
    imports.commit(job)
    t2 = time.perf_counter()
    print(int(kept), t0, t1, t2, peak_mb())
    return 0


def settle() -> int:
    """Date the change history of the gazetteer's load back past the commit's slack
    (registers/checked.py: a change to what the check read, up to SLACK before it, makes the
    commit check every row again). A deployment loads its gazetteer long before anyone imports;
    this benchmark's database has just loaded it. Returns how many change records moved."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from borderlink.core.models import ChangeRecord
    from borderlink.places.models import Unit, UnitSuccession
    from borderlink.registers.checked import SLACK

    types = [ContentType.objects.get_for_model(m) for m in (Unit, UnitSuccession)]
    now = timezone.now()
    recent = ChangeRecord.objects.filter(content_type__in=types, time__gte=now - 2 * SLACK)
    return recent.update(time=now - 2 * SLACK)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20250701)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="leave the gazetteer's load as just done: the commit then checks every row again",
    )
    parser.add_argument("--import-job", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()

    if args.database_url.startswith("postgres"):
        ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    limit = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
    os.environ["IMPORT_MAX_ROWS"] = str(max(limit, args.rows))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
    import django

    django.setup()
    if args.import_job:
        return run_import(args.import_job)
    from django.core.management import call_command

    from borderlink.accounts.models import User
    from borderlink.ledger.models import Activity
    from borderlink.registers.models import ImportJob

    call_command("migrate", verbosity=0)
    call_command("load_gazetteer", verbosity=0, stdout=io.StringIO())
    settled = 0 if args.fresh else settle()
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    content = make_csv(args.rows, args.seed)
    size = len(content)
    before = Activity.objects.count()
    first_id = (Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    job_id = ImportJob.objects.create(
        register="activities",
        user=user,
        filename="bench.csv",
        content=content,
        status=ImportJob.Status.CHECKING,
    ).pk
    del content
    # The import runs in a process of its own, as a worker would: its peak memory is its own,
    # not the generated file's.
    child = subprocess.run(
        [
            sys.executable,
            *("-m", "bench.import_throughput", "--import-job", str(job_id)),
            *("--database-url", args.database_url),
        ],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        print(child.stdout, child.stderr, file=sys.stderr)
        return 1
    kept, t0, t1, t2, peak = (float(x) for x in child.stdout.split()[-5:])
    job = ImportJob.objects.only("status").get(pk=job_id)
    written = Activity.objects.count() - before
    vendor = django.db.connection.vendor
    total = args.rows / (t2 - t0)
    print(f"import benchmark ({vendor}, {args.rows:,} rows, {size / 1e6:.1f} MB CSV)")
    print(f"  check:  {t1 - t0:8.1f} s  {args.rows / (t1 - t0):8.0f} rows/s")
    print(f"  commit: {t2 - t1:8.1f} s  {args.rows / (t2 - t1):8.0f} rows/s")
    print(
        f"  total:  {t2 - t0:8.1f} s  {total:8.0f} rows/s  "
        f"({written:,} activities written, status {job.status})"
    )
    print(f"  peak memory of the import: {peak:,.0f} MB (resident)")
    if kept:
        print("  the commit wrote the records its check kept (validate once)")
    else:
        print("  the commit checked every row again: something the check read changed lately")
    if settled:
        print(
            f"  ({settled:,} change records of the gazetteer's load dated back: --fresh keeps them)"
        )
    copy = copy_speed(first_id)
    if copy:
        print(
            f"  PostgreSQL COPY of the same rows: {copy:,.0f} rows/s; import / COPY = {total / copy:.4f}"
        )
    return 0 if written == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
