"""Cross-field checks of the border registers, in the user's language."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.border.choices import (
    PERSON_MEASURES,
    PERSONS_UNIT,
    VALUE_MEASURES,
    VEHICLE_MEASURES,
    VEHICLES_UNIT,
    AlertDirection,
)
from borderlink.border.models.gates import is_month
from borderlink.core.money import ISO_4217
from borderlink.places import scope
from borderlink.places.validity import check_valid_on
from borderlink.registers.forms import RegisterForm


def check_other_side(form: RegisterForm, home_field: str, other_field: str) -> None:
    home, other = form.cleaned_data.get(home_field), form.cleaned_data.get(other_field)
    if home and other and home.country == other.country:
        form.add_error(other_field, _("The counterpart must be on the other side of the border."))


def check_position(form: RegisterForm) -> None:
    """Both coordinates with a known accuracy, or none with “unknown”: no made-up points."""
    data = form.cleaned_data
    lat, lon, accuracy = data.get("latitude"), data.get("longitude"), data.get("accuracy")
    if (lat is None) != (lon is None):
        form.add_error(
            "longitude" if lon is None else "latitude",
            _("Give both latitude and longitude, or neither."),
        )
    elif lat is not None and accuracy == "unknown":
        form.add_error("accuracy", _("Say how accurate the coordinates are."))
    elif lat is None and accuracy in ("surveyed", "approximate"):
        form.add_error("accuracy", _("A position that is not recorded has the accuracy “unknown”."))


def check_not_future(form: RegisterForm, field: str) -> None:
    day = form.cleaned_data.get(field)
    if day is None:
        return
    today = timezone.localdate()
    value = day.date() if isinstance(day, datetime.datetime) else day
    if value > today:
        form.add_error(
            field,
            _("%(date)s is in the future; record what has happened.")
            % {"date": value.strftime("%d/%m/%Y")},
        )


class SectionForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        part_of = data.get("part_of")
        if part_of is not None and self.instance.pk and part_of.pk == self.instance.pk:
            self.add_error("part_of", _("A section cannot be part of itself."))
        return data


class AssignmentForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("An assignment cannot end before it begins."))
        day = start or end
        for field in ("home_unit", "commune", "station"):
            check_valid_on(self, field, day)
        station = data.get("station")
        if station is not None and station.kind != "border_station":
            self.add_error(
                "station", _("%(unit)s is not a border-guard station.") % {"unit": station}
            )
        commune = data.get("commune")
        if commune is not None and commune.kind != "commune":
            self.add_error("commune", _("%(unit)s is not a commune.") % {"unit": commune})
        section = data.get("section")
        if section is not None and not self.errors:
            probe = self.instance
            probe.section, probe.valid_from, probe.valid_to = section, start, end
            clash = probe.overlapping().first()
            if clash is not None:
                self.add_error(
                    None,
                    _("The section is already assigned for part of this period: %(other)s.")
                    % {"other": clash},
                )
        return data


class MarkerForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_position(self)
        commune = data.get("commune")
        if commune is not None and commune.kind != "commune":
            self.add_error("commune", _("%(unit)s is not a commune.") % {"unit": commune})
        return data


class InspectionForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_not_future(self, "inspected_on")
        check_valid_on(self, "home_unit", data.get("inspected_on"))
        check_other_side(self, "home_unit", "counterpart")
        if data.get("joint") and not data.get("counterpart"):
            self.add_error("counterpart", _("A joint inspection names the unit of the other side."))
        return data


class MarkerCheckForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        inspection, marker = data.get("inspection"), data.get("marker")
        if (
            inspection is not None
            and marker is not None
            and not marker.home_unit.path.startswith(inspection.home_unit.path)
            and not inspection.home_unit.path.startswith(marker.home_unit.path)
            # A station carried over in a reform inspects the markers its predecessor kept.
            and not scope.resolve(inspection.home_unit, inspection.inspected_on).contains_path(
                marker.home_unit.path
            )
        ):
            self.add_error(
                "marker",
                _("%(marker)s is in the care of %(unit)s, not of the inspecting unit.")
                % {"marker": marker, "unit": marker.home_unit},
            )
        return data


class GateForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_position(self)
        unit, other = data.get("unit"), data.get("counterpart")
        if unit is not None and unit.kind not in ("border_gate", "crossing"):
            self.add_error(
                "unit", _("%(unit)s is not a border gate or crossing way.") % {"unit": unit}
            )
        if other is not None and unit is not None:
            if other.unit_id == unit.pk:
                self.add_error("counterpart", _("A gate cannot be its own counterpart."))
            elif other.unit.country == unit.country:
                self.add_error(
                    "counterpart",
                    _(
                        "%(other)s is on the same side of the border as %(gate)s; "
                        "a gate pairs with a gate of the other side."
                    )
                    % {"other": other, "gate": unit},
                )
        return data


class GateProjectForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decided, completed = data.get("decided_on"), data.get("completed_on")
        if decided and completed and completed < decided:
            self.add_error("completed_on", _("A project cannot be completed before it is decided."))
        if data.get("status") == "completed" and not completed:
            self.add_error("completed_on", _("A completed project needs its completion date."))
        return data


class GateFigureForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end:
            if end < start:
                self.add_error("period_to", _("A period cannot end before it starts."))
            elif start != end and not is_month(start, end):
                self.add_error(
                    "period_to",
                    _("A gate figure is for one day or one whole calendar month."),
                )
            check_not_future(self, "period_to")
        measure = data.get("measure")
        unit = (data.get("unit_of_measure") or "").strip()
        if measure in PERSON_MEASURES:
            expected = PERSONS_UNIT
        elif measure in VEHICLE_MEASURES:
            expected = VEHICLES_UNIT
        else:
            expected = ""
        if measure in VALUE_MEASURES:
            if unit.upper() not in ISO_4217:
                self.add_error(
                    "unit_of_measure",
                    _(
                        "“%(unit)s” is not a currency: a value is given in an ISO 4217 "
                        "currency such as VND, CNY or USD."
                    )
                    % {"unit": unit},
                )
            else:
                data["unit_of_measure"] = unit.upper()
        elif expected and unit.lower() != expected:
            self.add_error(
                "unit_of_measure",
                _("“%(unit)s” is the wrong unit of measure for %(measure)s: use “%(expected)s”.")
                % {
                    "unit": unit,
                    "measure": dict(self.fields["measure"].choices).get(measure, measure),  # type: ignore[attr-defined]
                    "expected": expected,
                },
            )
        elif expected:
            data["unit_of_measure"] = expected
        if data.get("nationality") and measure not in PERSON_MEASURES:
            self.add_error("nationality", _("A nationality is given for persons only."))
        gate, home = data.get("gate"), data.get("home_unit")
        if (
            gate is not None
            and home is not None
            and not gate.home_unit.path.startswith(home.path)
            and not home.path.startswith(gate.home_unit.path)
        ):
            self.add_error(
                "home_unit",
                _("%(gate)s is kept by %(unit)s.") % {"gate": gate, "unit": gate.home_unit},
            )
        return data


class IncidentForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_not_future(self, "occurred_on")
        check_other_side(self, "home_unit", "counterpart")
        occurred, resolved = data.get("occurred_on"), data.get("resolved_on")
        if occurred and resolved and resolved < occurred:
            self.add_error("resolved_on", _("An incident cannot be resolved before it occurred."))
        if data.get("status") == "resolved" and not resolved:
            self.add_error("resolved_on", _("A resolved incident needs its date of resolution."))
        notified = data.get("counterpart_notified_on")
        if notified and not data.get("counterpart"):
            self.add_error("counterpart", _("Name the unit of the other side that was notified."))
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        if data.get("public_cleared") and data.get("sensitivity") not in (0, "0"):
            self.add_error(
                "public_cleared", _("Only a public incident can be cleared for the public site.")
            )
        for activity in data.get("handovers") or []:
            if activity.kind != "handover":
                self.add_error(
                    "handovers",
                    _("%(activity)s is not a hand-over of citizens.") % {"activity": activity},
                )
        return data


class IncidentStepForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        incident, day = data.get("incident"), data.get("taken_on")
        if incident is not None and day is not None and day < incident.occurred_on:
            self.add_error("taken_on", _("A step cannot come before the incident."))
        check_not_future(self, "taken_on")
        return data


class AlertForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_other_side(self, "home_unit", "counterpart")
        issued = data.get("issued_at")
        for field in ("received_at", "acknowledged_at"):
            value = data.get(field)
            if issued and value and value < issued:
                self.add_error(field, _("This cannot be before the alert was issued."))
        if data.get("direction") == AlertDirection.RECEIVED and not data.get("received_at"):
            self.add_error("received_at", _("A received alert needs the time it was received."))
        if not any(data.get(f"headline_{lang}") for lang in ("vi", "en", "zh")):
            self.add_error("headline_vi", _("Give a headline in at least one language."))
        polygon = (data.get("polygon") or "").strip()
        if polygon:
            from borderlink.border.cap import parse_polygon

            try:
                parse_polygon(polygon)
            except ValueError as error:
                self.add_error("polygon", str(error))
        return data
