"""Pages of the delegations app beyond the shared register pages: the workflow's moves and the
calendar (a month on a page, any period as iCalendar)."""

from __future__ import annotations

import calendar as months
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from borderlink.core import access_keys
from borderlink.core.permissions import restrict
from borderlink.delegations import calendar, calendar_feed, workflow
from borderlink.delegations.models import CalendarFeed, Delegation


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = restrict(Delegation.objects.all(), request.user, "view").filter(pk=pk).first()
    if delegation is None:
        raise Http404(_("No such record, or not yours to see."))
    try:
        workflow.move(
            delegation, request.POST.get("to", ""), request.user, request.POST.get("note", "")
        )
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("registers:detail", slug="delegations", pk=pk)


def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        datetime.date(year, month, 1)
    except ValueError:
        raise Http404(_("No such month.")) from None
    return year, month


@login_required
@never_cache  # it may show a new subscription address
def calendar_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    year, month = _month(request)
    start = datetime.date(year, month, 1)
    end = datetime.date(year, month, months.monthrange(year, month)[1])
    before = start - datetime.timedelta(days=1)
    after = end + datetime.timedelta(days=1)
    return render(
        request,
        "delegations/calendar.html",
        {
            "entries": calendar.entries(request.user, start, end),
            "month": start,
            "before": before,
            "after": after,
            "start": start,
            "end": end,
            "feed": CalendarFeed.objects.filter(user=user).first(),
            "feed_url": access_keys.take_shown(request, "calendar-feed"),
        },
    )


@login_required
@require_POST
def calendar_subscription(request: HttpRequest) -> HttpResponse:
    """Make (or remake) the user's subscription address, shown once on the calendar page the
    redirect leads to; or end it."""
    if request.POST.get("action") == "revoke":
        calendar_feed.revoke(request.user)
        messages.success(request, _("The subscription address no longer works."))
        return redirect("delegations:calendar")
    key = calendar_feed.issue(request.user)
    url = request.build_absolute_uri(reverse("delegations:calendar-feed")) + f"?key={key}"
    access_keys.show_once(request, "calendar-feed", url)
    return redirect("delegations:calendar")  # a reload makes no second address


def _day(text: str | None, default: datetime.date) -> datetime.date:
    if not text:
        return default
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404(_("Dates are written YYYY-MM-DD.")) from None


def _ics(request: HttpRequest, user: Any, ceiling: int | None = None) -> HttpResponse:
    today = timezone.localdate()
    start = _day(request.GET.get("from"), today - datetime.timedelta(days=365))
    end = _day(request.GET.get("to"), today + datetime.timedelta(days=365))
    if end < start:
        raise Http404(_("A period cannot end before it starts."))
    body = calendar.to_ics(
        calendar.entries(user, start, end, ceiling), request.build_absolute_uri("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="borderlink-delegations.ics"'
    return response


@login_required
def calendar_ics(request: HttpRequest) -> HttpResponse:
    return _ics(request, request.user)


@never_cache
def calendar_feed_ics(request: HttpRequest) -> HttpResponse:
    """The subscription address: the key stands in for the session (calendar_feed.py)."""
    user = calendar_feed.user_for(request.GET.get("key", ""))
    if user is None:
        raise Http404(_("This subscription address does not work (any more)."))
    return _ics(request, user, calendar_feed.FEED_CLEARANCE)
