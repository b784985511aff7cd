"""Cross-field checks of the economic cooperation registers, in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from borderlink.places.choices import UnitKind
from borderlink.places.validity import check_valid_on
from borderlink.registers.forms import RegisterForm


class EnterpriseForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit = data.get("unit")
        if unit is not None and unit.kind != UnitKind.ENTERPRISE:
            self.add_error(
                "unit",
                _("%(unit)s is not an enterprise in the gazetteer (kind: %(kind)s).")
                % {"unit": unit, "kind": unit.get_kind_display()},
            )
        return data


class ProjectForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        home, location = data.get("home_unit"), data.get("location")
        enterprises = data.get("enterprises") or []
        if home and enterprises and all(e.unit.country == home.country for e in enterprises):
            self.add_error(
                "enterprises",
                _("A cross-border project has at least one enterprise from the other side."),
            )
        if home and location and location.country != home.country:
            self.add_error("location", _("The project's location is on our side."))
        check_valid_on(self, "location", data.get("licensed_on") or data.get("registered_on"))
        has_capital = (
            data.get("registered_capital") is not None or data.get("disbursed_capital") is not None
        )
        if has_capital and not data.get("currency"):
            self.add_error("currency", _("Capital needs its currency."))
        if data.get("registered_capital") is not None and not data.get("registered_on"):
            self.add_error("registered_on", _("Give the date of the registered capital."))
        if data.get("disbursed_capital") is not None and not data.get("disbursed_as_of"):
            self.add_error("disbursed_as_of", _("Give the date the disbursed capital is as of."))
        registered, disbursed = data.get("registered_capital"), data.get("disbursed_capital")
        if registered is not None and disbursed is not None and disbursed > registered:
            self.add_error("disbursed_capital", _("More capital is disbursed than is registered."))
        if data.get("licence_number") and not data.get("licensed_on"):
            self.add_error("licensed_on", _("Give the date of the licence."))
        if data.get("status") in ("licensed", "building", "operating") and not data.get(
            "licence_number"
        ):
            self.add_error("licence_number", _("A licensed project has its licence number."))
        return data


class IssueForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raised, resolved = data.get("raised_on"), data.get("resolved_on")
        if raised and resolved and resolved < raised:
            self.add_error("resolved_on", _("A problem cannot be resolved before it is raised."))
        if data.get("status") == "resolved":
            if not resolved:
                self.add_error("resolved_on", _("Give the date it was resolved."))
            if not (data.get("resolution") or "").strip():
                self.add_error("resolution", _("Say how it was resolved."))
        elif resolved:
            self.add_error("status", _("A problem with a resolution date is resolved."))
        return data


class ElectricityForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        check_valid_on(self, "home_unit", end)
        check_valid_on(self, "counterpart", end)
        home, other = data.get("home_unit"), data.get("counterpart")
        if home and other and home.country == other.country:
            self.add_error(
                "counterpart", _("The counterpart must be on the other side of the border.")
            )
        if start and end and end < start:
            self.add_error("period_to", _("A period cannot end before it starts."))
        if data.get("value") is not None and not data.get("currency"):
            self.add_error("currency", _("A value needs its currency."))
        return data
