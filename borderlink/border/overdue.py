"""Which markers are due for inspection: per marker the days since its last check, per station
the markers not inspected within the required interval."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q

from borderlink.border.models import Marker
from borderlink.core.permissions import restrict

DEFAULT_INTERVAL_DAYS = 30


def interval_days() -> int:
    """The required interval between inspections (settings.BORDER_INSPECTION_INTERVAL_DAYS)."""
    return int(getattr(settings, "BORDER_INSPECTION_INTERVAL_DAYS", DEFAULT_INTERVAL_DAYS))


@dataclass
class StationDue:
    unit: Any
    markers: list[Marker] = field(default_factory=list)
    total: int = 0


def declared_count(user: Any, kind: str) -> Any:
    """The latest count the sources declare (a ledger return: 442 markers, 13 crossing ways)
    that the user may see, or None."""
    from borderlink.ledger.models import AggregateReturn

    returns = restrict(AggregateReturn.objects.filter(kind=kind, measure="units"), user, "view")
    return returns.select_related("source", "home_unit").order_by("-period_to", "-pk").first()


def overdue(
    user: Any, today: datetime.date, days: int | None = None
) -> tuple[list[StationDue], int]:
    """Per responsible unit, the markers never inspected or not within `days`; and the count."""
    days = interval_days() if days is None else days
    limit = today - datetime.timedelta(days=days)
    visible = restrict(Marker.objects.all(), user, "view").select_related(
        "home_unit", "section", "commune"
    )
    by_unit: dict[int, StationDue] = {}
    for marker in visible.order_by("home_unit__code", "number"):
        due = by_unit.setdefault(marker.home_unit_id, StationDue(marker.home_unit))
        due.total += 1
    late = visible.filter(Q(last_inspected_on__isnull=True) | Q(last_inspected_on__lt=limit))
    count = 0
    for marker in late.order_by("home_unit__code", "last_inspected_on", "number"):
        by_unit[marker.home_unit_id].markers.append(marker)
        count += 1
    return [d for d in by_unit.values() if d.markers], count
