"""What a unit's page shows of its ledger (places/panels.py, the extension point): the latest
activities recorded for it or with it, and its figures at a glance — the times recorded this
year against the same days last year, and the totals it declared in returns.

"For it" is the unit's scope as the figures count it (places/scope.py: its subtree, and after
the 2025 reform what rolled into it); "with it" is a unit of the other side named as the
counterpart. Only what the gate lets the viewer see is listed or counted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from borderlink.core.dates import same_day_last_year
from borderlink.core.permissions import restrict
from borderlink.ledger.models import Activity, ActivityKind, AggregateReturn
from borderlink.places.models import Unit
from borderlink.places.panels import Panel, unit_panel
from borderlink.places.scope import ScopeError, resolve

RECENT = 10
RETURNS = 6


def _scope(unit: Unit, today: datetime.date) -> Q:
    try:
        return resolve(unit, today).q("home_unit__path")
    except ScopeError:  # an ended unit: its own records, under its own name
        return Q(home_unit__path__startswith=unit.path)


def _times(activities: Any, start: datetime.date, end: datetime.date) -> int:
    found = activities.filter(occurred_on__gte=start, occurred_on__lte=end).aggregate(
        n=Sum("count")
    )
    return int(found["n"] or 0)


def _dashboard(unit: Unit, today: datetime.date) -> str:
    if not unit.is_valid_on(today):
        return ""
    try:
        return reverse("stats:dashboard", args=[unit.code])
    except NoReverseMatch:
        return ""


@unit_panel("activities", order=20)
def activities(unit: Unit, user: Any, today: datetime.date) -> Panel | None:
    own = _scope(unit, today)
    visible = restrict(Activity.objects.filter(own | Q(counterpart=unit)), user, "view")
    returns = restrict(
        AggregateReturn.objects.filter(
            Q(home_unit__path__startswith=unit.path) | Q(counterpart=unit)
        ),
        user,
        "view",
    )
    recent = list(
        visible.select_related("home_unit", "counterpart").order_by("-occurred_on", "-pk")[:RECENT]
    )
    declared = list(returns.select_related("counterpart").order_by("-period_to", "kind")[:RETURNS])
    if not recent and not declared:
        return None
    year_start = today.replace(month=1, day=1)
    last_day = same_day_last_year(today)
    kinds = dict(ActivityKind.choices)
    return Panel(
        key="activities",
        title=_("Activities and figures"),
        template="ledger/_unit_activities.html",
        context={
            "recent": recent,
            "total": visible.count(),
            "this_year": _times(visible, year_start, today),
            "last_year": _times(visible, year_start.replace(year=today.year - 1), last_day),
            "year": today.year,
            "previous_year": today.year - 1,
            "returns": [(r, kinds.get(r.kind, r.kind)) for r in declared],
            "dashboard": _dashboard(unit, today),
            "list_filter": "counterpart" if unit.country != "VN" else "home_unit",
        },
    )
