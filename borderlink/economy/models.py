"""Economic cooperation across the border: enterprises, the projects they run together, their
problems and how they were solved, and the electricity bought and sold across the line.

Enterprises are gazetteer units of kind "enterprise" (on either side), so their names come in
three languages from one place; the `Enterprise` record adds what the economy needs. Money stays
in its own currency with its date (core.money); nothing is converted here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.core.fields import optional_link
from borderlink.core.models import TrackedModel
from borderlink.core.money import validate_currency
from borderlink.economy.choices import (
    TO_MWH,
    EnergyUnit,
    IssueStatus,
    PowerDirection,
    ProjectStatus,
    RaisedBy,
    Sector,
)
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped

__all__ = ["ElectricityFlow", "Enterprise", "InvestmentProject", "ProjectIssue"]


def _money(label: Any) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )


class Enterprise(HomeScoped):
    unit = models.OneToOneField(
        Unit,
        verbose_name=_("enterprise (gazetteer unit)"),
        on_delete=models.PROTECT,
        related_name="enterprise",
    )
    # Names the enterprise in files and the API: its gazetteer unit's code, set on save.
    code = models.CharField(_("code"), max_length=64, unique=True, editable=False)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["unit__country", "unit__code"]

    def __str__(self) -> str:
        return str(self.unit)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = self.unit.code
        super().save(*args, **kwargs)


class InvestmentProject(HomeScoped):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("enterprises"), related_name="projects"
    )
    location = optional_link(Unit, _("location"))
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    registered_capital = _money(_("registered capital"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    disbursed_capital = _money(_("disbursed capital"))
    disbursed_as_of = models.DateField(_("disbursed as of"), null=True, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=100, blank=True)
    licensed_on = models.DateField(_("licensed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    jobs_created = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(registered_capital__isnull=True) & Q(disbursed_capital__isnull=True))
                | ~Q(currency=""),
                name="project_capital_has_currency",
                violation_error_message=_("Capital needs its currency."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectIssue(TrackedModel):
    """A problem raised about a project, and how it was resolved."""

    project = models.ForeignKey(
        InvestmentProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="issues",
    )
    raised_on = models.DateField(_("raised on"))
    raised_by = models.CharField(_("raised by"), max_length=12, choices=RaisedBy.choices)
    problem = models.TextField(_("problem"))
    status = models.CharField(
        _("status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)

    scope_path_lookup: ClassVar[str] = "project__home_unit__path"

    class Meta:
        verbose_name = _("project issue")
        verbose_name_plural = _("project issues")
        ordering = ["-raised_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("raised_on")),
                name="issue_resolved_after_raised",
                violation_error_message=_("A problem cannot be resolved before it is raised."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.raised_on:%d/%m/%Y}"

    def history_scope_path(self) -> str:
        return self.project.home_unit.path


class ElectricityFlow(HomeScoped):
    """Electricity bought from or sold to the other side over a period."""

    counterpart = models.ForeignKey(
        Unit,
        verbose_name=_("counterpart"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The seller or buyer on the other side"),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=PowerDirection.choices)
    period_from = models.DateField(_("from"), db_index=True)
    period_to = models.DateField(_("to"))
    energy = models.DecimalField(
        _("energy"), max_digits=18, decimal_places=3, validators=[MinValueValidator(Decimal(0))]
    )
    energy_unit = models.CharField(
        _("unit of energy"), max_length=3, choices=EnergyUnit.choices, default=EnergyUnit.MWH
    )
    value = _money(_("value"))
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    connection = models.CharField(
        _("connection"), max_length=200, blank=True, help_text=_("Line or substation")
    )

    class Meta:
        verbose_name = _("electricity flow")
        verbose_name_plural = _("electricity flows")
        ordering = ["-period_from", "direction"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")),
                name="electricity_period_in_order",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | ~Q(currency=""),
                name="electricity_value_has_currency",
                violation_error_message=_("A value needs its currency."),
            ),
            models.UniqueConstraint(
                fields=["home_unit", "counterpart", "direction", "period_from", "period_to"],
                name="electricity_flow_once",
                violation_error_message=_(
                    "This flow is already recorded for this counterpart and period."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} · {self.period_from:%d/%m/%Y}"

    @property
    def mwh(self) -> Decimal:
        return Decimal(self.energy) * Decimal(TO_MWH[EnergyUnit(self.energy_unit)])
