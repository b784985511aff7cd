"""Early warning exchanged with the other side (storms, floods, landslides, disease)."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.border.choices import (
    AlertDirection,
    Certainty,
    Hazard,
    MsgType,
    Severity,
    Urgency,
)
from borderlink.core.fields import optional_link
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped


class Alert(HomeScoped):
    """One alert as CAP 1.2 carries it, with the times it was issued, received and acknowledged."""

    identifier = models.CharField(
        _("identifier"), max_length=200, unique=True, help_text=_("The CAP identifier")
    )
    sender = models.CharField(_("sender"), max_length=200, help_text=_("The CAP sender"))
    direction = models.CharField(_("direction"), max_length=8, choices=AlertDirection.choices)
    counterpart = optional_link(Unit, _("counterpart"))
    msg_type = models.CharField(
        _("message type"), max_length=6, choices=MsgType.choices, default=MsgType.ALERT
    )
    hazard = models.CharField(_("hazard"), max_length=16, choices=Hazard.choices)
    event = models.CharField(_("event"), max_length=200)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    urgency = models.CharField(_("urgency"), max_length=9, choices=Urgency.choices)
    certainty = models.CharField(_("certainty"), max_length=8, choices=Certainty.choices)
    issued_at = models.DateTimeField(_("issued"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    area_desc = models.CharField(_("area"), max_length=300)
    area_units = models.ManyToManyField(
        Unit, verbose_name=_("units in the area"), blank=True, related_name="+"
    )
    polygon = models.TextField(
        _("polygon"),
        blank=True,
        help_text=_("CAP polygon: “latitude,longitude” pairs separated by spaces, first = last"),
    )
    headline_vi = models.CharField(_("headline (Vietnamese)"), max_length=300, blank=True)
    headline_en = models.CharField(_("headline (English)"), max_length=300, blank=True)
    headline_zh = models.CharField(_("headline (Chinese)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    instruction_vi = models.TextField(_("instruction (Vietnamese)"), blank=True)
    instruction_en = models.TextField(_("instruction (English)"), blank=True)
    instruction_zh = models.TextField(_("instruction (Chinese)"), blank=True)

    class Meta:
        verbose_name = _("early-warning alert")
        verbose_name_plural = _("early-warning alerts")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True)
                | Q(acknowledged_at__gte=models.F("issued_at")),
                name="alert_acknowledged_after_issue",
                violation_error_message=_("An alert cannot be acknowledged before it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return self.headline_vi or self.headline_en or self.headline_zh or self.event

    @property
    def started_waiting_at(self) -> datetime.datetime:
        """From when an acknowledgement is awaited: issue for ours, receipt for theirs."""
        if self.direction == AlertDirection.RECEIVED and self.received_at:
            return self.received_at
        return self.issued_at

    @property
    def time_to_acknowledge(self) -> datetime.timedelta | None:
        if self.acknowledged_at is None:
            return None
        return self.acknowledged_at - self.started_waiting_at

    def is_active(self, now: datetime.datetime) -> bool:
        return self.msg_type != MsgType.CANCEL and (
            self.expires_at is None or self.expires_at >= now
        )
