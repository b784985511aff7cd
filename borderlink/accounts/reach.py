"""Where a membership reaches on a given day, through the reform.

A membership is held at one unit. Its reach is that unit's subtree (its own records, whatever
happened to the unit since) and, for today's work, the units it acts on today with everything
that rolled into them (places.scope): a role at today's Tuyên Quang also reaches the records of
old Hà Giang; a role at old Hà Giang, which ended on 30/06/2025, acts on today's Tuyên Quang, the
unit that holds it now (or only on the holders an administrator chose, `Membership.acts_on`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from borderlink.places.lineage import holders_on
from borderlink.places.models import Unit
from borderlink.places.scope import resolve

if TYPE_CHECKING:
    from borderlink.accounts.models import Membership

# Up to this many units the gate names them (`unit_id IN (…)`), so the planner sees how many
# records they hold and walks the list's sort index; past it (a reach over a whole country's
# villages) it asks the units table in a subquery instead of sending a long list.
LISTED_UNITS = 2000


@dataclass(frozen=True)
class Reach:
    own: str  # the membership unit's path: its subtree is always in reach
    plus: tuple[str, ...] = ()  # today's units acted on, and what rolled into them
    minus: tuple[str, ...] = ()  # parts of `plus` that went elsewhere

    def contains(self, path: str) -> bool:
        if path.startswith(self.own):
            return True
        return any(path.startswith(p) for p in self.plus) and not any(
            path.startswith(m) for m in self.minus
        )

    def q(self, lookup: str) -> Q:
        """The records whose unit path (at `lookup`) lies in reach, as a filter."""
        condition = Q(**{f"{lookup}__startswith": self.own})
        plus = Q()
        for path in self.plus:
            plus |= Q(**{f"{lookup}__startswith": path})
        if self.plus:
            for path in self.minus:
                plus &= ~Q(**{f"{lookup}__startswith": path})
            condition |= plus
        return condition

    @cached_property
    def unit_ids(self) -> frozenset[int]:
        """The ids of the units in reach, in one query (a reach lives for one request)."""
        wanted = Q(path__startswith=self.own)
        for path in self.plus:
            wanted |= Q(path__startswith=path)
        rows = Unit.objects.filter(wanted).values_list("pk", "path")
        return frozenset(pk for pk, path in rows if self.contains(path))


def units_in(reaches: Sequence[Reach]) -> Any:
    """The units any of `reaches` holds, for a `<link to a unit>__in` filter: their ids when
    they are few (the gate's usual case), else a subquery on the units' paths."""
    ids: set[int] = set()
    for reach in reaches:
        ids |= reach.unit_ids
        if len(ids) > LISTED_UNITS:
            condition = Q()
            for each in reaches:
                condition |= each.q("path")
            return Unit.objects.filter(condition).values("pk")
    return sorted(ids)


def acts_on(membership: Membership, day: datetime.date) -> list[Unit]:
    """The units valid on `day` the membership records for: its own unit while it exists, else
    the units that hold it (narrowed by an administrator where they chose some)."""
    unit = membership.unit
    if unit.is_valid_on(day):
        return [unit]
    chosen = [u for u in membership.acts_on.all() if u.is_valid_on(day)]
    return chosen or holders_on(unit, day)


def reach_of(membership: Membership, day: datetime.date) -> Reach:
    plus: list[str] = []
    minus: list[str] = []
    for unit in acts_on(membership, day):
        scope = resolve(unit, day)
        plus += [u.path for u in scope.plus]
        minus += [u.path for u in scope.minus]
    return Reach(
        own=membership.unit.path,
        plus=tuple(dict.fromkeys(plus)),
        minus=tuple(dict.fromkeys(minus)),
    )
