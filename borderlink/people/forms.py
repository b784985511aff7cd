"""Cross-field checks of the people registers (the one form per register builds on these)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderlink.ledger.models import ActivityKind
from borderlink.people.choices import LabourStatus
from borderlink.registers.forms import RegisterForm
from borderlink.ties.models import Agreement


def _not_in_future(form: RegisterForm, name: str) -> None:
    day = form.cleaned_data.get(name)
    if day and day > timezone.localdate():
        form.add_error(name, _("This date is in the future."))


class LabourForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agreement = data.get("agreement")
        if agreement is not None and agreement.domain != Agreement.Domain.LABOUR:
            self.add_error("agreement", _("Choose a labour-management agreement."))
        commune = data.get("home_commune")
        workplace = data.get("workplace")
        if commune and workplace and commune.country == workplace.country:
            self.add_error("workplace", _("The place of work is on the other side of the border."))
        for name in ("birth_date", "departed_on", "returned_on"):
            if name in self.fields:
                _not_in_future(self, name)
        status = data.get("status")
        if status == LabourStatus.RETURNED and not data.get("returned_on"):
            self.add_error("returned_on", _("A returned worker needs the date of return."))
        if status in (LabourStatus.WORKING, LabourStatus.RETURNED) and not data.get("departed_on"):
            self.add_error("departed_on", _("Give the date the worker left."))
        if data.get("resolution") and not (data.get("problem_kind") or data.get("problems")):
            self.add_error("resolution", _("A resolution answers a reported problem."))
        return data


class ScholarshipForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        counterpart, home = data.get("counterpart"), data.get("home_unit")
        if counterpart and home and counterpart.country == home.country:
            self.add_error("counterpart", _("The counterpart is on the other side of the border."))
        if "birth_date" in self.fields:
            _not_in_future(self, "birth_date")
        return data


class HandoverPersonForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        handover = data.get("handover")
        if handover is not None and handover.kind != ActivityKind.HANDOVER:
            self.add_error("handover", _("Choose a hand-over of citizens."))
        elif handover is not None and handover.persons:
            # The ledger's head count is the public figure: identities cannot outnumber it.
            recorded = handover.persons_handed_over.exclude(pk=self.instance.pk).count()
            if recorded >= handover.persons:
                self.add_error(
                    "handover",
                    _("This hand-over counts %(n)s persons and all of them are recorded.")
                    % {"n": handover.persons},
                )
        if "birth_date" in self.fields:
            _not_in_future(self, "birth_date")
        return data
