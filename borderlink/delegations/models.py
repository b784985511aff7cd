"""Delegations sent and received: who goes where, why, with whose approval, and what came of it.

A delegation moves proposed → approved → under way → reported (workflow.py); every move is a
`DelegationStep`, every edit a ChangeRecord. From "under way" on it is in the ledger: one
`ledger.Activity` of kind "delegation" kept in step with it (ledger_link.py), so its figures
reach the indicators and its commitments hang on that activity.

Members are people: their names and travel-document numbers are personal data. They live in
their own register (the gate decides who may read it), are masked in the change history, and
never appear in a record's title, the ledger, the calendar or a log.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.core.choices import Diplomacy, Sensitivity
from borderlink.core.fields import optional_link
from borderlink.core.models import TrackedModel
from borderlink.core.money import validate_currency
from borderlink.core.workflow import WorkflowStep, state_field
from borderlink.delegations.choices import (
    DocumentKind,
    DocumentsStatus,
    Level,
    MemberRole,
    Status,
    Way,
)
from borderlink.ledger.models import Activity, Channel
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped
from borderlink.ties.models import Agreement, Mechanism, Partnership

__all__ = [
    "CalendarFeed",
    "Delegation",
    "DelegationApproval",
    "DelegationMember",
    "DelegationStep",
]


class Delegation(HomeScoped):
    title = models.CharField(_("title"), max_length=300)
    way = models.CharField(_("direction"), max_length=10, choices=Way.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    purpose = models.TextField(_("purpose"))
    diplomacy = models.CharField(_("diplomacy channel"), max_length=10, choices=Diplomacy.choices)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.IN_PERSON
    )
    counterpart = models.ForeignKey(
        Unit,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The main unit on the other side"),
    )
    host_units = models.ManyToManyField(
        Unit, verbose_name=_("hosts"), blank=True, related_name="delegations_hosted"
    )
    guest_units = models.ManyToManyField(
        Unit, verbose_name=_("guests"), blank=True, related_name="delegations_visiting"
    )
    partnership = optional_link(Partnership, _("partnership"), "delegations")
    agreement = optional_link(Agreement, _("agreement"), "delegations")
    mechanism = optional_link(Mechanism, _("mechanism"), "delegations")
    head_position = models.CharField(
        _("head of delegation (position)"),
        max_length=200,
        blank=True,
        help_text=_("The position, not the name: names are kept with the members"),
    )
    starts_on = models.DateField(_("from"), db_index=True)
    ends_on = models.DateField(_("to"))
    places = models.CharField(_("places"), max_length=300, blank=True)
    programme = models.TextField(_("programme"), blank=True)
    documents_status = models.CharField(
        _("travel documents"),
        max_length=12,
        choices=DocumentsStatus.choices,
        default=DocumentsStatus.PENDING,
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    budget_currency = models.CharField(
        _("budget currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    report = models.TextField(_("outcome report"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    sensitivity = models.PositiveSmallIntegerField(
        _("sensitivity"), choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    # Set by the workflow only (workflow.move), never by a form or an import.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("ledger entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegation",
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="delegation_dates_in_order",
                violation_error_message=_("A delegation cannot return before it leaves."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(budget_currency=""),
                name="delegation_budget_has_currency",
                violation_error_message=_("A budget needs its currency."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d/%m/%Y} · {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        from borderlink.delegations.ledger_link import sync

        sync(self)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        # The ledger entry goes with it, first: an entry that commitments point to stops the
        # delete (ProtectedError) before anything is gone.
        with transaction.atomic():
            if self.activity is not None:
                self.activity.delete()
            return super().delete(*args, **kwargs)

    @property
    def in_ledger(self) -> bool:
        return self.status in (Status.UNDER_WAY, Status.REPORTED)


class DelegationMember(TrackedModel):
    """One person of a delegation. Personal data: see the module's docstring."""

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    document_kind = models.CharField(
        _("travel document"), max_length=12, choices=DocumentKind.choices, blank=True
    )
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    document_expires_on = models.DateField(_("document expires on"), null=True, blank=True)

    history_masked_fields: ClassVar[frozenset[str]] = frozenset(
        {"full_name", "document_number", "document_expires_on"}
    )
    scope_path_lookup: ClassVar[str] = "delegation__home_unit__path"
    sensitivity_lookup: ClassVar[str] = "delegation__sensitivity"  # as secret as the delegation

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["delegation", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(role=MemberRole.HEAD),
                name="delegation_one_head",
                violation_error_message=_("A delegation has one head."),
            ),
        ]

    def __str__(self) -> str:
        # No name: this text goes into the change history and related lists.
        what = self.position or self.get_role_display()
        return f"{self.delegation.title} · {what}"

    def history_scope_path(self) -> str:
        return self.delegation.home_unit.path

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._sync_delegation()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        self._sync_delegation()
        return result

    def _sync_delegation(self) -> None:
        # The persons of the ledger entry: read the delegation afresh (the instance this member
        # holds may predate a workflow move).
        from borderlink.delegations.ledger_link import sync

        delegation = Delegation.objects.filter(pk=self.delegation_id).first()
        if delegation is not None:
            sync(delegation)


class DelegationApproval(TrackedModel):
    """An approval the delegation needs (party committee, provincial people's committee,
    ministry…), and who gave it when; not given yet while the date is empty."""

    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    authority = models.CharField(_("approving authority"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    given_on = models.DateField(_("given on"), null=True, blank=True)
    given_by = models.CharField(
        _("given by (position)"), max_length=200, blank=True, help_text=_("The position")
    )
    note = models.TextField(_("note"), blank=True)

    scope_path_lookup: ClassVar[str] = "delegation__home_unit__path"
    sensitivity_lookup: ClassVar[str] = "delegation__sensitivity"  # as secret as the delegation

    class Meta:
        verbose_name = _("delegation approval")
        verbose_name_plural = _("delegation approvals")
        ordering = ["delegation", "id"]

    def __str__(self) -> str:
        return f"{self.authority} {self.decision_number}".strip()

    def history_scope_path(self) -> str:
        return self.delegation.home_unit.path


class DelegationStep(WorkflowStep):
    """One move of a delegation through the workflow: kept for good."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="steps")
    from_state = state_field(_("from"), Status.choices)
    to_state = state_field(_("to"), Status.choices)

    subject_field: ClassVar[str] = "delegation"
    scope_path_lookup: ClassVar[str] = "delegation__home_unit__path"
    sensitivity_lookup: ClassVar[str] = "delegation__sensitivity"  # as secret as the delegation

    class Meta(WorkflowStep.Meta):
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow history")


class CalendarFeed(models.Model):
    """A user's subscription address for calendar programs (calendar_feed.py): a secret key in
    the URL stands in for the session a calendar program cannot hold. Only its digest is kept;
    the key itself is shown once, when it is made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%d/%m/%Y}"
