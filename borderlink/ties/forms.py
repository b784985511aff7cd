"""Cross-field checks of the cooperation registers, in the user's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from borderlink.places.models import Unit
from borderlink.places.validity import check_valid_on
from borderlink.registers.forms import RegisterForm


def check_two_sides(
    form: RegisterForm, home: Unit | None, ours_field: str, theirs_field: str
) -> None:
    """Our side in the home unit's country, their side in another one, never mixed."""
    ours: Iterable[Unit] = form.cleaned_data.get(ours_field) or []
    theirs: Iterable[Unit] = form.cleaned_data.get(theirs_field) or []
    country = home.country if home else None
    for unit in ours:
        if country and unit.country != country:
            form.add_error(
                ours_field,
                ValidationError(_("%(unit)s is not on our side of the border.") % {"unit": unit}),
            )
    for unit in theirs:
        if country and unit.country == country:
            form.add_error(
                theirs_field,
                ValidationError(
                    _(
                        "%(unit)s is in the same country as our side; "
                        "a tie joins the two sides of the border."
                    )
                    % {"unit": unit}
                ),
            )


class PartnershipForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_two_sides(self, data.get("home_unit"), "our_units", "their_units")
        check_valid_on(self, "our_units", data.get("started_on"))
        check_valid_on(self, "their_units", data.get("started_on"))
        return data


# The lifecycle of an agreement: which status may follow which.
AGREEMENT_STEPS = {
    "draft": {"draft", "signed", "in_force", "terminated"},
    "signed": {"signed", "in_force", "terminated", "expired"},
    "in_force": {"in_force", "expired", "renewed", "terminated"},
    "expired": {"expired", "renewed"},
    "renewed": {"renewed"},
    "terminated": {"terminated"},
}


class AgreementForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        before = self.instance.status if self.instance.pk else None
        after = data.get("status")
        if before and after and after not in AGREEMENT_STEPS.get(before, {after}):
            self.add_error(
                "status",
                _("An agreement cannot go from “%(before)s” to “%(after)s”.")
                % {
                    "before": self.instance.get_status_display(),
                    "after": dict(self.fields["status"].choices).get(after, after),  # type: ignore[attr-defined]
                },
            )
        check_two_sides(self, data.get("home_unit"), "our_parties", "their_parties")
        signed, expires = data.get("signed_on"), data.get("expires_on")
        if signed and expires and expires < signed:
            self.add_error("expires_on", _("The expiry date is before the signature date."))
        in_force = data.get("in_force_from")
        if signed and in_force and in_force < signed:
            self.add_error(
                "in_force_from", _("An agreement cannot come into force before it is signed.")
            )
        status = data.get("status")
        if status in ("signed", "in_force", "expired", "renewed") and not signed:
            self.add_error("signed_on", _("A signed agreement needs its date of signature."))
        return data


class MechanismForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_two_sides(self, data.get("home_unit"), "our_members", "their_members")
        return data
