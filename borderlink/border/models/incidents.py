"""Incidents on the border and the steps both sides took to handle them."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.border.choices import IncidentKind, IncidentStatus, Side
from borderlink.border.models.line import BorderSection
from borderlink.border.models.markers import Marker, latitude_field, longitude_field
from borderlink.core.choices import Sensitivity
from borderlink.core.fields import optional_link
from borderlink.core.models import TrackedModel
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped


class Incident(HomeScoped):
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    occurred_on = models.DateField(_("date"), db_index=True)
    reported_by = models.CharField(
        _("reported by"), max_length=200, blank=True, help_text=_("Person, patrol or unit")
    )
    marker = optional_link(Marker, _("marker"), "incidents")
    section = optional_link(BorderSection, _("section"), "incidents")
    latitude = latitude_field()
    longitude = longitude_field()
    counterpart = optional_link(
        Unit, _("counterpart"), help_text=_("The unit of the other side told of it")
    )
    counterpart_notified_on = models.DateField(_("counterpart notified"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    resolved_on = models.DateField(_("resolved"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    sensitivity = models.PositiveSmallIntegerField(
        _("sensitivity"), choices=Sensitivity.choices, default=Sensitivity.CONFIDENTIAL
    )
    public_cleared = models.BooleanField(
        _("cleared for the public site"),
        default=False,
        help_text=_("Only a public incident that someone has cleared is ever published"),
    )
    handovers = models.ManyToManyField(
        Activity,
        verbose_name=_("hand-overs of citizens"),
        blank=True,
        related_name="border_incidents",
        help_text=_("Hand-overs this incident led to"),
    )
    # The check that opened it and the one that closed it (marker damage), set by border.flow.
    opened_by = models.ForeignKey(
        "border.MarkerCheck",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        "border.MarkerCheck",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("border incident")
        verbose_name_plural = _("border incidents")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("occurred_on")),
                name="incident_resolved_after_it_occurred",
                violation_error_message=_("An incident cannot be resolved before it occurred."),
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_on__isnull=False),
                name="incident_resolved_has_date",
                violation_error_message=_("A resolved incident needs its date of resolution."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on.strftime('%d/%m/%Y')} · {self.title}"

    @property
    def days_to_resolution(self) -> int | None:
        if self.resolved_on is None:
            return None
        return (self.resolved_on - self.occurred_on).days

    @classmethod
    def public(cls) -> models.QuerySet[Incident]:
        """What the public site may show: public, cleared incidents only."""
        return cls.objects.filter(sensitivity=Sensitivity.PUBLIC, public_cleared=True)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # Steps inherit the incident's sensitivity so that the gate hides them with it.
        self.steps.exclude(sensitivity=self.sensitivity).update(sensitivity=self.sensitivity)


class IncidentStep(TrackedModel):
    """A step of the handling on either side, or a joint one, with its date."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="steps"
    )
    side = models.CharField(_("side"), max_length=6, choices=Side.choices)
    taken_on = models.DateField(_("date"))
    action = models.TextField(_("what was done"))
    sensitivity = models.PositiveSmallIntegerField(
        _("sensitivity"),
        choices=Sensitivity.choices,
        default=Sensitivity.CONFIDENTIAL,
        editable=False,
    )

    scope_path_lookup: ClassVar[str] = "incident__home_unit__path"
    # The gate reads the incident's level itself, not the copy kept for display.
    sensitivity_lookup: ClassVar[str] = "incident__sensitivity"

    class Meta:
        verbose_name = _("incident step")
        verbose_name_plural = _("incident steps")
        ordering = ["incident", "taken_on", "id"]

    def __str__(self) -> str:
        day: datetime.date = self.taken_on
        return f"{day.strftime('%d/%m/%Y')} · {self.get_side_display()} · {self.action[:60]}"

    def history_scope_path(self) -> str:
        return self.incident.home_unit.path

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sensitivity = self.incident.sensitivity
        super().save(*args, **kwargs)
