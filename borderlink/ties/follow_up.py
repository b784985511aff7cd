"""Agreements that need following up: signed or in force, and about to expire, as the gate
lets the user view them. One definition for every page that lists them (the follow-up page, the
home page, the dashboard); the overdue commitments are ledger/follow_up.py's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from borderlink.core.permissions import restrict
from borderlink.places.models import Unit
from borderlink.ties.models import Agreement

EXPIRING_WITHIN_DAYS = 180


def expiring_agreements(
    user: Any,
    today: datetime.date,
    days: int = EXPIRING_WITHIN_DAYS,
    within: Unit | None = None,
) -> QuerySet[Agreement]:
    """Agreements signed or in force that expire within `days` of `today`, the user may view."""
    expiring = restrict(Agreement.objects.select_related("home_unit"), user, "view").filter(
        status__in=[Agreement.Status.IN_FORCE, Agreement.Status.SIGNED],
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=days),
    )
    if within is not None:
        expiring = expiring.filter(home_unit__path__startswith=within.path)
    return expiring.order_by("expires_on", "id")
