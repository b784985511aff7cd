"""Cross-border labour (DOMAIN part 11): a worker's registration under an agreement."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from borderlink.core.fields import optional_link
from borderlink.people.choices import LABOUR_CLOSED, LabourStatus, ProblemKind
from borderlink.people.models.base import IDENTITY_FIELDS, CountedInLedger, Identity
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped
from borderlink.ties.models import Agreement

if TYPE_CHECKING:
    from borderlink.people.ledger_link import Link


class LabourRegistration(CountedInLedger, Identity, HomeScoped):
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("labour agreement"),
        on_delete=models.PROTECT,
        related_name="labour_registrations",
    )
    home_commune = models.ForeignKey(
        Unit,
        verbose_name=_("home commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer = models.CharField(_("employer"), max_length=300, blank=True)
    workplace = optional_link(
        Unit, _("place of work"), help_text=_("The unit on the other side where the worker works")
    )
    contract_from = models.DateField(_("contract from"), null=True, blank=True)
    contract_to = models.DateField(_("contract to"), null=True, blank=True)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LabourStatus.choices, default=LabourStatus.REGISTERED
    )
    problem_kind = models.CharField(
        _("problem reported"), max_length=10, choices=ProblemKind.choices, blank=True
    )
    problems = models.TextField(
        _("problem details"),
        blank=True,
        help_text=_("Personal data: shown only to labour officers"),
    )
    resolution = models.TextField(_("how it was resolved"), blank=True)

    extra_personal_fields: ClassVar[list[str]] = ["problems", "resolution"]
    history_masked_fields: ClassVar[frozenset[str]] = frozenset(
        [*IDENTITY_FIELDS, "problems", "resolution"]
    )

    class Meta:
        verbose_name = _("labour registration")
        verbose_name_plural = _("labour registrations")
        ordering = ["-departed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_to__isnull=True)
                | Q(contract_from__isnull=True)
                | Q(contract_to__gte=F("contract_from")),
                name="labour_contract_in_order",
                violation_error_message=_("A contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True)
                | Q(departed_on__isnull=True)
                | Q(returned_on__gte=F("departed_on")),
                name="labour_return_after_departure",
                violation_error_message=_("A worker cannot return before leaving."),
            ),
        ]

    @classmethod
    def ledger_link(cls) -> Link[Any]:
        from borderlink.people.ledger_link import LABOUR

        return LABOUR

    def __str__(self) -> str:
        # No name, no ID number: this string reaches logs, history and links.
        return str(_("Labour registration no. %(pk)s") % {"pk": self.pk or "—"})

    @property
    def closed(self) -> bool:
        return self.status in LABOUR_CLOSED

    def closed_since(self) -> datetime.date | None:
        """The day the registration ended, for retention (None while it is open)."""
        if not self.closed:
            return None
        return self.returned_on or self.contract_to or self.updated_at.date()


class LabourDispatch(models.Model):
    """The ledger entry (kind "labour dispatch", persons = workers) that stands for the
    registrations of one responsible unit under one agreement that left in one month. Kept in
    step by people/ledger_link.py, so labour.workers_sent counts registrations — never a name."""

    home_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    activity = models.OneToOneField(
        "ledger.Activity", on_delete=models.CASCADE, related_name="labour_dispatch"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["home_unit", "agreement", "month"], name="labour_dispatch_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} · {self.month:%m/%Y}"
