"""The home page: for a visitor, what BorderLink is and where to log in; for a user, their work
queue — what to record, what is waiting, what changed — each block through the permission gate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderlink.accounts.recording import home_units
from borderlink.border.awaiting import awaiting_acknowledgement
from borderlink.core.permissions import can_at_all, can_under, clearance
from borderlink.core.roles import Role
from borderlink.desk.changes import recent_changes
from borderlink.desk.headline import headline
from borderlink.desk.jobs import imports_under_way, reports_under_way
from borderlink.desk.quiet import quiet_this_month
from borderlink.ledger.follow_up import overdue_commitments
from borderlink.ledger.models import Activity, ActivityKind
from borderlink.places.models import Unit
from borderlink.ties.follow_up import EXPIRING_WITHIN_DAYS, expiring_agreements

# The kinds an officer records most often, each a button that opens the quick-entry form.
QUICK_KINDS = [
    (ActivityKind.LETTER, _("Letter")),
    (ActivityKind.PHONE_CALL, _("Phone call")),
    (ActivityKind.MEETING, _("Talks")),
    (ActivityKind.HANDOVER, _("Hand-over")),
]
# Leaders and the foreign-affairs editors read the figures; officers who record see them on
# the dashboard.
HEADLINE_ROLES = {Role.VIEWER, Role.FA_EDITOR, Role.ADMIN}
LISTED = 10  # rows per block; the block's count and link say how many there are


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    kind: str  # an activity kind, or "sheet"


def _url_or_empty(name: str, args: list[Any] | None = None) -> str:
    """The address of a page another part of the team may not have shipped yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def quick_actions(user: Any, home: list[Unit]) -> list[Action]:
    if not can_at_all(user, Activity, "add"):
        return []
    new = reverse("registers:new", args=["activities"])
    actions = [
        Action(str(label), f"{new}?kind={kind.value}", kind.value) for kind, label in QUICK_KINDS
    ]
    sheet = _url_or_empty("ledger:sheet-here") if home else ""
    if sheet:
        actions.append(Action(str(_("Log sheet")), sheet, "sheet"))
    field = _url_or_empty("field:app") if home else ""
    if field:  # the same forms on a phone, with or without a network (borderlink/field/)
        actions.append(Action(str(_("Field app (offline)")), field, "field"))
    return actions


def _sheet_or_page(unit: Unit, day: datetime.date) -> str:
    return _url_or_empty("ledger:sheet", [unit.code, f"{day:%Y-%m}"]) or reverse(
        "places:detail", args=[unit.code]
    )


def reads_figures(user: Any) -> bool:
    return bool(set(user.memberships.values_list("role", flat=True)) & HEADLINE_ROLES)


def figures_unit(user: Any, home: list[Unit]) -> Unit | None:
    """The first unit the user records for whose figures they may see."""
    return next((u for u in home if can_under(user, Activity, "view", u.path)), None)


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "desk/welcome.html")
    today = timezone.localdate()
    units = home_units(user, today)
    quiet = quiet_this_month(user, units, today)
    overdue = overdue_commitments(user, today)
    expiring = expiring_agreements(user, today)
    alerts = awaiting_acknowledgement(user, timezone.now())
    reads = reads_figures(user)
    unit = figures_unit(user, units) if reads else None
    context = {
        "today": today,
        "home_units": units,
        "actions": quick_actions(user, units),
        "quiet": quiet,
        "quiet_links": [(u, _sheet_or_page(u, today)) for u in quiet.quiet],
        "overdue": list(overdue[:LISTED]),
        "overdue_count": overdue.count(),
        "expiring": list(expiring[:LISTED]),
        "expiring_count": expiring.count(),
        "expiring_days": EXPIRING_WITHIN_DAYS,
        "imports": list(imports_under_way(user)[:LISTED]),
        "reports": list(reports_under_way(user)[:LISTED]),
        "alerts": list(alerts[:LISTED]),
        "alerts_count": alerts.count(),
        "changes": recent_changes(user, LISTED),
        "reads_figures": reads,
        "figures_unit": unit,
        "headline": headline(unit, today, clearance(user)) if unit else [],
    }
    return render(request, "desk/home.html", context)


@login_required
def follow_up(request: HttpRequest) -> HttpResponse:
    """Every overdue commitment and every agreement about to expire the user may view
    (/cooperation/follow-up/; the home page shows the first few)."""
    today = timezone.localdate()
    asked = request.GET.get("days", "")
    days = int(asked) if asked.isdigit() else EXPIRING_WITHIN_DAYS
    return render(
        request,
        "desk/follow_up.html",
        {
            "overdue": overdue_commitments(request.user, today),
            "expiring": expiring_agreements(request.user, today, days),
            "days": days,
            "today": today,
        },
    )
