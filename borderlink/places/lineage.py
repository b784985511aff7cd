"""Walking a unit's history: who holds it on a date, what it was made of, cycles."""

from __future__ import annotations

import datetime
from collections import deque

from borderlink.places.models import Unit, UnitSuccession


def holders_on(unit: Unit, day: datetime.date) -> list[Unit]:
    """The unit(s) that hold `unit`'s territory or role on `day`, following successions forward.

    A unit valid on `day` holds itself. A unit that ended maps to its successors, recursively.
    """
    if unit.is_valid_on(day):
        return [unit]
    found: dict[int, Unit] = {}
    seen = {unit.pk}
    queue = deque([unit])
    while queue:
        current = queue.popleft()
        for link in UnitSuccession.objects.filter(predecessor=current).select_related("successor"):
            succ = link.successor
            if succ.pk in seen:
                continue
            seen.add(succ.pk)
            if succ.is_valid_on(day):
                found[succ.pk] = succ
            elif succ.valid_from is None or succ.valid_from <= day:
                queue.append(succ)
    return sorted(found.values(), key=lambda u: u.code)


def made_of(unit: Unit) -> list[UnitSuccession]:
    """The successions that formed `unit`: its direct predecessors, with their kind and date."""
    return list(
        UnitSuccession.objects.filter(successor=unit)
        .select_related("predecessor", "predecessor__parent")
        .order_by("predecessor__code")
    )


def went_to(unit: Unit) -> list[UnitSuccession]:
    return list(
        UnitSuccession.objects.filter(predecessor=unit)
        .select_related("successor", "successor__parent")
        .order_by("-is_main", "successor__code")
    )


def succession_cycle(predecessor: Unit, successor: Unit) -> list[Unit]:
    """The chain successor → … → predecessor if adding predecessor → successor closes a cycle."""
    parents: dict[int, Unit | None] = {successor.pk: None}
    queue = deque([successor])
    while queue:
        current = queue.popleft()
        if current.pk == predecessor.pk:
            chain = [current]
            back = parents[current.pk]
            while back is not None:
                chain.append(back)
                back = parents[back.pk]
            return [predecessor, *reversed(chain)]
        for link in UnitSuccession.objects.filter(predecessor=current).select_related("successor"):
            if link.successor.pk not in parents:
                parents[link.successor.pk] = current
                queue.append(link.successor)
    return []


def children_on(parent: Unit | None, day: datetime.date, country: str | None = None) -> list[Unit]:
    qs = Unit.objects.valid_on(day)
    qs = qs.filter(parent=parent) if parent is not None else qs.filter(parent__isnull=True)
    if country:
        qs = qs.filter(country=country)
    return sorted(qs, key=lambda u: (u.kind, u.native_name))
