"""Subscription addresses for calendar programs (a phone, Outlook, Thunderbird).

A calendar program fetches a URL on its own, without the user's session or second factor, so the
address carries a secret key instead, and is deliberately worth less than a login:
- the key is a `core.access_keys` key (256 random bits, only its digest stored); making a new
  one ends the old one, and the user can end it at any time;
- it travels in the query string, which neither the access log (core serve) nor Django's
  request log writes;
- what it shows is what the gate lets the user view, capped at internal sensitivity
  (FEED_CLEARANCE): a leaked address never reveals a confidential delegation;
- it stops working when the user is deactivated.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from borderlink.core import access_keys
from borderlink.core.choices import Sensitivity
from borderlink.delegations.models import CalendarFeed

FEED_CLEARANCE = int(Sensitivity.INTERNAL)


@transaction.atomic
def issue(user: Any) -> str:
    """A new key for the user, replacing the one before; returned once, never stored."""
    key = access_keys.new_key()
    CalendarFeed.objects.filter(user=user).delete()
    CalendarFeed.objects.create(user=user, digest=access_keys.digest(key))
    return key


def revoke(user: Any) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def user_for(key: str) -> Any | None:
    """The active user whose key this is, or None; notes when it was last used."""
    if not access_keys.plausible(key):
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(digest=access_keys.digest(key), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user
