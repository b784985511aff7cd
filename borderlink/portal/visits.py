"""Visit counts like the seed portal's (today, yesterday, this month, this year).

A page of the public site, once shown in a browser, sends one request without a body to
/public/visit/ (static/portal/portal.js). The server adds one to the day's total and keeps
nothing else: no cookie is read or set, no address, no user agent, no identifier. Pages stay
cacheable because counting is not part of serving them.

Anyone can send that request, so one client counts at most PORTAL_VISITS_PER_HOUR views an hour
(a reader does not open more pages than that); further requests are answered the same and not
counted. The client (its address as trusted proxies give it, core/client_address.py) is known
only by a keyed hash, in the cache, for the hour: never in the database.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from borderlink.core.client_address import client_address
from borderlink.portal.models import VisitCount

SUMMARY_SECONDS = 30
HOUR = 3600


def per_hour() -> int:
    return int(getattr(settings, "PORTAL_VISITS_PER_HOUR", 120))


def _allowed(request: HttpRequest) -> bool:
    """Count this client's view? At most per_hour() in each clock hour."""
    hour = int(time.time()) // HOUR
    key = hashlib.sha256(b"borderlink-visit-client:" + settings.SECRET_KEY.encode()).digest()
    client = hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()[:32]
    name = f"portal:visit:{hour}:{client}"
    cache.add(name, 0, HOUR)
    try:
        seen = cache.incr(name)
    except ValueError:  # expired between add and incr: a new hour
        cache.set(name, 1, HOUR)
        seen = 1
    return seen <= per_hour()


def record(day: datetime.date, request: HttpRequest | None = None) -> bool:
    """Add one view to the day, unless the client has used up its views this hour."""
    if request is not None and not _allowed(request):
        return False
    updated = VisitCount.objects.filter(day=day).update(views=F("views") + 1)
    if updated:
        return True
    try:
        with transaction.atomic():
            VisitCount.objects.create(day=day, views=1)
    except IntegrityError:  # another request created the day's row first
        VisitCount.objects.filter(day=day).update(views=F("views") + 1)
    return True


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
