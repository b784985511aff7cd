"""A ledger figure broken down by what its entries say: the level of our unit, the channel, the
partner, the partner's country, the year, and for delegations the delegation's own level.

The breakdown adds up the same entries the figure counts (engine.activities_behind, at the
user's clearance) with the same measure, so its rows sum to the figure's ledger part; aggregate
returns carry no such detail and stay one line of their own (stats/figure.html).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from borderlink.core.choices import Diplomacy
from borderlink.delegations.choices import Level
from borderlink.ledger.models import Activity, ActivityKind, Channel
from borderlink.places.choices import Country, UnitKind
from borderlink.places.models import Unit
from borderlink.stats.engine import measure_total
from borderlink.stats.indicators import Indicator


def _choice_label(choices: Any) -> Callable[[Any], str]:
    labels = dict(choices.choices)
    return lambda value: str(labels.get(value, value))


@dataclass(frozen=True)
class Dimension:
    name: str  # the URL's `by=`
    label: Promise
    lookup: str  # the entries' field (path) grouped on and filtered by
    name_of: Callable[[Any], str] | None = None  # a group's label (units are named in the page)
    kinds: tuple[str, ...] = ()  # offered only for indicators counting one of these kinds

    def offered(self, ind: Indicator) -> bool:
        return not self.kinds or bool(set(self.kinds) & set(ind.kinds))

    def key(self) -> Any:
        return ExtractYear("occurred_on") if self.name == "year" else F(self.lookup)

    def only(self, text: str) -> Q:
        """The entries of one group, from its value as the URL carries it ("" for none)."""
        if text == "":
            return Q(**{f"{self.lookup}__isnull": True})
        return Q(**{self.lookup: text})


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension(
            "delegation_level",
            _("Level of the delegation"),
            "delegation__level",
            _choice_label(Level),
            kinds=(ActivityKind.DELEGATION,),
        ),
        Dimension("unit_kind", _("Our unit's level"), "home_unit__kind", _choice_label(UnitKind)),
        Dimension("channel", _("Channel"), "channel", _choice_label(Channel)),
        Dimension("diplomacy", _("Diplomacy channel"), "diplomacy", _choice_label(Diplomacy)),
        Dimension("partner", _("Partner"), "counterpart"),
        Dimension(
            "partner_country",
            _("Partner's country"),
            "counterpart__country",
            _choice_label(Country),
        ),
        Dimension("year", _("Year"), "occurred_on__year", str),
    )
}


def offered(ind: Indicator) -> list[Dimension]:
    return [d for d in DIMENSIONS.values() if d.offered(ind)]


def chosen(ind: Indicator, name: str | None) -> Dimension:
    """The dimension asked for, or the first the indicator offers."""
    choices = offered(ind)
    return next((d for d in choices if d.name == name), choices[0])


@dataclass
class Group:
    value: str  # as the URL carries it
    label: str
    unit: Unit | None  # for the partner dimension: named in the page's language
    total: Decimal
    records: int


def break_down(ind: Indicator, entries: QuerySet[Activity], dimension: Dimension) -> list[Group]:
    """The entries' measure per group, largest first (years in order)."""
    rows = (
        entries.order_by()
        .annotate(group=dimension.key())
        .values("group")
        .annotate(total=measure_total(ind.measure), records=measure_total("records"))
    )
    units = {}
    if dimension.name == "partner":
        wanted = {row["group"] for row in rows if row["group"] is not None}
        units = Unit.objects.in_bulk(wanted)
    groups = []
    for row in rows:
        value = row["group"]
        unit = units.get(value)
        if value is None:
            label = str(_("Not recorded"))
        elif unit is not None:
            label = unit.display_name(get_language() or "vi")[0]
        else:
            label = dimension.name_of(value) if dimension.name_of else str(value)
        groups.append(
            Group(
                "" if value is None else str(value),
                label,
                unit,
                Decimal(row["total"] or 0),
                int(row["records"]),
            )
        )
    if dimension.name == "year":
        groups.sort(key=lambda g: g.value)
    else:
        groups.sort(key=lambda g: (-g.total, g.label))
    return groups


def filename(ind: Indicator, unit: Unit, dimension: Dimension, day: datetime.date) -> str:
    return f"{ind.code}-{unit.code}-{dimension.name}-{day.isoformat()}.csv"
