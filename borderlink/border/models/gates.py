"""Border gates and crossing ways, their pairs across the line, projects and statistics."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.border.choices import (
    Accuracy,
    GateKind,
    GateMeasure,
    GateStatus,
    Nationality,
    ProjectStatus,
)
from borderlink.border.models.markers import (
    POSITION_KNOWN,
    POSITION_UNKNOWN,
    latitude_field,
    longitude_field,
)
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped


class Gate(HomeScoped):
    """A gate or crossing way of either side; the other side's gates are kept by our province."""

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("gate (gazetteer unit)"),
        on_delete=models.PROTECT,
        related_name="gate",
    )
    # Names the gate in files and the API: its gazetteer unit's code, set on save.
    code = models.CharField(_("code"), max_length=64, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=14, choices=GateKind.choices)
    counterpart = models.ForeignKey(
        "self",
        verbose_name=_("counterpart gate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The gate facing it on the other side"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GateStatus.choices, default=GateStatus.OPEN
    )
    opened_on = models.DateField(_("opened"), null=True, blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, help_text=_("e.g. 07:00–19:00 daily")
    )
    latitude = latitude_field()
    longitude = longitude_field()
    accuracy = models.CharField(
        _("position"), max_length=12, choices=Accuracy.choices, default=Accuracy.UNKNOWN
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("border gate")
        verbose_name_plural = _("border gates")
        ordering = ["unit__country", "unit__code"]
        constraints = [
            models.CheckConstraint(
                condition=POSITION_KNOWN | POSITION_UNKNOWN,
                name="gate_position_with_accuracy",
                violation_error_message=_(
                    "Give both coordinates with their accuracy, or neither with “unknown”."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = self.unit.code
        super().save(*args, **kwargs)
        # A pair is one fact: a former partner no longer points here, and the counterpart
        # points back unless it already has a pair.
        for former in Gate.objects.filter(counterpart=self).exclude(pk=self.counterpart_id or 0):
            former.counterpart = None
            former.save(update_fields=["counterpart", "updated_at"])
        other = self.counterpart
        if other is not None and other.counterpart_id is None:
            other.counterpart = self
            other.save(update_fields=["counterpart", "updated_at"])


class GateProject(HomeScoped):
    """An upgrade or construction project of a gate."""

    gate = models.ForeignKey(
        Gate, verbose_name=_("gate"), on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("gate project")
        verbose_name_plural = _("gate projects")
        ordering = ["gate", "-decided_on"]

    def __str__(self) -> str:
        return self.title


def is_month(start: datetime.date, end: datetime.date) -> bool:
    if start.day != 1 or start.year != end.year or start.month != end.month:
        return False
    following = (end + datetime.timedelta(days=1)).month
    return following != end.month


class GateFigure(HomeScoped):
    """One figure a gate reported for a day or a month: persons, vehicles or goods value."""

    gate = models.ForeignKey(
        Gate, verbose_name=_("gate"), on_delete=models.PROTECT, related_name="figures"
    )
    period_from = models.DateField(_("from"), db_index=True)
    period_to = models.DateField(_("to"))
    measure = models.CharField(_("measure"), max_length=14, choices=GateMeasure.choices)
    nationality = models.CharField(
        _("nationality"),
        max_length=5,
        choices=Nationality.choices,
        blank=True,
        help_text=_("For persons only"),
    )
    value = models.DecimalField(
        _("value"), max_digits=20, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    unit_of_measure = models.CharField(
        _("unit of measure"),
        max_length=10,
        help_text=_("“persons”, “vehicles”, or the ISO 4217 currency of a value (VND, CNY, USD)"),
    )

    class Meta:
        verbose_name = _("gate statistic")
        verbose_name_plural = _("gate statistics")
        ordering = ["-period_from", "gate", "measure"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")),
                name="gate_figure_period_in_order",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["gate", "period_from", "period_to", "measure", "nationality"],
                name="gate_figure_once",
                violation_error_message=_(
                    "This gate already has this figure for this period and nationality."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gate} · {self.get_measure_display()} · {self.period_from:%d/%m/%Y}"
