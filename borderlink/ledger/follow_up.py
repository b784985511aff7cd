"""Commitments that need following up: open ones past their due date, as the gate lets the
user view them. One definition for every page that lists them (the follow-up page, the home
page, the dashboard); the agreements about to expire are ties/follow_up.py's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from borderlink.core.permissions import restrict
from borderlink.ledger.models import Commitment
from borderlink.places.models import Unit


def overdue_commitments(
    user: Any, today: datetime.date, within: Unit | None = None
) -> QuerySet[Commitment]:
    """Open commitments due before `today` the user may view (under `within` when given)."""
    overdue = restrict(
        Commitment.objects.select_related("meeting", "home_unit"), user, "view"
    ).filter(status=Commitment.Status.OPEN, due_on__lt=today)
    if within is not None:
        overdue = overdue.filter(home_unit__path__startswith=within.path)
    return overdue.order_by("due_on", "id")
