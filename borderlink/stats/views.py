"""Dashboards, figure drill-down and the indicator map: every number comes from the engine."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderlink.border.geo import boundary
from borderlink.border.models import Marker
from borderlink.core import dates
from borderlink.core.db_router import replica_reads
from borderlink.core.money import ISO_4217
from borderlink.core.numbers import number
from borderlink.core.permissions import can_at_all, can_under, clearance, restrict
from borderlink.ledger.follow_up import overdue_commitments
from borderlink.ledger.models import Activity
from borderlink.places import map_context
from borderlink.places.models import Unit
from borderlink.places.scope import ScopeError, default_as_of
from borderlink.registers.tabular import write_csv
from borderlink.stats import breakdown, compare, coverage, indicators, rules_border, trend
from borderlink.stats.display import day, figure_text
from borderlink.stats.engine import Figure, Window, activities_behind, evaluate_many
from borderlink.ties.follow_up import expiring_agreements

# What a dashboard shows, section by section.
DASHBOARD: list[tuple[Any, list[str]]] = [
    (
        gettext_lazy("Exchanges between border-guard stations"),
        [
            "station.letters",
            "station.talks",
            "station.political_exchanges",
            "station.unscheduled_exchanges",
            "station.phone_calls",
            "station.joint_checks",
            "station.handovers",
            "station.persons_handed_over",
        ],
    ),
    (
        gettext_lazy("Border units and ties"),
        [
            "units.border_districts",
            "units.border_communes",
            "units.border_stations",
            "agreements.provincial_in_force",
            "coverage.border_districts_paired",
            "coverage.commune_clusters_paired",
            "coverage.border_communes_paired",
            "coverage.stations_paired",
            "count.departments_with_partners",
        ],
    ),
    (
        gettext_lazy("Aid, labour and education"),
        [
            "aid.received_value",
            "aid.given_quantity",
            "labour.workers_sent",
            "education.scholarships",
        ],
    ),
    (
        gettext_lazy("Delegations and economic cooperation"),
        [
            "delegations.sent",
            "delegations.received",
            "delegations.persons_sent",
            "delegations.persons_received",
            "trade.gate_turnover",
            "electricity.purchased",
            "electricity.sold",
            "economy.cooperation_sectors",
        ],
    ),
]
# The trend by year: the station exchanges whose returns the sources declare over many years.
TREND = ["station.letters", "station.talks", "station.handovers"]
# The trend by month, this year beside last year: every exchange recorded.
MONTHLY = "exchanges.all"


def _date(text: str | None) -> datetime.date | None:
    """A period's date as typed in the page's language (or ISO from a link); unreadable: none."""
    return dates.parse_or(text)


def _window(request: HttpRequest, unit: Unit) -> Window:
    """The period asked for; by default the year to date (to the unit's last day if it ended).
    `from=` left empty asks for everything since the first record."""
    as_of = _date(request.GET.get("as_of")) or default_as_of(unit, timezone.localdate())
    end = _date(request.GET.get("to")) or as_of
    year_start = end.replace(month=1, day=1)
    start = _date(request.GET.get("from")) if "from" in request.GET else year_start
    if start and start > end:
        start = None
    return Window(start, end, as_of)


def _unit_for(request: HttpRequest, code: str) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    if not can_under(request.user, Activity, "view", unit.path):
        raise PermissionDenied(_("You may not see the figures of this unit."))
    return unit


def _query(window: Window) -> str:
    # An empty `from` keeps "since the first record" when the link is followed.
    start = window.start.isoformat() if window.start else ""
    return f"from={start}&to={window.end.isoformat()}&as_of={window.as_of.isoformat()}"


def _evaluate(
    request: HttpRequest, codes: list[str], unit: Unit, window: Window
) -> dict[str, Figure]:
    try:
        return evaluate_many(codes, unit, window, clearance(request.user))
    except ScopeError as exc:
        raise Http404(str(exc)) from None


@replica_reads
@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for(request, code)
    window = _window(request, unit)
    codes = [c for _label, section in DASHBOARD for c in section]
    figures = _evaluate(request, codes, unit, window)
    # The period against another: the same days of last year unless the user chose one.
    before_window, is_last_year = compare.chosen(
        window, _date(request.GET.get("compare_from")), _date(request.GET.get("compare_to"))
    )
    before = _evaluate(request, codes, unit, before_window) if before_window else {}
    sections = [
        (label, [compare.compare(figures[c], before.get(c), window) for c in section])
        for label, section in DASHBOARD
    ]
    seen = clearance(request.user)
    try:
        charts = [
            trend.by_year(TREND, unit, window, seen),
            trend.by_month(MONTHLY, unit, window, seen),
        ]
    except ScopeError as exc:
        raise Http404(str(exc)) from None
    today = timezone.localdate()
    overdue = overdue_commitments(request.user, today, within=unit)
    expiring = expiring_agreements(request.user, today, within=unit)
    return render(
        request,
        "stats/dashboard.html",
        {
            "unit": unit,
            "window": window,
            "query": _query(window),
            "before_window": before_window,
            "before_query": _query(before_window) if before_window else "",
            "before_label": _before_label(before_window, is_last_year),
            "is_last_year": is_last_year,
            "sections": sections,
            "charts": charts,
            "overdue": overdue[:20],
            "expiring": expiring[:20],
        },
    )


def _before_label(before: Window | None, is_last_year: bool) -> str:
    """What a card's second line is compared with, in a few words."""
    if before is None or before.start is None:
        return ""
    if is_last_year:
        return _("Same period of %(year)s") % {"year": before.end.year}
    return f"{day(before.start)} – {day(before.end)}"


@replica_reads
@login_required
def figure(request: HttpRequest, indicator: str, code: str) -> HttpResponse:
    unit = _unit_for(request, code)
    if indicator not in indicators.registry():
        raise Http404(_("No such indicator."))
    window = _window(request, unit)
    fig = _evaluate(request, [indicator], unit, window)[indicator]
    context: dict[str, Any] = {
        "unit": unit,
        "window": window,
        "query": _query(window),
        "fig": fig,
        "text": figure_text(fig),
    }
    if fig.indicator.rule == "ledger":
        behind = activities_behind(fig, unit, window, clearance(request.user))
        dimension = breakdown.chosen(fig.indicator, request.GET.get("by"))
        groups = breakdown.break_down(fig.indicator, behind, dimension)
        if request.GET.get("export") == "csv":
            return _breakdown_csv(fig, unit, window, dimension, groups)
        only = request.GET.get("only")
        entries = behind if only is None else behind.filter(dimension.only(only))
        visible = restrict(entries, request.user, "view").select_related("home_unit", "counterpart")
        page = Paginator(visible.order_by("-occurred_on", "-id"), 50).get_page(
            request.GET.get("page")
        )
        context |= {
            "page": page,
            "hidden": entries.count() - visible.count(),
            "dimensions": breakdown.offered(fig.indicator),
            "dimension": dimension,
            "groups": groups,
            "only": only,
            "only_label": next((g.label for g in groups if g.value == only), only),
        }
    return render(request, "stats/figure.html", context)


def _breakdown_csv(
    fig: Figure,
    unit: Unit,
    window: Window,
    dimension: breakdown.Dimension,
    groups: list[breakdown.Group],
) -> HttpResponse:
    """The breakdown as a spreadsheet: one row a group, then the returns and the figure, so
    the file adds up on its own."""
    name = fig.indicator.name()
    rows: list[list[Any]] = [[g.label, g.total, g.records] for g in groups]
    rows.append([_("Ledger entries in all"), fig.from_ledger, fig.ledger_records])
    if fig.returns:
        declared = sum((Decimal(r.value) for r in fig.returns), Decimal(0))
        rows.append([_("Declared in aggregate returns (no breakdown)"), declared, ""])
        rows.append([_("Already counted in those returns"), -fig.covered_by_returns, ""])
    rows.append([name, fig.value, ""])
    body = write_csv([str(dimension.label), name, _("Ledger entries")], rows)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = breakdown.filename(fig.indicator, unit, dimension, window.end)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


RAMP = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NOTHING = "#f7f7f7"


def _colour(value: float, top: float) -> str:
    """A sequential blue ramp; the class is the value's share of the largest value."""
    if top <= 0 or value <= 0:
        return NOTHING
    return RAMP[min(len(RAMP) - 1, int(len(RAMP) * value / top))]


def _legend(top: float) -> list[tuple[str, str]]:
    """(colour, the values it stands for) for every class of the ramp, in the page's numbers."""
    rows = [(NOTHING, number(0))]
    if top <= 0:
        return rows
    step = top / len(RAMP)
    places = 0 if top >= 10 * len(RAMP) else 1  # whole numbers once the classes are wide
    for i, colour in enumerate(RAMP):
        low, high = Decimal(str(step * i)), Decimal(str(step * (i + 1)))
        text = f"{number(low, places)} – {number(high, places)}"
        rows.append((colour, f"> {text}" if i == 0 else text))
    return rows


def _points(features: list[dict[str, Any]]) -> list[tuple[float, float]]:
    return [
        tuple(f["geometry"]["coordinates"][:2])
        for f in features
        if f["geometry"].get("type") == "Point"
    ]


def _context_line(line: dict[str, Any]) -> dict[str, Any]:
    """The committed Vietnam–China line, as a thin context line with no link."""
    features = [
        {**feature, "properties": {"colour": "#37474f"}} for feature in line.get("features", [])
    ]
    return {"type": "FeatureCollection", "features": features}


@replica_reads
@login_required
def indicator_map(request: HttpRequest, code: str) -> HttpResponse:
    within = _unit_for(request, code)
    window = _window(request, within)
    codes = list(indicators.registry())
    chosen = request.GET.get("indicator") or "exchanges.all"
    if chosen not in codes:
        raise Http404(_("No such indicator."))
    children = list(Unit.objects.valid_on(window.as_of).filter(parent=within).order_by("code"))
    rows = []
    for child in children:
        fig = _evaluate(request, [chosen], child, window)[chosen]
        rows.append((child, fig, figure_text(fig)))
    top = max((float(f.value or 0) for _c, f, _t in rows), default=0.0)
    features = []
    for child, fig, text in rows:
        if not child.geometry:
            continue
        value = float(fig.value or 0)
        point = child.geometry.get("type") == "Point"
        name = map_context.name_in_page_language(child)
        features.append(
            {
                "type": "Feature",
                "geometry": child.geometry,
                "properties": {
                    "name": f"{name}: {text}",
                    "label": name,
                    "value": value,
                    "url": reverse("stats:figure", args=[chosen, child.code])
                    + "?"
                    + _query(window),
                    "fill": _colour(value, top),
                    "radius": 4 + 16 * math.sqrt(value / top) if point and top else None,
                },
            }
        )
    # The largest values first: where names would cover each other on the map, theirs stay.
    features.sort(key=lambda f: -float(f["properties"]["value"]))
    # Context without tiles: the line, and each side named beside it (map_context.sides).
    line = boundary()
    coordinates = line["features"][0]["geometry"]["coordinates"]
    near = [c for c in children if c.geometry] + map_context.units_near(
        map_context.bbox_of(_points(features), margin=0.6) if features else (0.0, 0.0, 0.0, 0.0),
        window.as_of,
        map_context.SIDE_KINDS,
    )
    return render(
        request,
        "stats/map.html",
        {
            "context_layers": [_context_line(line)],
            "sides": map_context.sides(near, coordinates),
            "legend": _legend(top),
            "unit": within,
            "window": window,
            "query": _query(window),
            "chosen": indicators.get(chosen),
            "indicators": indicators.registry().values(),
            "rows": rows,
            "geojson": {"type": "FeatureCollection", "features": features},
        },
    )


@login_required
def border_figures(request: HttpRequest) -> HttpResponse:
    """Border figures for a unit and period (/border/indicators/): trade turnover by gate and
    period, acknowledgement times of early warnings (stats/rules_border.py)."""
    today = timezone.localdate()
    code = request.GET.get("unit") or "VN-P02"
    unit = restrict(Unit.objects.all(), request.user, "view").filter(code=code).first()
    if unit is None:
        raise Http404(_("No such unit."))
    end = dates.parse_or(request.GET.get("to"), today)
    start = dates.parse_or(request.GET.get("from"), None)
    as_of = dates.parse_or(request.GET.get("as_of"), min(end, unit.valid_to or end))
    currency = (request.GET.get("in") or "USD").upper()
    if currency not in ISO_4217:
        currency = "USD"
    by = "year" if request.GET.get("by") == "year" else "month"
    window = Window(start, end, as_of)
    try:
        turnover = rules_border.evaluate_turnover(unit, window, currency, by)
        acks = rules_border.acknowledge_times(unit, window)
    except ScopeError as error:
        messages.error(request, str(error))
        turnover, acks = None, None
    return render(
        request,
        "stats/border_figures.html",
        {
            "unit": unit,
            "window": window,
            "currency": currency,
            "by": by,
            "turnover": turnover,
            "acks": acks,
            "can_see_figures": can_at_all(request.user, Marker, "view"),
        },
    )


@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    """Coverage "X/Y" of each rule under a unit on a day (/cooperation/coverage/)."""
    day = dates.parse_or(request.GET.get("on", ""), timezone.localdate())
    code = request.GET.get("unit", "VN-P02")
    within = restrict(
        Unit.objects.filter(code=code), request.user, "view"
    ).first() or Unit.objects.get(code="VN")
    results = [coverage.evaluate(rule, within, day) for rule in coverage.RULES]
    return render(
        request, "stats/coverage.html", {"day": day, "within": within, "results": results}
    )
