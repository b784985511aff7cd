"""Version numbers in the shared cache, which writers move on and every server reads.

Whatever a process keeps (public pages, headline figures, map layers, resolved scopes of the
gazetteer) is kept under, or checked against, the version of what it was built from:

- `portal`: what the public site shows (a publication, a withdrawal, the site's settings, a gate:
  portal.models.PublicSite.bump);
- `figures`: what figures are computed from: any save or delete in the apps of FIGURE_APPS (the
  ledger, ties, rates, gates' figures, projects), and the ledger's bulk writes (stats/rollup.py);
- `gazetteer`: units and their successions (places/scope.py).

`bump(name)` moves a version on once the transaction commits (once per transaction however many
rows it wrote; never for a rolled-back one). With REDIS_URL the cache is shared (settings.CACHES),
so a change made through one app server is seen through every other at once: their next look
finds a new version, and so new keys. Before the versions move, the primary's WAL position is
announced (core/db_router.announce), so that a server reading from a replica reads at least
that far. Without a shared cache the versions are per process, as everything else then is.

A version starts from the clock (microseconds), never from 1: after the cache is emptied (a
restart of Redis, a restore) a version never comes back to a number it had, which would bring
back the pages kept under it.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from borderlink.core import bulk, db_router

PREFIX = "borderlink:version:"
# Apps whose records figures are computed from (by app label: core sits below them all).
FIGURE_APPS = frozenset({"ledger", "ties", "stats", "border", "economy"})


def _key(name: str) -> str:
    return PREFIX + name


def _start() -> int:
    return time.time_ns() // 1000


def current(name: str) -> int:
    """The version of `name` now (read once per request; each time outside requests)."""
    state = db_router.current()
    if state is not None and name in state.versions:
        return state.versions[name]
    key = _key(name)
    # One read for both, so that a new version is never seen without the position announced
    # before it (announce() writes first).
    found = cache.get_many([key, db_router.ANNOUNCED_KEY])
    value = found.get(key)
    if value is None:
        cache.add(key, _start(), None)
        value = cache.get(key, _start())
    position = found.get(db_router.ANNOUNCED_KEY)
    if position:
        db_router.require(int(position))
    if state is not None:
        state.versions[name] = int(value)
    return int(value)


def _move_on(names: tuple[str, ...]) -> None:
    db_router.announce()
    state = db_router.current()
    for name in names:
        key = _key(name)
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (yet, or any more): start from the clock
            cache.add(key, _start(), None)
        if state is not None:
            state.versions.pop(name, None)


def bump(*names: str) -> None:
    """Move the versions on after the current transaction commits (at once outside one)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _move_on(names)
        return
    # One callback per transaction and name: an import of 100,000 activities bumps once. Django
    # starts a new list of callbacks after each commit or rollback (and savepoint rollback), so
    # the names noted against the current list are exactly those already waiting.
    noted: tuple[list[object], set[str]] | None = getattr(connection, "_borderlink_versions", None)
    if noted is None or noted[0] is not connection.run_on_commit:
        noted = (connection.run_on_commit, set())
        connection._borderlink_versions = noted
    new = tuple(n for n in names if n not in noted[1])
    if new:
        noted[1].update(new)
        transaction.on_commit(partial(_move_on, new))


@bulk.has_bulk_form  # records written together (core.bulk.insert) bump once per batch
def _record_changed(sender: type[Model], raw: bool = False, **kw: Any) -> None:
    if not raw and sender._meta.app_label in FIGURE_APPS:
        bump("figures")


def connect_signals() -> None:
    post_save.connect(_record_changed, dispatch_uid="cache-versions-saved")
    post_delete.connect(_record_changed, dispatch_uid="cache-versions-deleted")
    bulk.created.connect(_record_changed, dispatch_uid="cache-versions-bulk")
