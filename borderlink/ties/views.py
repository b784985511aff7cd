from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from borderlink.core import dates
from borderlink.core.permissions import restrict
from borderlink.ledger.models import Commitment
from borderlink.places.models import Unit
from borderlink.ties.coverage import RULES, evaluate
from borderlink.ties.models import Agreement


def _date(text: str, default: datetime.date) -> datetime.date:
    """The day asked for, typed in the page's language (or ISO from a link)."""
    result: datetime.date = dates.parse_or(text, default)
    return result


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    day = _date(request.GET.get("on", ""), timezone.localdate())
    code = request.GET.get("unit", "VN-P02")
    within = restrict(
        Unit.objects.filter(code=code), request.user, "view"
    ).first() or Unit.objects.get(code="VN")
    return render(
        request,
        "ties/coverage.html",
        {"day": day, "within": within, "results": [evaluate(rule, within, day) for rule in RULES]},
    )


@login_required
def follow_up(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    days = int(request.GET.get("days", "180")) if request.GET.get("days", "180").isdigit() else 180
    overdue = restrict(
        Commitment.objects.select_related("meeting", "home_unit"), request.user, "view"
    ).filter(status=Commitment.Status.OPEN, due_on__lt=today)
    expiring = restrict(Agreement.objects.select_related("home_unit"), request.user, "view").filter(
        status__in=[Agreement.Status.IN_FORCE, Agreement.Status.SIGNED],
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=days),
    )
    return render(
        request,
        "ties/follow_up.html",
        {
            "overdue": overdue.order_by("due_on"),
            "expiring": expiring.order_by("expires_on"),
            "days": days,
            "today": today,
        },
    )
