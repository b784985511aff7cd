"""Which recorded subtrees make up a unit as the tree stood on an "as of" date.

Records keep the unit they were made under. A report "as of" a date after a reform counts, for a
unit, its own subtree plus every ended unit whose main successor chain lands inside it (old Hà
Giang inside today's Tuyên Quang); a report "as of" a date before the reform finds no such
predecessor and counts the old units under their own names. A unit whose part went elsewhere
through its own main successor is taken out again (`minus`). A unit abolished without a main
successor (the districts in 2025) stays with its ancestors.

Resolved scopes are cached per process for a minute and dropped when the gazetteer changes:
in this process at once, in every other (another gunicorn worker, another app server, a job
worker) at its next resolution, through the shared `gazetteer` version (core/cache_versions.py).
"""

from __future__ import annotations

import bisect
import datetime
import time
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from borderlink.core import cache_versions
from borderlink.places.lineage import holders_on
from borderlink.places.models import Unit, UnitSuccession
from borderlink.places.signals import gazetteer_changed

CACHE_SECONDS = 60
SIDES = ("predecessor", "successor")
# Scopes by (unit, epoch): the tree only changes on the dates units begin or end and
# successions take effect, so every "as of" between two such dates has the same scope.
_cache: dict[tuple[int, int], tuple[float, Scope]] = {}
_bounds: list[tuple[float, list[datetime.date]]] = []
_version: list[int] = []  # the shared gazetteer version the cached scopes were resolved under


class ScopeError(ValueError):
    """The unit did not exist on the date asked for; the message names who held it."""


@dataclass(frozen=True)
class Scope:
    unit: Unit
    as_of: datetime.date
    plus: tuple[Unit, ...]
    minus: tuple[Unit, ...] = ()

    def contains_path(self, path: str) -> bool:
        return any(path.startswith(u.path) for u in self.plus) and not any(
            path.startswith(u.path) for u in self.minus
        )

    def q(self, lookup: str = "home_unit__path") -> Q:
        """Records whose `lookup` path lies in the scope, as a filter (the database side of
        `contains_path`)."""
        plus, minus = Q(), Q()
        for unit in self.plus:
            plus |= Q(**{f"{lookup}__startswith": unit.path})
        for unit in self.minus:
            minus |= Q(**{f"{lookup}__startswith": unit.path})
        return plus & ~minus if self.minus else plus


def default_as_of(unit: Unit, today: datetime.date) -> datetime.date:
    """Today for a unit that exists; for one that ended, its last day."""
    if unit.valid_to is not None and unit.valid_to < today:
        return unit.valid_to
    return today


def main_holder(unit: Unit, day: datetime.date) -> Unit | None:
    """Where `unit`'s records belong on `day`: itself, or its main successor, recursively."""
    current, seen = unit, {unit.pk}
    while not current.is_valid_on(day):
        link = (
            UnitSuccession.objects.filter(predecessor=current, is_main=True, effective__lte=day)
            .select_related("successor")
            .first()
        )
        if link is None or link.successor_id in seen:
            return None
        current = link.successor
        seen.add(current.pk)
    return current


def _inside(unit: Unit | None, root: Unit) -> bool:
    return unit is not None and unit.path.startswith(root.path)


def _under_any(path: str, roots: list[Unit] | dict[int, Unit]) -> bool:
    units = roots.values() if isinstance(roots, dict) else roots
    return any(path.startswith(r.path) for r in units)


def _outermost(units: list[Unit]) -> list[Unit]:
    """The units not inside another of them (ancestors have shorter paths, so come first)."""
    out: list[Unit] = []
    for u in sorted(units, key=lambda u: len(u.path)):
        if not _under_any(u.path, out):
            out.append(u)
    return out


def _holder_of(link: UnitSuccession, as_of: datetime.date) -> Unit | None:
    """The predecessor's main holder on `as_of`; its successor itself in the common case of
    one reform (no query), the chain followed otherwise."""
    if link.successor.is_valid_on(as_of):
        return link.successor
    return main_holder(link.predecessor, as_of)


