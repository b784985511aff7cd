"""Requests made while an import writes: what each answered, how long it took, and whether the
import was still writing when it answered. Used by test_import_concurrency.py, in the test's
process on PostgreSQL and, on SQLite, in a process of its own over a file database (an
in-memory test database has neither WAL nor the locking of a real file).

Run as `python -m tests.registers.lock_probe ROWS` with DATABASE_URL set: prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

PASSWORD = "pw-lock-probe-only-123"
HOLD_AFTER_WAIT = 2.0  # seconds the import still writes once the last request starts waiting


def probe(rows: int, long_wait_ms: int | None = None) -> dict[str, Any]:
    from django.db import connections
    from django.test import Client

    from borderlink.accounts import api_keys
    from borderlink.accounts.models import User
    from borderlink.registers import imports
    from borderlink.registers.bulk_write import RowWriter
    from borderlink.registers.models import ImportJob
    from borderlink.ties.models import Programme

    admin = User.objects.create_superuser("t-lock-probe", password=PASSWORD)
    _record, key = api_keys.issue(admin, "probe")
    lines = ["code,name_vi", *(f"t-probe-{i},Chương trình {i}" for i in range(rows))]
    job = ImportJob.objects.create(
        register="programmes",
        user=admin,
        filename="p.csv",
        content=("\n".join(lines) + "\n").encode(),
        status=ImportJob.Status.CHECKING,
    )
    imports.check(ImportJob.objects.get(pk=job.pk))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.WRITING)

    english: dict[str, Any] = {"raise_request_exception": False, "HTTP_ACCEPT_LANGUAGE": "en"}
    web = Client(**english)
    web.force_login(admin)
    api = Client(**english, HTTP_AUTHORIZATION=f"Token {key}")
    anonymous = Client(**english)
    web.get("/r/programmes/")  # warm: the first request loads what every request shares
    api.get("/api/programmes/")
    anonymous.get("/accounts/login/")

    done = threading.Event()
    writing = threading.Event()
    release = threading.Event()
    flush = RowWriter.flush

    def held_flush(writer: RowWriter) -> None:
        # The import holds its transaction open after its first batch until the probe is done:
        # every request below is made while it writes, however fast the machine. The hold is
        # on the import's own writer, so a request's save (another code path) never waits here.
        flush(writer)
        if threading.current_thread() is thread and not writing.is_set():
            writing.set()
            release.wait(timeout=300)

    def work() -> None:
        try:
            imports.commit(ImportJob.objects.get(pk=job.pk))
        finally:
            connections.close_all()
            done.set()

    started = time.monotonic()
    thread = threading.Thread(target=work, name="probe-import")
    results: dict[str, Any] = {}
    with mock.patch.object(RowWriter, "flush", held_flush):
        try:
            thread.start()
            # The import has its transaction open and has written its first batch.
            assert writing.wait(timeout=300), "the import never wrote a batch"
            _requests(results, done, release, web, api, anonymous, long_wait_ms)
        finally:
            release.set()
            thread.join()
    job.refresh_from_db()
    results["import"] = {
        "status": job.status,
        "seconds": round(time.monotonic() - started, 2),
        "written": Programme.objects.filter(code__startswith="t-probe-").count(),
        "page_post_kept": Programme.objects.filter(code="t-probe-page").exists(),
        "api_post_kept": Programme.objects.filter(code="t-probe-api").exists(),
        "waited_kept": Programme.objects.filter(code="t-probe-waited").exists(),
        "waited_after_import": "waiting_post" not in results
        or results["waiting_post"]["seconds"] >= HOLD_AFTER_WAIT,
    }
    return results


def _requests(
    results: dict[str, Any],
    done: threading.Event,
    release: threading.Event,
    web: Any,
    api: Any,
    anonymous: Any,
    long_wait_ms: int | None,
) -> None:
    """Every kind of request, each timed, made while the import holds its transaction."""
    from django.db import connection
    from django.http import HttpResponse

    def timed(name: str, call: Callable[[], HttpResponse]) -> None:
        start = time.monotonic()
        response = call()
        results[name] = {
            "status": response.status_code,
            "seconds": round(time.monotonic() - start, 2),
            "during_import": not done.is_set(),
            "retry_after": response.get("Retry-After"),
            "body": response.content.decode("utf-8", "replace"),
        }

    timed("page_get", lambda: web.get("/r/programmes/"))
    timed("api_get", lambda: api.get("/api/programmes/"))
    credentials = {"username": "t-lock-probe", "password": PASSWORD}
    timed("login", lambda: anonymous.post("/accounts/login/", credentials))
    new = {"code": "t-probe-page", "name_vi": "Thêm"}
    timed("page_post", lambda: web.post("/r/programmes/new/", new))
    made = {"code": "t-probe-api", "name_vi": "Thêm 2"}
    timed("api_post", lambda: api.post("/api/programmes/", made, content_type="application/json"))
    if long_wait_ms is not None:  # a write that may wait longer than the import takes
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {long_wait_ms}")
        waited = {"code": "t-probe-waited", "name_vi": "Chờ"}
        threading.Timer(HOLD_AFTER_WAIT, release.set).start()  # the import ends while it waits
        timed("waiting_post", lambda: web.post("/r/programmes/new/", waited))


if __name__ == "__main__":
    import faulthandler

    import django

    faulthandler.dump_traceback_later(int(sys.argv[3]) if len(sys.argv) > 3 else 240, exit=True)

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    print(json.dumps(probe(int(sys.argv[1]), long_wait_ms=int(sys.argv[2]))))
