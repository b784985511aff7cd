"""The calendar of delegations and meetings, on a page and as iCalendar (RFC 5545).

Only what the permission gate lets the user view, and never a member's name: a calendar file
travels (phones, shared calendars), so it carries titles, dates, places and purposes only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from borderlink.core.permissions import AnyUser, restrict
from borderlink.delegations.choices import Status
from borderlink.delegations.models import Delegation
from borderlink.ledger.models import Activity, ActivityKind

ICS_STATUS = {
    Status.PROPOSED: "TENTATIVE",
    Status.APPROVED: "TENTATIVE",
    Status.UNDER_WAY: "CONFIRMED",
    Status.REPORTED: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
}


@dataclass(frozen=True)
class Entry:
    uid: str
    kind: str  # "delegation" or "meeting"
    title: str
    starts_on: datetime.date
    ends_on: datetime.date  # inclusive
    path: str  # the record's page
    location: str
    description: str
    status: str  # an iCalendar STATUS
    label: str  # the status or kind as shown on the page
    stamp: datetime.datetime


def entries(
    user: AnyUser, start: datetime.date, end: datetime.date, ceiling: int | None = None
) -> list[Entry]:
    """Delegations and meetings the user may view that overlap [start, end]; with `ceiling`,
    none above that sensitivity (a subscription feed: calendar_feed.py)."""
    found: list[Entry] = []
    cap = Q() if ceiling is None else Q(sensitivity__lte=ceiling)
    delegations = restrict(Delegation.objects.all(), user, "view").filter(
        cap, starts_on__lte=end, ends_on__gte=start
    )
    for item in delegations.select_related("counterpart", "home_unit"):
        found.append(
            Entry(
                uid=f"delegation-{item.pk}@borderlink",
                kind="delegation",
                title=item.title,
                starts_on=item.starts_on,
                ends_on=item.ends_on,
                path=f"/r/delegations/{item.pk}/",
                location=item.places,
                description=item.purpose,
                status=ICS_STATUS[Status(item.status)],
                label=item.get_status_display(),
                stamp=item.updated_at,
            )
        )
    meetings = restrict(Activity.objects.all(), user, "view").filter(
        cap, kind=ActivityKind.MEETING, occurred_on__lte=end
    )
    for meeting in meetings.filter(Q(occurred_on__gte=start) | Q(ended_on__gte=start)):
        found.append(
            Entry(
                uid=f"activity-{meeting.pk}@borderlink",
                kind="meeting",
                title=meeting.title,
                starts_on=meeting.occurred_on,
                ends_on=meeting.ended_on or meeting.occurred_on,
                path=f"/r/activities/{meeting.pk}/",
                location="",
                description=meeting.outcomes,
                status="CONFIRMED",
                label=str(ActivityKind.MEETING.label),
                stamp=meeting.updated_at,
            )
        )
    found.sort(key=lambda e: (e.starts_on, e.title, e.uid))
    return found


def to_ics(items: list[Entry], base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//BorderLink//Delegations and meetings//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Delegations and meetings"))
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp)
        event.add("dtstart", item.starts_on)
        # All-day events end on the day after (DTEND is exclusive).
        event.add("dtend", item.ends_on + datetime.timedelta(days=1))
        event.add("summary", item.title)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("url", base_url.rstrip("/") + item.path)
        event.add("status", item.status)
        event.add("categories", [item.kind])
        cal.add_component(event)
    return cal.to_ical()
