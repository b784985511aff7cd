from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from borderlink.core import dates
from borderlink.core.history import history_of
from borderlink.core.permissions import can, can_under, restrict
from borderlink.places.choices import Country, UnitKind
from borderlink.places.forms import UnitForm
from borderlink.places.lineage import children_on, holders_on, made_of, went_to
from borderlink.places.models import Unit
from borderlink.places.panels import panels_for
from borderlink.places.search import search_units


def _day(request: HttpRequest) -> datetime.date:
    raw = request.GET.get("on", "")
    try:
        return dates.parse(raw) or timezone.localdate()
    except dates.DateError:
        messages.warning(request, _("“%(value)s” is not a date; showing today.") % {"value": raw})
        return timezone.localdate()


def _visible(request: HttpRequest, code: str) -> Unit:
    unit = (
        restrict(Unit.objects.select_related("parent", "source"), request.user, "view")
        .filter(code=code)
        .first()
    )
    if unit is None:
        raise Http404(_("No such unit, or not yours to see."))
    return unit


@login_required
def browse(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    country = request.GET.get("country", "VN")
    roots = restrict(Unit.objects.filter(code=country), request.user, "view")
    root = roots.first()
    children = children_on(root, day) if root else []
    visible = set(
        restrict(
            Unit.objects.filter(pk__in=[c.pk for c in children]), request.user, "view"
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "places/browse.html",
        {
            "day": day,
            "country": country,
            "countries": Country.choices,
            "root": root,
            "children": [c for c in children if c.pk in visible],
        },
    )


@login_required
def children(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible(request, code)
    day = _day(request)
    kids = children_on(unit, day)
    visible = set(
        restrict(
            Unit.objects.filter(pk__in=[c.pk for c in kids]), request.user, "view"
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "places/_children.html",
        {"children": [c for c in kids if c.pk in visible], "day": day},
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind") or None
    country = request.GET.get("country") or None
    on = None
    if request.GET.get("on"):
        on = _day(request)
    results: list[Unit] = []
    if query:
        results = search_units(
            query,
            kind=kind,
            on=on,
            country=country,
            limit=500,
            queryset=restrict(Unit.objects.all(), request.user, "view"),
        )
    page = Paginator(results, 25).get_page(request.GET.get("page"))
    chains = {u.pk: u.ancestors() for u in page.object_list}
    return render(
        request,
        "places/search.html",
        {
            "query": query,
            "page": page,
            "chains": chains,
            "kinds": UnitKind.choices,
            "kind": kind or "",
            "country": country or "",
            "countries": Country.choices,
            "on": request.GET.get("on", ""),
            "today": timezone.localdate(),
        },
    )


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible(request, code)
    today = timezone.localdate()
    kids = list(unit.children.order_by("kind", "code")[:300])
    features = [
        {
            "type": "Feature",
            "geometry": u.geometry,
            "properties": {
                "code": u.code,
                "name": u.display_name(get_language() or "vi")[0],
                "url": reverse("places:detail", args=[u.code]),
                "main": u.pk == unit.pk,
            },
        }
        for u in [unit, *kids]
        if u.geometry
    ]
    return render(
        request,
        "places/detail.html",
        {
            "unit": unit,
            "chain": unit.ancestors(),
            "made_of": made_of(unit),
            "went_to": went_to(unit),
            "held_by": holders_on(unit, today),
            "today": today,
            "children": kids,
            "aliases": unit.aliases.select_related("source"),
            "history": history_of(unit)[:50],
            "map_data": {"type": "FeatureCollection", "features": features},
            "can_edit": can(request.user, "change", unit),
            "can_add_child": can_under(request.user, Unit, "add", unit.path),
            "panels": panels_for(unit, request.user, today),
        },
    )


@login_required
def edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    if code is not None:
        unit = _visible(request, code)
        if not can(request.user, "change", unit):
            raise PermissionDenied(_("You may not change this unit."))
    else:
        unit = Unit()
    initial = {"parent": request.GET.get("parent")} if code is None else {}
    form = UnitForm(request.POST or None, instance=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        parent = form.cleaned_data.get("parent")
        if not can_under(
            request.user, Unit, "add" if code is None else "change", parent.path if parent else "/"
        ):
            form.add_error("parent", _("You may not place units there."))
        else:
            saved = form.save()
            messages.success(request, _("Saved."))
            return redirect("places:detail", code=saved.code)
    return render(request, "places/edit.html", {"form": form, "unit": unit if code else None})
