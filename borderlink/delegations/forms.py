"""Cross-field checks of the delegation registers, in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.delegations.choices import MemberRole, Way
from borderlink.delegations.models import DelegationMember
from borderlink.places.validity import check_valid_on
from borderlink.registers.forms import RegisterForm


class DelegationForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        check_valid_on(self, "home_unit", start)
        check_valid_on(self, "counterpart", start)
        home, partner = data.get("home_unit"), data.get("counterpart")
        if home and partner and home.country == partner.country:
            self.add_error("counterpart", _("The partner must be on the other side of the border."))
        if start and end and end < start:
            self.add_error("ends_on", _("A delegation cannot return before it leaves."))
        if data.get("budget") is not None and not data.get("budget_currency"):
            self.add_error("budget_currency", _("A budget needs its currency."))
        # An outgoing delegation is hosted on the other side; an incoming one by us.
        if home:
            ours_host = data.get("way") == Way.INCOMING
            for field, ours in (("host_units", ours_host), ("guest_units", not ours_host)):
                for unit in data.get(field) or []:
                    if (unit.country == home.country) != ours:
                        self.add_error(
                            field,
                            _("%(unit)s is on the wrong side for this direction.") % {"unit": unit},
                        )
        for field in ("partnership", "agreement", "mechanism"):
            tie = data.get(field)
            if tie is not None and home and tie.home_unit.country != home.country:
                self.add_error(field, _("This tie is kept by the other side."))
        return data


class MemberForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        delegation = data.get("delegation")
        if data.get("document_number") and not data.get("document_kind"):
            self.add_error("document_kind", _("Say which travel document the number is of."))
        expires = data.get("document_expires_on")
        if delegation and expires and expires < delegation.ends_on:
            self.add_error(
                "document_expires_on",
                _("The document expires before the delegation returns (%(date)s).")
                % {"date": delegation.ends_on.strftime("%d/%m/%Y")},
            )
        if delegation and data.get("role") == MemberRole.HEAD:
            others = DelegationMember.objects.filter(delegation=delegation, role=MemberRole.HEAD)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("role", _("This delegation already has a head."))
        return data


class ApprovalForm(RegisterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("given_on")
        if given and given > timezone.localdate():
            self.add_error("given_on", _("An approval cannot be given in the future."))
        if given and not data.get("given_by"):
            self.add_error("given_by", _("Say who gave the approval."))
        return data
