"""Units the user records for that have nothing recorded this month.

A station or commune officer watches their own unit; someone at a province or district watches
the border communes and border-guard stations under the units they act on today. An entry
counts for the deepest watched unit above it (a station's entry is the station's, not also its
commune's), and only when the user may view it (an entry above the user's clearance does not
exist for them, so it cannot make a unit look busy).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from borderlink.core.permissions import can_under, restrict
from borderlink.ledger.models import Activity
from borderlink.places.choices import UnitKind
from borderlink.places.models import Unit

# Units above these are watched through the border units beneath them.
WATCHED_THEMSELVES = {
    UnitKind.COMMUNE,
    UnitKind.VILLAGE,
    UnitKind.RESIDENTIAL_AREA,
    UnitKind.BORDER_STATION,
    UnitKind.BORDER_GATE,
    UnitKind.CROSSING,
    UnitKind.DEPARTMENT,
    UnitKind.CONSULATE,
    UnitKind.ENTERPRISE,
    UnitKind.SCHOOL,
    UnitKind.ORGANISATION,
}


@dataclass(frozen=True)
class Quiet:
    watched: int  # units watched
    quiet: list[Unit]  # those with nothing recorded in the month


def watched_units(user: Any, home: list[Unit], day: datetime.date) -> list[Unit]:
    """The units whose recording the user looks after on `day`, inside what they may view."""
    themselves = [u for u in home if u.kind in WATCHED_THEMSELVES]
    above = [u for u in home if u.kind not in WATCHED_THEMSELVES]
    found = {u.pk: u for u in themselves}
    if above:
        under = Q()
        for unit in above:
            under |= Q(path__startswith=unit.path)
        border_units = Q(kind=UnitKind.BORDER_STATION) | Q(kind=UnitKind.COMMUNE, is_border=True)
        for unit in Unit.objects.valid_on(day).filter(under, border_units):
            found.setdefault(unit.pk, unit)
    return sorted(
        (u for u in found.values() if can_under(user, Activity, "view", u.path)),
        key=lambda u: (u.kind != UnitKind.BORDER_STATION, u.path),
    )


def quiet_this_month(user: Any, home: list[Unit], day: datetime.date) -> Quiet:
    watched = watched_units(user, home, day)
    if not watched:
        return Quiet(0, [])
    first = day.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    under = Q()
    for unit in watched:
        under |= Q(home_unit__path__startswith=unit.path)
    recorded = set(
        restrict(Activity.objects.all(), user, "view")
        .filter(under, occurred_on__gte=first, occurred_on__lte=last)
        .order_by()
        .values_list("home_unit__path", flat=True)
        .distinct()
    )
    busy = {owner.pk for path in recorded if (owner := _owner(path, watched)) is not None}
    return Quiet(len(watched), [u for u in watched if u.pk not in busy])


def _owner(path: str, watched: list[Unit]) -> Unit | None:
    """The deepest watched unit an entry at `path` belongs to: a station's entry is the
    station's, not also its commune's; a village's entry is its commune's."""
    holders = [u for u in watched if path.startswith(u.path)]
    return max(holders, key=lambda u: len(u.path)) if holders else None
