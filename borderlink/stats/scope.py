"""The reform roll-up of `places.scope`, resolved in memory for the statistics engine.

`places.scope.resolve` walks the successions with a query per round and keeps what it found for a
minute: a new province costs five queries and 50 ms the first time it is asked about, and a
country's or a new province's figures are what pages ask for most. The engine asks here instead:
the gazetteer's shape (each unit's path, parent and dates, the main successions) is read once per
process in two queries — 2 s and 45 MB for the national gazetteer's 100,000 units — and every
scope is then worked out in Python, by the same rules and to the same result as
`places.scope._compute` (tests/stats/test_scope_index.py compares the two on the reform).
`warm()` reads it and resolves the countries' and provinces' scopes before the first request.

What is read is dropped when the gazetteer changes: in this process at once (the same signals
places/scope.py listens to), in every other at its next look through the shared `gazetteer`
version (core/cache_versions.py).
"""

from __future__ import annotations

import bisect
import datetime
import logging
import threading
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from django.db.models.signals import post_delete, post_save

from borderlink.core import cache_versions
from borderlink.places import scope as places_scope
from borderlink.places.models import Unit, UnitSuccession
from borderlink.places.signals import gazetteer_changed

# A path sorts before every longer path it is a prefix of, and this after all of them.
PAST = "\uffff"
# Resolved scopes kept per process: anchors as ids (small), whole Scopes with their Unit rows
# (bigger: only for the callers that need the rows, see `resolve`).
MAX_ANCHORS = 200_000
MAX_SCOPES = 5_000
# Anchors down to this depth are resolved by `warm()`: countries and provinces.
WARM_DEPTH = 2

Ref = tuple[int, str]  # a unit's id and path
T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchors:
    """A resolved scope as ids and paths: records under any of `plus`, none under `minus`."""

    plus: tuple[Ref, ...]
    minus: tuple[Ref, ...] = ()

    @property
    def plain(self) -> bool:
        return len(self.plus) == 1 and not self.minus


@dataclass(frozen=True, slots=True)
class _Link:
    pk: int
    predecessor: int
    successor: int
    effective: datetime.date


class _ByPath:
    """Ids sorted by a path, for the ids under a path prefix by bisection (two flat lists: a
    list of pairs would cost a tuple per unit)."""

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        ordered = sorted(pairs)
        self.paths = [path for path, _pk in ordered]
        self.ids = array("q", (pk for _path, pk in ordered))

    def under(self, prefix: str) -> array[int]:
        lo = bisect.bisect_left(self.paths, prefix)
        return self.ids[lo : bisect.bisect_left(self.paths, prefix + PAST, lo)]


