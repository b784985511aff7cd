from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from borderlink.core import dates
from borderlink.core.permissions import restrict
from borderlink.places.models import Unit
from borderlink.ties.coverage import RULES, evaluate
from borderlink.ties.follow_up import EXPIRING_WITHIN_DAYS, expiring_agreements, overdue_commitments


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
    asked = request.GET.get("days", "")
    days = int(asked) if asked.isdigit() else EXPIRING_WITHIN_DAYS
    return render(
        request,
        "ties/follow_up.html",
        {
            "overdue": overdue_commitments(request.user, today),
            "expiring": expiring_agreements(request.user, today, days),
            "days": days,
            "today": today,
        },
    )