def _links(as_of: datetime.date, side: str, roots: list[Unit], unit: Unit) -> list[UnitSuccession]:
    """Main successions in force on `as_of` whose `side` (predecessor or successor) lies under
    any of `roots` and whose other side lies outside `unit` (a succession inside the unit
    changes nothing): one query for the whole round, outermost predecessors first."""
    where = Q()
    for root in roots:
        where |= Q(**{f"{side}__path__startswith": root.path})
    other = "successor" if side == "predecessor" else "predecessor"
    links = UnitSuccession.objects.filter(where, is_main=True, effective__lte=as_of).exclude(
        **{f"{other}__path__startswith": unit.path}
    )
    if side == "successor":
        # Leave out a predecessor whose parent ended and went, whole, to a successor standing
        # in the same roots on `as_of`: the parent is taken in, and the child with it. A new
        # province's walk then reads its two old provinces, not their 4,000 communes, villages
        # and stations.
        parent_went = UnitSuccession.objects.filter(
            where,
            predecessor_id=OuterRef("predecessor__parent_id"),
            predecessor__valid_to__lt=as_of,
            is_main=True,
            effective__lte=as_of,
        ).filter(
            Q(successor__valid_from__isnull=True) | Q(successor__valid_from__lte=as_of),
            Q(successor__valid_to__isnull=True) | Q(successor__valid_to__gte=as_of),
        )
        links = links.exclude(Exists(parent_went))
    # Only what the walk reads: a new province's scope walks thousands of links.
    light = [f"{side}__{name}" for side in SIDES for name in ("path", "valid_from", "valid_to")]
    found = list(links.select_related(*SIDES).only("effective", "is_main", *light))
    return sorted(found, key=lambda link: len(link.predecessor.path))


def _full(units: list[Unit]) -> tuple[Unit, ...]:
    """The anchors as whole rows (the walk loaded only their paths and dates), by path."""
    if not units:
        return ()
    return tuple(Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path"))


def _compute(unit: Unit, as_of: datetime.date) -> Scope:
    # Queries go by rounds, not by unit: each round asks once for every main succession that
    # lands in the anchors found by the round before (a second round finds chains of reforms).
    plus: dict[int, Unit] = {unit.pk: unit}
    frontier = [unit]
    while frontier:
        added: list[Unit] = []
        for link in _links(as_of, "successor", frontier, unit):
            old = link.predecessor
            if _under_any(old.path, plus) or old.is_valid_on(as_of):
                continue
            if _inside(_holder_of(link, as_of), unit):
                plus[old.pk] = old
                added.append(old)
        frontier = _outermost(added)
    anchors = _outermost(list(plus.values()))
    minus: list[Unit] = []
    for link in _links(as_of, "predecessor", anchors, unit):
        old = link.predecessor
        if _inside(link.successor, unit) or _under_any(old.path, minus):
            continue
        holder = _holder_of(link, as_of)
        if holder is not None and not _inside(holder, unit):
            minus.append(old)
    if [a.pk for a in anchors] == [unit.pk]:
        return Scope(unit, as_of, (unit,), _full(_outermost(minus)))
    return Scope(unit, as_of, _full(anchors), _full(_outermost(minus)))


def _epoch(day: datetime.date, now: float) -> int:
    """How many of the gazetteer's change dates fall on or before `day`."""
    if not _bounds or now - _bounds[0][0] >= CACHE_SECONDS:
        dates: set[datetime.date] = set()
        for begun, ended in (
            Unit.objects.order_by().values_list("valid_from", "valid_to").distinct()
        ):
            if begun is not None:
                dates.add(begun)
            if ended is not None:
                dates.add(ended + datetime.timedelta(days=1))
        dates.update(
            UnitSuccession.objects.order_by().values_list("effective", flat=True).distinct()
        )
        _bounds[:] = [(now, sorted(dates))]
    return bisect.bisect_right(_bounds[0][1], day)


def resolve(unit: Unit, as_of: datetime.date) -> Scope:
    if not unit.is_valid_on(as_of):
        holders = ", ".join(f"{u.native_name} ({u.code})" for u in holders_on(unit, as_of))
        raise ScopeError(
            _("%(unit)s (%(code)s) did not exist on %(day)s; held then by: %(holders)s.")
            % {
                "unit": unit.native_name,
                "code": unit.code,
                "day": date_format(as_of, "SHORT_DATE_FORMAT"),
                "holders": holders or "—",
            }
        )
    version = cache_versions.current("gazetteer")
    if _version != [version]:  # the gazetteer changed through another process
        _cache.clear()
        _bounds.clear()
        _version[:] = [version]
    now = time.monotonic()
    key = (unit.pk, _epoch(as_of, now))
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return replace(hit[1], as_of=as_of)
    result = _compute(unit, as_of)
    _cache[key] = (now, result)
    return result


def _forget(**kw: Any) -> None:
    _cache.clear()
    _bounds.clear()
    cache_versions.bump("gazetteer")  # and every other process, once the change commits


gazetteer_changed.connect(_forget, dispatch_uid="places-scope-bulk")
for _model in (Unit, UnitSuccession):
    post_save.connect(_forget, sender=_model, dispatch_uid=f"places-scope-{_model.__name__}")
    post_delete.connect(_forget, sender=_model, dispatch_uid=f"places-scope-del-{_model.__name__}")