class Index:
    """The gazetteer's shape: units (path, dates), main successions (and their predecessors'
    parents), in memory: about 45 MB for the national benchmark's 100,000 units."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.path: dict[int, str] = {}
        # Only the dates a unit has (most have one of the two), each date object shared.
        self.begun: dict[int, datetime.date] = {}
        self.ended: dict[int, datetime.date] = {}
        shared: dict[datetime.date, datetime.date] = {}
        parents: dict[int, int | None] = {}
        for pk, path, parent, begun, ended in Unit.objects.order_by().values_list(
            "id", "path", "parent_id", "valid_from", "valid_to"
        ):
            self.path[pk] = path
            parents[pk] = parent
            if begun is not None:
                self.begun[pk] = shared.setdefault(begun, begun)
            if ended is not None:
                self.ended[pk] = shared.setdefault(ended, ended)
        bounds: set[datetime.date] = set(self.begun.values())
        bounds.update(ended + datetime.timedelta(days=1) for ended in self.ended.values())
        links: list[_Link] = []
        for pk, old, new, effective, is_main in UnitSuccession.objects.order_by("pk").values_list(
            "id", "predecessor_id", "successor_id", "effective", "is_main"
        ):
            bounds.add(effective)
            if is_main:
                links.append(_Link(pk, old, new, shared.setdefault(effective, effective)))
        self.bounds = sorted(bounds)
        self.main: dict[int, list[_Link]] = defaultdict(list)  # by predecessor, by pk
        for link in links:
            self.main[link.predecessor].append(link)
        # A parent is asked for only of a succession's predecessor (`_parent_went`).
        self.parent = {pk: parents[pk] for pk in self.main}
        self.by_successor = _ByPath((self.path[k.successor], k.pk) for k in links)
        self.by_predecessor = _ByPath((self.path[k.predecessor], k.pk) for k in links)
        self.links = {k.pk: k for k in links}
        self.units = _ByPath((path, pk) for pk, path in self.path.items())
        self.anchors: dict[tuple[int, int], Anchors] = {}
        self.scopes: dict[tuple[int, int], places_scope.Scope] = {}
        self.kept: dict[tuple[Any, ...], Any] = {}

    # The rules of places/scope.py, on the rows in memory ------------------------------------

    def valid(self, pk: int, day: datetime.date) -> bool:
        begun, ended = self.begun.get(pk), self.ended.get(pk)
        return (begun is None or begun <= day) and (ended is None or ended >= day)

    def epoch(self, day: datetime.date) -> int:
        return bisect.bisect_right(self.bounds, day)

    def _under(self, path: str, roots: list[str]) -> bool:
        return any(path.startswith(root) for root in roots)

    def _outermost(self, pks: list[int]) -> list[int]:
        out: list[int] = []
        paths: list[str] = []
        for pk in sorted(pks, key=lambda pk: len(self.path[pk])):
            if not self._under(self.path[pk], paths):
                out.append(pk)
                paths.append(self.path[pk])
        return out

    def main_holder(self, pk: int, day: datetime.date) -> int | None:
        current, seen = pk, {pk}
        while not self.valid(current, day):
            link = next((k for k in self.main.get(current, ()) if k.effective <= day), None)
            if link is None or link.successor in seen:
                return None
            current = link.successor
            seen.add(current)
        return current

    def _holder_of(self, link: _Link, day: datetime.date) -> int | None:
        if self.valid(link.successor, day):
            return link.successor
        return self.main_holder(link.predecessor, day)

    def _found(self, by: _ByPath, roots: list[int]) -> list[_Link]:
        """Main links whose side indexed in `by` lies under any of `roots`."""
        found: dict[int, _Link] = {}
        for root in roots:
            for pk in by.under(self.path[root]):
                found[pk] = self.links[pk]
        return list(found.values())

    def _links(self, day: datetime.date, side: str, roots: list[int], unit: int) -> list[_Link]:
        """`places.scope._links`: main successions in force on `day` whose `side` lies under
        any of `roots` and whose other side lies outside `unit`, outermost predecessors first."""
        inside = self.path[unit]
        by = self.by_successor if side == "successor" else self.by_predecessor
        links = [k for k in self._found(by, roots) if k.effective <= day]
        if side == "successor":
            links = [k for k in links if not self.path[k.predecessor].startswith(inside)]
            root_paths = [self.path[r] for r in roots]
            links = [k for k in links if not self._parent_went(k, day, root_paths)]
        else:
            links = [k for k in links if not self.path[k.successor].startswith(inside)]
        return sorted(links, key=lambda k: len(self.path[k.predecessor]))

    def _parent_went(self, link: _Link, day: datetime.date, roots: list[str]) -> bool:
        parent = self.parent[link.predecessor]
        if parent is None:
            return False
        ended = self.ended.get(parent)
        if ended is None or ended >= day:
            return False
        return any(
            k.effective <= day
            and self._under(self.path[k.successor], roots)
            and self.valid(k.successor, day)
            for k in self.main.get(parent, ())
        )

    def compute(self, unit: int, day: datetime.date) -> Anchors:
        """`places.scope._compute`, as ids and paths."""
        home = self.path[unit]
        plus: dict[int, str] = {unit: home}
        frontier = [unit]
        while frontier:
            added: list[int] = []
            for link in self._links(day, "successor", frontier, unit):
                old = link.predecessor
                if self._under(self.path[old], list(plus.values())) or self.valid(old, day):
                    continue
                holder = self._holder_of(link, day)
                if holder is not None and self.path[holder].startswith(home):
                    plus[old] = self.path[old]
                    added.append(old)
            frontier = self._outermost(added)
        anchors = self._outermost(list(plus))
        minus: list[int] = []
        for link in self._links(day, "predecessor", anchors, unit):
            old = link.predecessor
            if self.path[link.successor].startswith(home):
                continue
            if self._under(self.path[old], [self.path[m] for m in minus]):
                continue
            holder = self._holder_of(link, day)
            if holder is not None and not self.path[holder].startswith(home):
                minus.append(old)

        def refs(pks: list[int]) -> tuple[Ref, ...]:
            return tuple(sorted(((pk, self.path[pk]) for pk in pks), key=lambda r: r[1]))

        return Anchors(refs(anchors), refs(self._outermost(minus)))

    def subtree_ids(self, paths: list[str], limit: int) -> list[int] | None:
        """The ids of the units under any of `paths`, or None past `limit` of them."""
        ids: list[int] = []
        for prefix in paths:
            under = self.units.under(prefix)
            if len(ids) + len(under) > limit:
                return None
            ids.extend(under)
        return ids


_lock = threading.Lock()
_index: list[Index] = []  # the one in use, if read


def index() -> Index:
    """The gazetteer in memory, read again when another process changed it."""
    version = cache_versions.current("gazetteer")
    if _index and _index[0].version == version:
        return _index[0]
    with _lock:
        if _index and _index[0].version == version:
            return _index[0]
        built = Index(version)
        _index[:] = [built]
        return built


def _fresh(unit: Unit) -> Index:
    idx = index()
    if idx.path.get(unit.pk) != unit.path:  # made or moved since (a change not yet signalled)
        forget()
        idx = index()
    return idx


def anchors(unit: Unit, as_of: datetime.date) -> Anchors:
    """The scope of `unit` on `as_of` as ids and paths (`places.scope.resolve`'s plus and
    minus); raises `places.scope.ScopeError` for a unit that did not exist on `as_of`."""
    if not unit.is_valid_on(as_of):
        places_scope.resolve(unit, as_of)  # raises, naming the holders
    idx = _fresh(unit)
    key = (unit.pk, idx.epoch(as_of))
    found = idx.anchors.get(key)
    if found is None:
        found = idx.compute(unit.pk, as_of)
        if len(idx.anchors) >= MAX_ANCHORS:
            idx.anchors.clear()
        idx.anchors[key] = found
    return found


def resolve(unit: Unit, as_of: datetime.date) -> places_scope.Scope:
    """`places.scope.resolve`, with the anchors' Unit rows read once per scope and epoch."""
    found = anchors(unit, as_of)
    idx = _fresh(unit)
    key = (unit.pk, idx.epoch(as_of))
    scope = idx.scopes.get(key)
    if scope is None:
        rows = Unit.objects.in_bulk([pk for pk, _path in (*found.plus, *found.minus)])
        rows[unit.pk] = unit
        plus = tuple(rows[pk] for pk, _path in found.plus)
        minus = tuple(rows[pk] for pk, _path in found.minus)
        scope = places_scope.Scope(unit, as_of, plus, minus)
        if len(idx.scopes) >= MAX_SCOPES:
            idx.scopes.clear()
        idx.scopes[key] = scope
    return replace(scope, unit=unit, as_of=as_of)


MAX_KEPT = 500


def kept(key: tuple[Any, ...], day: datetime.date, read: Callable[[], T]) -> T:
    """What `read` gives for `key` on `day`, read once per epoch of the gazetteer: for what
    depends on `day` only through the units valid on it (the units of a scope, by kind)."""
    idx = index()
    full = (*key, idx.epoch(day))
    if full not in idx.kept:
        if len(idx.kept) >= MAX_KEPT:
            idx.kept.clear()
        idx.kept[full] = read()
    return cast(T, idx.kept[full])


def warm(days: list[datetime.date] | None = None) -> int:
    """Read the gazetteer and resolve the countries' and provinces' scopes (the slowest to
    walk) on `days` (default: today and each date the tree changed on); returns how many."""
    idx = index()
    if days is None:
        days = [datetime.date.today(), *idx.bounds]
    top = [pk for pk, path in idx.path.items() if path.count("/") - 1 <= WARM_DEPTH]
    done = 0
    for day in days:
        for pk in top:
            key = (pk, idx.epoch(day))
            if idx.valid(pk, day) and key not in idx.anchors:
                idx.anchors[key] = idx.compute(pk, day)
                done += 1
    return done


def warm_in_background() -> None:
    """`warm()` in a thread of its own, which closes its connection when done: the process
    answers requests meanwhile (those that come first read the gazetteer themselves)."""
    from django.db import connection

    def run() -> None:
        try:
            started = time.monotonic()
            done = warm()
            logger.info("statistics scopes warmed: %d in %.1f s", done, time.monotonic() - started)
        except Exception:  # a database not there yet (migrations to run): the first use reads
            logger.warning("statistics scopes not warmed at start", exc_info=True)
        finally:
            connection.close()

    threading.Thread(target=run, name="stats-warm", daemon=True).start()


def forget(**kw: Any) -> None:
    _index.clear()


gazetteer_changed.connect(forget, dispatch_uid="stats-scope-bulk")
for _model in (Unit, UnitSuccession):
    post_save.connect(forget, sender=_model, dispatch_uid=f"stats-scope-{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"stats-scope-del-{_model.__name__}")
