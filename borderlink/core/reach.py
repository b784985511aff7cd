"""A reach: the unit paths a membership's grants cover, as the gate (core/permissions.py) uses it.

`own` is the membership unit's subtree (its records, whatever happened to the unit since);
`plus` the units it acts on today with what rolled into them, less `minus` (the parts of those
that went elsewhere). Where a membership reaches through the reform is worked out above, where
memberships and the gazetteer are (accounts/reach.py); here it is only paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

# Up to this many units the gate names them (`unit_id IN (…)`), so the planner sees how many
# records they hold and walks the list's sort index; past it (a reach over a whole country's
# villages) it asks the units table in a subquery instead of sending a long list.
LISTED_UNITS = 2000


@dataclass(frozen=True)
class Reach:
    own: str  # the membership unit's path: its subtree is always in reach
    plus: tuple[str, ...] = ()  # today's units acted on, and what rolled into them
    minus: tuple[str, ...] = ()  # parts of `plus` that went elsewhere
    # The ids of the units in reach, by units model, read once (a reach lives for one request).
    _ids: dict[type[models.Model], frozenset[int]] = field(
        default_factory=dict, compare=False, repr=False
    )

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

    def unit_ids(self, units: type[models.Model]) -> frozenset[int]:
        """The ids of the units in reach, in one query; `units` is the model records link to
        for their unit (the gate finds it from the record's link, core names no app above)."""
        if units not in self._ids:
            wanted = Q(path__startswith=self.own)
            for path in self.plus:
                wanted |= Q(path__startswith=path)
            # Unordered: the units' default order (country, kind, names) sorted ~500 rows
            # for a set.
            found = units._default_manager.filter(wanted).order_by()
            if not self.minus:  # the filter is `contains` itself: no path to read and check
                self._ids[units] = frozenset(found.values_list("pk", flat=True))
            else:
                rows = found.values_list("pk", "path")
                self._ids[units] = frozenset(pk for pk, path in rows if self.contains(path))
        return self._ids[units]


def units_in(reaches: Sequence[Reach], units: type[models.Model]) -> Any:
    """The units any of `reaches` holds, for a `<link to a unit>__in` filter: their ids when
    they are few (the gate's usual case), else a subquery on the units' paths."""
    ids: set[int] = set()
    for reach in reaches:
        ids |= reach.unit_ids(units)
        if len(ids) > LISTED_UNITS:
            condition = Q()
            for each in reaches:
                condition |= each.q("path")
            return units._default_manager.filter(condition).values("pk")
    return sorted(ids)
