"""Which database serves a query: the primary, or a read replica (DATABASE_REPLICA_URLS).

Every write, and every read outside the views marked `replica_reads` (dashboards, figures, maps,
exports, the public portal), goes to the primary. In a marked view the request's reads go to one
replica chosen at its first read (core/replicas.py): one that answers, lags less than the limit,
and has replayed the WAL as far as this reader needs:

- **its own writes**: after a request of a logged-in user writes, `ReadYourWritesMiddleware` gives
  them a cookie with the primary's WAL position for DATABASE_REPLICA_STICKY seconds; their reads
  then need a replica that has replayed that far, else go to the primary;
- **changes announced to every server**: a change the shared cache versions follow (a
  publication, a ledger change: core/cache_versions.py) first records the primary's position in
  the shared cache, so that a page rendered on any server after it reads at least that far.

Failing all that, the primary answers: a replica is only ever a way to take load off it. Some
tables are always read on the primary (sessions, users and their roles, jobs): a login, a
permission or a job's progress must never be a moment old. Inside a transaction on the primary
every read stays there too.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from borderlink.core import replicas

COOKIE = "borderlink_wal"
ANNOUNCED_KEY = "borderlink:wal"
MARKER_HEADER = "X-BorderLink-Read-From"
# Read on the primary whatever the view: who is logged in, with which roles, and the jobs whose
# progress a page polls (django_tasks_database is the database task backend).
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "auth", "accounts", "contenttypes", "admin", "django_tasks_database"}
)


@dataclass
class ReadState:
    """One request's reading: may it use a replica, how far must that replica have replayed,
    which database its reads went to, did it write."""

    replica_ok: bool = False
    need: int = 0
    chosen: str | None = None
    wrote: bool = False
    versions: dict[str, int] = field(default_factory=dict)  # core/cache_versions.py, once a request


_state: ContextVar[ReadState | None] = ContextVar("borderlink_read_state", default=None)


def current() -> ReadState | None:
    return _state.get()


def announced() -> int:
    """The primary's position at the last change announced to every server (0: none)."""
    try:
        return int(cache.get(ANNOUNCED_KEY) or 0)
    except (TypeError, ValueError):
        return 0


def announce() -> int | None:
    """Record in the shared cache that readers must see the primary's WAL up to where it stands
    now (call after the commit, before telling other servers that something changed)."""
    if not replicas.aliases():
        return None
    position = replicas.primary_position()
    if position is None:
        return None
    # Not atomic: two writers announcing together may leave the lower position, a few
    # milliseconds of WAL; a replica is that close behind anyway.
    if position > announced():
        cache.set(ANNOUNCED_KEY, position, None)
    return position


def require(position: int) -> None:
    """This request must read the primary's WAL up to `position`: a replica already chosen that
    has not replayed that far gives way to the primary for the rest of the request."""
    state = _state.get()
    if state is None or position <= state.need:
        return
    state.need = position
    if state.chosen not in (None, DEFAULT_DB_ALIAS) and not replicas.usable(state.chosen, position):
        state.chosen = DEFAULT_DB_ALIAS


def _choose(state: ReadState) -> str:
    need = max(state.need, announced())
    state.need = need
    candidates = replicas.aliases()
    random.shuffle(candidates)  # spread the readers over the replicas
    for alias in candidates:
        if replicas.usable(alias, need):
            return alias
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads of marked views to a replica, everything else to the
    primary; the replicas are never migrated (they copy the primary)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        state = _state.get()
        if state is None or not state.replica_ok or not replicas.aliases():
            return DEFAULT_DB_ALIAS
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # what this transaction wrote is only on the primary
        if state.chosen is None:
            state.chosen = _choose(state)
        return state.chosen

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        state = _state.get()
        if state is not None:
            state.wrote = True
            if state.replica_ok:
                state.chosen = DEFAULT_DB_ALIAS  # the rest of the request reads what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Inside a request: the reads in this block may come from a replica."""
    state = _state.get()
    if state is None:
        yield
        return
    before = state.replica_ok
    state.replica_ok = True
    try:
        yield
    finally:
        state.replica_ok = before


View = TypeVar("View", bound=Callable[..., HttpResponse])


def replica_reads(view: View) -> View:
    """Marks a view whose reads a replica may serve (a dashboard, a figure, a map, the portal)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with reading_from_replica():
            return view(request, *args, **kwargs)

    wrapped.reads_from_replica = True  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def replica_reads_when(test: Callable[[HttpRequest], bool]) -> Callable[[View], View]:
    """Marks a view whose reads a replica may serve when `test(request)` holds (a list's
    export, not the list a user just saved a record into)."""

    def mark(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not test(request):
                return view(request, *args, **kwargs)
            with reading_from_replica():
                return view(request, *args, **kwargs)

        wrapped.reads_from_replica = True  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return mark


class ReadYourWritesMiddleware:
    """Keeps the request's reading state, and after a logged-in user's write gives them the
    primary's WAL position to read at least that far (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = ReadState(need=replicas.parse_lsn(request.COOKIES.get(COOKIE)))
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if self._own_write(request, response, state):
            position = replicas.primary_position()
            if position:
                response.set_cookie(
                    COOKIE,
                    replicas.format_lsn(position),
                    max_age=int(getattr(settings, "DATABASE_REPLICA_STICKY", 60)),
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        if state.chosen and getattr(settings, "DATABASE_REPLICA_MARKER", False):
            response[MARKER_HEADER] = state.chosen
        return response

    @staticmethod
    def _own_write(request: HttpRequest, response: HttpResponse, state: ReadState) -> bool:
        """Did a logged-in user write? Asked without reading a session that is not there: a
        visitor of the public site (whose page view is a write) has none, and none is read."""
        if not state.wrote or not replicas.aliases() or getattr(response, "portal_public", False):
            return False
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated
