"""The border line as geometry, split into sections, each assigned to units on a date."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cached_property

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from borderlink.border import geo
from borderlink.core.fields import optional_link
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped


class BorderSection(HomeScoped):
    """A stretch of the line: the whole Vietnam–China border, a province's part, a station's."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    geometry = models.JSONField(
        _("line (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("A GeoJSON LineString or MultiLineString in longitude, latitude"),
    )
    geometry_note = models.TextField(
        _("about the line"), blank=True, help_text=_("Where the line comes from and how exact")
    )
    official_length_km = models.DecimalField(
        _("official length (km)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("The surveyed figure, as published; its source below"),
    )

    class Meta:
        verbose_name = _("border section")
        verbose_name_plural = _("border sections")
        ordering = ["code"]

    def __str__(self) -> str:
        lang = get_language() or "vi"
        name = self.name_zh if lang.startswith("zh") else self.name_en if lang == "en" else ""
        return name or self.name_vi

    @cached_property
    def length_km(self) -> float | None:
        """The geodesic length of the recorded line (generalised lines come out shorter)."""
        return geo.geodesic_length_km(self.geometry)

    @property
    def length_ratio(self) -> float | None:
        if self.length_km is None or not self.official_length_km:
            return None
        return self.length_km / float(self.official_length_km)

    def assignment_on(self, day: datetime.date) -> SectionAssignment | None:
        return (
            self.assignments.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .select_related("home_unit", "commune", "station")
            .first()
        )


class SectionAssignment(HomeScoped):
    """Who answers for a section over a period: province (the record's unit), commune, station."""

    section = models.ForeignKey(
        BorderSection,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    commune = optional_link(Unit, _("commune"))
    station = optional_link(Unit, _("border-guard station"))
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("section assignment")
        verbose_name_plural = _("section assignments")
        ordering = ["section", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="section_assignment_dates_in_order",
                violation_error_message=_("An assignment cannot end before it begins."),
            ),
        ]

    def __str__(self) -> str:
        start = self.valid_from.strftime("%d/%m/%Y") if self.valid_from else "…"
        end = self.valid_to.strftime("%d/%m/%Y") if self.valid_to else "…"
        return f"{self.section} · {self.home_unit} · {start}–{end}"

    def overlapping(self) -> models.QuerySet[SectionAssignment]:
        qs = SectionAssignment.objects.filter(section_id=self.section_id).exclude(pk=self.pk)
        if self.valid_to:
            qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.valid_to))
        if self.valid_from:
            qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        return qs
