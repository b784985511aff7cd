"""The API's answers to GET kept per process, keyed by the database's own snapshot (issue 18).

PostgreSQL names what a statement sees with `pg_current_snapshot()` (xmin:xmax:the transactions
in progress). Two statements with the same snapshot text see the same committed data in every
table, and every commit anywhere on the server changes it: a form, `QuerySet.update`, raw SQL,
another program. An answer computed from data read *after* taking snapshot S is therefore the
answer to any later identical request made while the snapshot is still S. Nothing has to be
told about a write (no signal, no version number a bulk write could forget to move on).

What a request reads *before* the snapshot is taken — its user, by the session or an API key —
enters the key whole (the user's row as loaded), so a user changed in between is another key.
An API key's authentication takes the snapshot first, to find the key's holder kept under it
(accounts/api_keys.py), and notes it on the request (core/snapshots.py): nothing is read for
the answer in between, so the lookup here uses it — one statement for a kept answer, not two.
What the answer depends on beyond the database enters it too: the user, today's date and the
time zone, the address with its query and host, the language, the Accept header and the
negotiated format, the method, the gazetteer's version (the gate's reach is kept per process
under it, core/cache_versions.py, moved on just after a commit), and this process's start (a
new deployment, new code or settings, starts empty). Entries live `SECONDS` at most: the
planner's "about 77,000" past 1,000 rows (core/pagination.py, kept a minute) moves without a
commit (ANALYZE), and an entry must not keep it much longer than it keeps itself.

Kept: a 200 without a cookie. Never kept: an answer of a register with personal data (showing
it writes an audit row, registers/personal.py, which a kept answer would skip), anything read
inside a transaction (its own uncommitted writes are not in the snapshot), anything on SQLite
(no snapshot: the path is off), a database read through another alias (a replica has its own
snapshots), or everything with `API_RESPONSE_CACHE = False`. The store is this process's own
memory, bounded in entries and bytes (least recently used out first): no service needed.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.http import HttpResponse
from django.utils import timezone, translation

from borderlink.core import cache_versions, snapshots

ENTRIES = 2000  # answers kept per process
BYTES = 64 * 1024 * 1024  # their bodies' total size per process
LARGEST = 4 * 1024 * 1024  # an answer larger than this is not kept
SECONDS = 60.0  # an entry's life (see the module's doc)

# This process's start: an entry is never served by code or settings other than its own.
STARTED = uuid.uuid4().hex


@dataclass(frozen=True)
class Kept:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    until: float  # time.monotonic()

    def response(self) -> HttpResponse:
        """A new response each time: middleware below the view change the one they are given."""
        answer = HttpResponse(self.content, status=200)
        for name, value in self.headers:
            answer[name] = value
        return answer


class Store:
    """A least-recently-used map bounded by its number of entries and their total size."""

    def __init__(self, entries: int = ENTRIES, size: int = BYTES) -> None:
        self.entries, self.size = entries, size
        self._kept: OrderedDict[bytes, Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the server's threads share the store

    def get(self, key: bytes) -> Kept | None:
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            if found.until < time.monotonic():
                self._drop(key)
                return None
            self._kept.move_to_end(key)
            return found

    def put(self, key: bytes, kept: Kept) -> None:
        if len(kept.content) > min(LARGEST, self.size):
            return
        with self._lock:
            if key in self._kept:
                self._drop(key)
            self._kept[key] = kept
            self._bytes += len(kept.content)
            while len(self._kept) > self.entries or self._bytes > self.size:
                self._drop(next(iter(self._kept)))

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._kept)

    def _drop(self, key: bytes) -> None:
        self._bytes -= len(self._kept.pop(key).content)


STORE = Store()


@dataclass
class Lookup:
    """One request's place in the store: its key, the answer kept there if there was one, and
    whether this request makes the answer others of this process wait for (`done` frees them)."""

    key: bytes
    hit: Kept | None
    making: bool = False


# Answers being made in this process, by key: a request that finds its answer being made by
# another thread waits for it (at most WAIT seconds) rather than make it again. When the
# snapshot moves on, every client asking the same page at once would otherwise make it.
WAIT = 2.0
_making: dict[bytes, threading.Event] = {}
_making_lock = threading.Lock()


def _claim(key: bytes) -> threading.Event | None:
    """None: this request makes the answer; else the event its maker sets once it is done."""
    with _making_lock:
        if key in _making:
            return _making[key]
        _making[key] = threading.Event()
        return None


def done(lookup: Lookup) -> None:
    """The request is answered (kept or not, or failed): whoever waits for it stops waiting."""
    if lookup.making:
        lookup.making = False
        with _making_lock:
            made = _making.pop(lookup.key, None)
        if made is not None:
            made.set()


def snapshot(alias: str) -> str | None:
    """The snapshot the next statement on `alias` sees, or None where there is none to trust."""
    return snapshots.take(alias)


def enabled() -> bool:
    return bool(getattr(settings, "API_RESPONSE_CACHE", False))


def look_up(request: Any, model: type[Any]) -> Lookup | None:
    """Take the snapshot (before the view reads anything) and look the answer up; None when
    this request's answer is not to be kept. `request` is DRF's, authenticated."""
    if not enabled() or request.method not in ("GET", "HEAD"):
        return None
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    alias = router.db_for_read(model)
    # The user's model, not type(user): a session's user is a lazy wrapper.
    if alias != DEFAULT_DB_ALIAS or router.db_for_read(user._meta.model) != alias:
        return None
    # An API key's authentication read the snapshot before anything else (accounts/api_keys.py):
    # nothing was read for the answer since, so it is this request's, without asking again.
    taken = snapshots.noted(request, alias) or snapshot(alias)
    if taken is None:
        return None
    key = _key(request, user, alias, taken)
    found = STORE.get(key)
    if found is not None:
        return Lookup(key, found)
    being_made = _claim(key)
    if being_made is None:
        return Lookup(key, None, making=True)
    # The same key: the same user, address… and snapshot, so the other's answer is this one's.
    being_made.wait(WAIT)
    return Lookup(key, STORE.get(key))


def keep(lookup: Lookup, request: Any, response: Any) -> None:
    """Keep `response` (the view's, finalized) under the lookup's key when it may be kept: a
    JSON 200 whose making left nothing for the middleware to do on its way out (a cookie, a
    changed session, a CSRF token to set), since a kept answer's way out skips its making."""
    if response.status_code != 200 or getattr(response, "streaming", False):
        return
    renderer = getattr(response, "accepted_renderer", None)
    if renderer is None or getattr(renderer, "format", None) != "json":
        return  # the browsable API's page carries a CSRF token and forms of its own request
    render = getattr(response, "render", None)
    if callable(render):
        render()  # what Django's handler does next; rendering twice does nothing
    if response.cookies or response.has_header("Set-Cookie"):
        return
    django_request = getattr(request, "_request", request)
    session = getattr(django_request, "session", None)
    if getattr(session, "modified", False) or django_request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return
    STORE.put(
        lookup.key,
        Kept(bytes(response.content), tuple(response.items()), time.monotonic() + SECONDS),
    )


def _key(request: Any, user: Any, alias: str, taken: str) -> bytes:
    django_request = getattr(request, "_request", request)
    # getattr, not the instance's __dict__: a session's user is a lazy wrapper around it.
    row = tuple((f.attname, getattr(user, f.attname)) for f in user._meta.concrete_fields)
    parts = (
        STARTED,
        alias,
        connections[alias].settings_dict.get("NAME"),
        taken,
        user._meta.label,
        user.pk,
        row,
        # The gazetteer's scopes a process keeps (places/scope.py, the gate's reach) follow its
        # version, moved on just after a commit: an answer made in between is not kept past it.
        cache_versions.current("gazetteer"),
        timezone.localdate().isoformat(),
        timezone.get_current_timezone_name(),
        request.method,
        django_request.build_absolute_uri(),
        translation.get_language(),
        request.META.get("HTTP_ACCEPT", ""),
        str(getattr(request, "accepted_media_type", "")),
    )
    return hashlib.sha256(repr(parts).encode()).digest()
