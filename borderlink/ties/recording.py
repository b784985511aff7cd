"""The other side's units a unit of ours works with: the default counterpart of its records.

A unit's partnerships in force on a day are its own and those of the units it continues (a
station carried over in the 2025 reform keeps its "Friendship station" pairing).
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from borderlink.places.models import Unit, UnitSuccession
from borderlink.ties.models import Partnership


def _itself_and_before(unit: Unit) -> list[Unit]:
    """The unit and the units it continues through main successions, nearest first."""
    chain, seen = [unit], {unit.pk}
    frontier = [unit]
    while frontier:
        links = UnitSuccession.objects.filter(successor__in=frontier, is_main=True).select_related(
            "predecessor"
        )
        frontier = [link.predecessor for link in links if link.predecessor_id not in seen]
        seen.update(u.pk for u in frontier)
        chain += frontier
    return chain


def partnerships_of(unit: Unit, day: datetime.date) -> list[Partnership]:
    """The partnerships in force on `day` of the unit or of the units it continues, the closest
    first (the unit's own before its predecessors', the narrowest before wider ones)."""
    chain = _itself_and_before(unit)
    rank = {u.pk: i for i, u in enumerate(chain)}
    in_force = (
        Partnership.objects.filter(our_units__in=chain)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=day))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .prefetch_related("our_units", "their_units")
        .distinct()
    )
    return sorted(
        in_force,
        key=lambda p: (
            min(rank.get(u.pk, len(chain)) for u in p.our_units.all()),
            len(p.their_units.all()),
            p.pk,
        ),
    )


def counterparts_of(unit: Unit, day: datetime.date) -> list[Unit]:
    """The other side's units of those partnerships that exist on `day`, the closest first."""
    found: dict[int, Unit] = {}
    for partnership in partnerships_of(unit, day):
        for their in partnership.their_units.all():
            if their.is_valid_on(day):
                found.setdefault(their.pk, their)
    return list(found.values())


def default_counterpart(unit: Unit, day: datetime.date) -> Unit | None:
    found = counterparts_of(unit, day)
    return found[0] if found else None
