"""Border pages: the map, the line's lengths, overdue inspections, CAP export and import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderlink.border import cap, geo, layers, overdue
from borderlink.border.models import Alert, BorderSection, Marker
from borderlink.core import form_style
from borderlink.core.db_router import replica_reads
from borderlink.core.permissions import can, can_at_all, can_under, restrict
from borderlink.places import map_context
from borderlink.places.models import Unit
from borderlink.registers.fields import CodeChoiceField
from borderlink.registers.forms import form_class
from borderlink.registers.spec import get_register


@replica_reads
@login_required
def border_map(request: HttpRequest) -> HttpResponse:
    today, now = timezone.localdate(), timezone.now()
    markers, unplaced_markers = layers.marker_layer(request.user, today)
    stations, unplaced_stations = layers.station_layer(request.user)
    map_layers = [
        {"id": "line", "name": _("Border line"), "data": layers.line_layer(), "on": True},
        {
            "id": "sections",
            "name": _("Sections"),
            "data": layers.section_layer(request.user),
            "on": True,
        },
        {"id": "markers", "name": _("Markers"), "data": markers, "on": True, "cluster": True},
        {
            "id": "gates",
            "name": _("Gates and their pairs"),
            "data": layers.gate_layer(request.user),
            "on": True,
        },
        {"id": "stations", "name": _("Border-guard stations"), "data": stations, "on": True},
        {
            "id": "incidents",
            "name": _("Open incidents"),
            "data": layers.incident_layer(request.user),
            "on": True,
        },
        {
            "id": "alerts",
            "name": _("Active alerts"),
            "data": layers.alert_layer(request.user, now),
            "on": True,
        },
    ]
    # Context without tiles: the names of the provinces and prefectures around the line in the
    # page's language, and each side of the line named where its own units lie.
    line = geo.boundary_geometry()["coordinates"]
    box = map_context.bbox_of(line, margin=0.5)
    around = map_context.units_near(box, today, map_context.ORIENTING_KINDS)
    near_line = map_context.units_near(box, today, map_context.SIDE_KINDS)
    return render(
        request,
        "border/map.html",
        {
            "map_layers": map_layers,
            "context_layers": [map_context.place_labels(around)],
            "sides": map_context.sides(near_line, line),
            "unplaced_markers": unplaced_markers,
            "unplaced_stations": unplaced_stations,
            "registered_markers": restrict(Marker.objects.all(), request.user, "view").count(),
            "declared_markers": overdue.declared_count(request.user, "border_markers"),
            "condition_colours": [
                (label, layers.CONDITION_COLOURS[value])
                for value, label in Marker._meta.get_field("condition").flatchoices
            ],
        },
    )


@login_required
def lengths(request: HttpRequest) -> HttpResponse:
    visible = list(
        restrict(BorderSection.objects.select_related("source", "part_of"), request.user, "view")
    )
    # The line a visible section is part of is shown too (read only): a section's length
    # means little without the whole it belongs to.
    shown = {s.pk: s for s in visible}
    openable = set(shown)
    pending = [s.part_of_id for s in visible if s.part_of_id]
    while pending:
        parent = BorderSection.objects.select_related("source").filter(pk=pending.pop()).first()
        if parent is not None and parent.pk not in shown:
            shown[parent.pk] = parent
            if parent.part_of_id:
                pending.append(parent.part_of_id)
    rows = [(s, s.pk in openable) for s in sorted(shown.values(), key=lambda s: s.code)]
    return render(request, "border/lengths.html", {"rows": rows})


@login_required
def overdue_view(request: HttpRequest) -> HttpResponse:
    if not can_at_all(request.user, Marker, "view"):
        raise PermissionDenied(_("You may not see this register."))
    try:
        days = int(request.GET.get("days") or overdue.interval_days())
    except ValueError:
        days = overdue.interval_days()
    days = max(1, min(days, 3650))
    today = timezone.localdate()
    stations, count = overdue.overdue(request.user, today, days)
    return render(
        request,
        "border/overdue.html",
        {"stations": stations, "count": count, "days": days, "today": today},
    )


@login_required
def alert_cap(request: HttpRequest, pk: int) -> HttpResponse:
    alert = restrict(Alert.objects.all(), request.user, "export").filter(pk=pk).first()
    if alert is None:
        raise Http404(_("No such record, or not yours to see."))
    response = HttpResponse(cap.to_xml(alert), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cap-{alert.pk}.xml"'
    return response


class CapImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CAP 1.2 file (XML)"))
    # Picked as an alert's units are (registers/pickers.py): the box still takes a code.
    home_unit = CodeChoiceField(
        Unit.objects.all(),
        picker=("alerts", "home_unit"),
        label=gettext_lazy("responsible unit"),
        help_text=gettext_lazy("The unit on our side that received it"),
    )
    counterpart = CodeChoiceField(
        Unit.objects.all(),
        picker=("alerts", "counterpart"),
        label=gettext_lazy("counterpart"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_style.style(self)


def _acknowledge(request: HttpRequest, parsed: cap.Parsed) -> Alert | None:
    """An Ack names our alert in <references>: record when it was acknowledged."""
    for sender, identifier, _sent in parsed.references:
        alert = (
            restrict(Alert.objects.all(), request.user, "change")
            .filter(identifier=identifier, sender=sender)
            .first()
        )
        if alert is not None:
            acknowledged = cap.parse_time(parsed.data["issued_at"])
            if acknowledged < alert.issued_at:
                raise cap.CapError(_("The acknowledgement is dated before the alert."))
            alert.acknowledged_at = acknowledged
            alert.save(update_fields=["acknowledged_at", "updated_at"])
            return alert
    raise cap.CapError(_("The acknowledgement refers to no alert of ours."))


@login_required
def cap_import(request: HttpRequest) -> HttpResponse:
    if not can_at_all(request.user, Alert, "add"):
        raise PermissionDenied(_("You may not add records here."))
    form = CapImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = cap.read(upload.read())
            with transaction.atomic():
                if parsed.msg_type == "Ack":
                    alert = _acknowledge(request, parsed)
                else:
                    alert = _create_received(request, form, parsed)
        except cap.CapError as error:
            errors.append(str(error))
        else:
            if alert is not None:
                messages.success(request, _("Saved."))
                return redirect("registers:detail", slug="alerts", pk=alert.pk)
    return render(request, "border/cap_import.html", {"form": form, "errors": errors})


def _create_received(request: HttpRequest, form: CapImportForm, parsed: cap.Parsed) -> Alert:
    spec = get_register("alerts")
    home = form.cleaned_data["home_unit"]
    if not can_under(request.user, Alert, "add", home.path):
        raise cap.CapError(_("You may not record this for %(unit)s.") % {"unit": home})
    data = dict(parsed.data)
    counterpart = form.cleaned_data.get("counterpart")
    data.update(
        {
            "direction": "received",
            "home_unit": home.code,
            "counterpart": counterpart.code if counterpart else "",
            "received_at": timezone.now().isoformat(),
        }
    )
    record_form = form_class(spec)(data=data)
    if not record_form.is_valid():
        raise cap.CapError(
            "; ".join(
                f"{name}: {' '.join(str(m) for m in messages_)}"
                for name, messages_ in record_form.errors.items()
            )
        )
    alert: Alert = record_form.save()
    if not can(request.user, "view", alert):
        raise cap.CapError(_("You may not record this for %(unit)s.") % {"unit": home})
    return alert
