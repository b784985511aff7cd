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

# Up to this many units the gate names them (`unit_id = ANY('{…}')`, one parameter), so the
# planner counts the records they hold and walks the list's sort index; past it (a reach over a
# region's or the country's villages) it asks the units table in a subquery instead. The
# subquery's `path LIKE` looks to the planner like a few dozen units: a reach of a new province
# after the 2025 reform (its three old provinces, 10,816 units, 2.2 M of 20 M activities) read
# and sorted its 2.2 M rows on disk for page 50 (12.5 s); named, it walks the sort index.
# Planning an array of 10,816 ids takes 1.4 ms, 30,000 ids 10 ms, 100,000 ids 58 ms
# (PostgreSQL 15, bench/README-lists.md): a province's reach is named, a country's is not.
LISTED_UNITS = 20000


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

    def unit_ids(
        self, units: type[models.Model], limit: int | None = None
    ) -> frozenset[int] | None:
        """The ids of the units in reach, in one query; `units` is the model records link to
        for their unit (the gate finds it from the record's link, core names no app above).
        None when the reach's paths hold more than `limit` units: past that the caller filters
        by the paths instead, and a country's 100,000 ids were read (60 ms) only to be dropped.
        """
        if units not in self._ids:
            wanted = Q(path__startswith=self.own)
            for path in self.plus:
                wanted |= Q(path__startswith=path)
            # Unordered: the units' default order (country, kind, names) sorted ~500 rows
            # for a set.
            found = units._default_manager.filter(wanted).order_by()
            # Without `minus` the filter is `contains` itself: no path to read and check.
            read = ("pk",) if not self.minus else ("pk", "path")
            rows = list(found.values_list(*read)[: _past(limit)])
            if limit is not None and len(rows) > limit:
                return None  # not kept: a later call without a limit reads them all
            self._ids[units] = frozenset(
                row[0] for row in rows if not self.minus or self.contains(row[1])
            )
        return self._ids[units]


def _past(limit: int | None) -> int | None:
    """How many rows to read to know whether there are more than `limit` (None: all)."""
    return None if limit is None else limit + 1


def units_in(reaches: Sequence[Reach], units: type[models.Model]) -> Any:
    """The units any of `reaches` holds, for a `<link to a unit>__in` filter: their ids when
    they are at most LISTED_UNITS (one parameter, `__one_of`), else a subquery on the units'
    paths. Either selects the same units."""
    ids: set[int] = set()
    for reach in reaches:
        found = reach.unit_ids(units, LISTED_UNITS)
        if found is None or len(ids | found) > LISTED_UNITS:
            condition = Q()
            for each in reaches:
                condition |= each.q("path")
            return units._default_manager.filter(condition).values("pk")
        ids |= found
    return sorted(ids)
