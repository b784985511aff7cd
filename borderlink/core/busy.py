"""When the database is busy: wait, then say so kindly; never a 500.

An import writes all its rows in one transaction (all or nothing). On PostgreSQL other requests
go on meanwhile: the import holds only the rows it writes. SQLite has one writer at a time: while
an import writes, reads go on (WAL), and another write waits for the lock for
`SQLITE_BUSY_TIMEOUT` seconds (settings.py). Should an import outlast that, the request is
answered 503 with a "try again in a minute" page (or JSON for the API) and `Retry-After`, instead
of a server error (`server_error`, the `handler500`); nothing of the refused request was kept.

A write a request can do without (a key's "last used" stamp) goes through `unless_busy`: it is
skipped at once when the lock is taken, so reading never waits for an import.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 60


def is_busy(error: BaseException) -> bool:
    """Is `error` the database refusing a write because another transaction holds the lock?"""
    if not isinstance(error, OperationalError):
        return False
    text = str(error).lower()
    signs = ("database is locked", "database table is locked", "lock timeout")
    return any(sign in text for sign in signs)


def unless_busy(what: str, write: Callable[[], object]) -> None:
    """Runs `write` now, or not at all when another connection holds the write lock."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        write()
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        waited = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        write()  # one statement in autocommit: it takes the lock, or fails at once
    except OperationalError as error:
        if not is_busy(error):
            raise
        log.info("skipped %s: the database is busy", what)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {waited}")


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: a request that failed because the database stayed busy gets a 503 that says
    so (at whatever layer it failed: the view, or the session saved on the way out); any other
    error is the site's 500 page (core/errors.py)."""
    from borderlink.core import errors

    error = sys.exc_info()[1]  # called while Django handles the exception
    if error is None or not is_busy(error):
        return errors.server_error(request)
    log.warning("answered 503: the database stayed busy (%s %s)", request.method, request.path)
    message = _(
        "The database is busy with a long task, such as an import. Nothing was saved from "
        "this request: try again in a minute."
    )
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        try:
            page = str(render_to_string("core/busy.html", {"message": message}, request=request))
        except Exception:  # the page around the message needs the database too
            page = message
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
