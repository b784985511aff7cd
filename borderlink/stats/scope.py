"""Which recorded subtrees make up a unit as the tree stood on an "as of" date.

Records keep the unit they were made under. A report "as of" a date after a reform counts, for a
unit, its own subtree plus every ended unit whose main successor chain lands inside it (old Hà
Giang inside today's Tuyên Quang); a report "as of" a date before the reform finds no such
predecessor and counts the old units under their own names. A unit whose part went elsewhere
through its own main successor is taken out again (`minus`). A unit abolished without a main
successor (the districts in 2025) stays with its ancestors.

Resolved scopes are cached per process for a minute and dropped when the gazetteer changes in
this process; gazetteer edits are rare and a minute of lag in other workers is acceptable.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from borderlink.places.lineage import holders_on
from borderlink.places.models import Unit, UnitSuccession

CACHE_SECONDS = 60
_cache: dict[tuple[int, datetime.date], tuple[float, Scope]] = {}


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


def _compute(unit: Unit, as_of: datetime.date) -> Scope:
    plus: dict[int, Unit] = {unit.pk: unit}
    todo = [unit]
    while todo:
        anchor = todo.pop()
        links = (
            UnitSuccession.objects.filter(
                successor__path__startswith=anchor.path, is_main=True, effective__lte=as_of
            )
            .exclude(predecessor__path__startswith=unit.path)
            .select_related("predecessor")
        )
        for link in links:
            old = link.predecessor
            if any(old.path.startswith(a.path) for a in plus.values()) or old.is_valid_on(as_of):
                continue
            if _inside(main_holder(old, as_of), unit):
                plus[old.pk] = old
                todo.append(old)
    anchors = [
        a
        for a in plus.values()
        if not any(b.pk != a.pk and a.path.startswith(b.path) for b in plus.values())
    ]
    minus: dict[int, Unit] = {}
    for anchor in anchors:
        leaving = (
            UnitSuccession.objects.filter(
                predecessor__path__startswith=anchor.path, is_main=True, effective__lte=as_of
            )
            .exclude(successor__path__startswith=unit.path)
            .select_related("predecessor")
        )
        for link in leaving:
            holder = main_holder(link.predecessor, as_of)
            if holder is not None and not _inside(holder, unit):
                minus[link.predecessor.pk] = link.predecessor
    outer_minus = [
        m
        for m in minus.values()
        if not any(o.pk != m.pk and m.path.startswith(o.path) for o in minus.values())
    ]
    return Scope(
        unit,
        as_of,
        tuple(sorted(anchors, key=lambda u: u.path)),
        tuple(sorted(outer_minus, key=lambda u: u.path)),
    )


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
    key = (unit.pk, as_of)
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    result = _compute(unit, as_of)
    _cache[key] = (now, result)
    return result


def _forget(**kw: Any) -> None:
    _cache.clear()


for _model in (Unit, UnitSuccession):
    post_save.connect(_forget, sender=_model, dispatch_uid=f"stats-scope-{_model.__name__}")
    post_delete.connect(_forget, sender=_model, dispatch_uid=f"stats-scope-del-{_model.__name__}")
