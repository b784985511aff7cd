"""Visit counts like the seed portal's (today, yesterday, this month, this year).

A page of the public site, once shown in a browser, sends one request without a body to
/public/visit/ (static/portal/portal.js). The server adds one to the day's total and keeps
nothing else: no cookie is read or set, no address, no user agent, no identifier. Pages stay
cacheable because counting is not part of serving them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from borderlink.portal.models import VisitCount

SUMMARY_SECONDS = 30


def record(day: datetime.date) -> None:
    updated = VisitCount.objects.filter(day=day).update(views=F("views") + 1)
    if updated:
        return
    try:
        with transaction.atomic():
            VisitCount.objects.create(day=day, views=1)
    except IntegrityError:  # another request created the day's row first
        VisitCount.objects.filter(day=day).update(views=F("views") + 1)


@dataclass(frozen=True)
class Summary:
    today: int
    yesterday: int
    month: int
    year: int
    day: datetime.date


def summary(today: datetime.date) -> Summary:
    key = f"portal:visits:{today.isoformat()}"
    found: Summary | None = cache.get(key)
    if found is not None:
        return found
    rows = dict(
        VisitCount.objects.filter(
            day__gte=min(today.replace(month=1, day=1), today - datetime.timedelta(days=1)),
            day__lte=today,
        ).values_list("day", "views")
    )
    yesterday = today - datetime.timedelta(days=1)
    found = Summary(
        today=rows.get(today, 0),
        yesterday=rows.get(yesterday, 0),
        month=sum(v for d, v in rows.items() if (d.year, d.month) == (today.year, today.month)),
        year=sum(v for d, v in rows.items() if d.year == today.year),
        day=today,
    )
    cache.set(key, found, SUMMARY_SECONDS)
    return found
