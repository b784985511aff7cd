"""Early-warning alerts still waiting for an acknowledgement, in the user's scope.

An alert we sent waits for the other side's acknowledgement (a CAP Ack that references it sets
`acknowledged_at`); one we received waits for ours. Cancelled and expired alerts wait for nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from borderlink.border.choices import MsgType
from borderlink.border.models import Alert
from borderlink.core.permissions import restrict


def awaiting_acknowledgement(user: Any, now: datetime.datetime) -> QuerySet[Alert]:
    return (
        restrict(Alert.objects.select_related("home_unit", "counterpart"), user, "view")
        .filter(acknowledged_at__isnull=True)
        .exclude(msg_type=MsgType.CANCEL)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gte=now))
        .order_by("issued_at", "id")
    )
