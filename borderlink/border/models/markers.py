"""Markers, and the inspections that find them intact, damaged, moved or lost."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _

from borderlink.border.choices import (
    MARKER_CONDITIONS,
    Accuracy,
    Condition,
    MarkerKind,
    MarkerSize,
)
from borderlink.border.models.line import BorderSection
from borderlink.core.fields import optional_link
from borderlink.core.files import IMAGES, ProtectedFileField
from borderlink.core.models import TrackedModel
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped

LATITUDE = [MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))]
LONGITUDE = [MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))]


def latitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("latitude"), max_digits=11, decimal_places=8, null=True, blank=True, validators=LATITUDE
    )


def longitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("longitude"),
        max_digits=12,
        decimal_places=8,
        null=True,
        blank=True,
        validators=LONGITUDE,
    )


POSITION_KNOWN = Q(latitude__isnull=False, longitude__isnull=False) & ~Q(accuracy="unknown")
POSITION_UNKNOWN = Q(latitude__isnull=True, longitude__isnull=True, accuracy="unknown")


def number_order(number: str) -> str:
    """A marker number as text that sorts in numeric order: each run of digits zero-padded
    ("261(2)" → "000261(000002)"), so 2 < 10 < 261 < 261(2) < 519/2."""
    return re.sub(r"\d+", lambda digits: digits.group().zfill(6), number.strip())


class Marker(HomeScoped):
    """A border marker. Its record's unit is the station responsible for it."""

    number = models.CharField(
        _("number"), max_length=20, help_text=_("As in the protocol: 325, 261(2), 519/2")
    )
    kind = models.CharField(
        _("type"), max_length=10, choices=MarkerKind.choices, default=MarkerKind.MAIN
    )
    size = models.CharField(_("size"), max_length=8, choices=MarkerSize.choices, blank=True)
    section = models.ForeignKey(
        BorderSection, verbose_name=_("section"), on_delete=models.PROTECT, related_name="markers"
    )
    commune = optional_link(Unit, _("commune"), help_text=_("The commune it stands in"))
    latitude = latitude_field()
    longitude = longitude_field()
    accuracy = models.CharField(
        _("position"),
        max_length=12,
        choices=Accuracy.choices,
        default=Accuracy.UNKNOWN,
        help_text=_("Unknown positions stay empty: never a point made up"),
    )
    elevation_m = models.DecimalField(
        _("elevation (m)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=MARKER_CONDITIONS, default="unknown"
    )
    description = models.TextField(_("description"), blank=True)

    # Names the marker in files and the API ("<section code>-<number>"); set on save.
    code = models.CharField(_("code"), max_length=100, unique=True, editable=False)
    # The number in the protocol's order (2 before 10, 261 before 261(2)); set on save.
    number_order = models.CharField(max_length=60, editable=False, db_index=True, default="")
    # Set by the inspections (MarkerCheck.save), never typed.
    last_inspected_on = models.DateField(_("last inspected"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("border marker")
        verbose_name_plural = _("border markers")
        ordering = ["section", "number_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"],
                name="marker_number_once_per_section",
                violation_error_message=_("This marker number is already used on this section."),
            ),
            models.CheckConstraint(
                condition=POSITION_KNOWN | POSITION_UNKNOWN,
                name="marker_position_with_accuracy",
                violation_error_message=_(
                    "Give both coordinates with their accuracy, or neither with “unknown”."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Marker %(number)s") % {"number": self.number})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = f"{self.section.code}-{self.number}"
        self.number_order = number_order(self.number)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "code", "number_order"}
        super().save(*args, **kwargs)

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def days_since_inspection(self, today: datetime.date | None = None) -> int | None:
        if self.last_inspected_on is None:
            return None
        return ((today or datetime.date.today()) - self.last_inspected_on).days

    def open_incident(self) -> Any:
        return self.incidents.filter(status="open").order_by("-occurred_on", "-id").first()


class Inspection(HomeScoped):
    """A visit to one or more markers by a station's patrol (its record's unit)."""

    inspected_on = models.DateField(_("date"), db_index=True)
    patrol = models.CharField(
        _("patrol"), max_length=200, blank=True, help_text=_("Team or leader")
    )
    joint = models.BooleanField(_("joint with the other side"), default=False)
    counterpart = optional_link(
        Unit, _("counterpart"), help_text=_("The unit of the other side on a joint inspection")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("marker inspection")
        verbose_name_plural = _("marker inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.inspected_on.strftime('%d/%m/%Y')} · {self.home_unit}"


class MarkerCheck(TrackedModel):
    """What one inspection found at one marker. Saving it updates the marker and its incident."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="checks"
    )
    marker = models.ForeignKey(
        Marker, verbose_name=_("marker"), on_delete=models.PROTECT, related_name="checks"
    )
    condition = models.CharField(_("condition found"), max_length=10, choices=Condition.choices)
    repaired = models.BooleanField(
        _("repaired or restored"),
        default=False,
        help_text=_("The marker was repaired on this visit: its open incident is closed"),
    )
    notes = models.TextField(_("notes"), blank=True)
    photo = ProtectedFileField(_("photo"), folder="border/checks", kinds=IMAGES, blank=True)

    scope_path_lookup: ClassVar[str] = "inspection__home_unit__path"

    class Meta:
        verbose_name = _("marker check")
        verbose_name_plural = _("marker checks")
        ordering = ["-inspection__inspected_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "marker"],
                name="marker_checked_once_per_inspection",
                violation_error_message=_("This marker is already in this inspection."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.marker} · {self.inspection.inspected_on.strftime('%d/%m/%Y')}"

    def history_scope_path(self) -> str:
        return self.inspection.home_unit.path

    def save(self, *args: Any, **kwargs: Any) -> None:
        from borderlink.border.flow import after_check

        super().save(*args, **kwargs)
        after_check(self)


def _check_deleted(sender: type[MarkerCheck], instance: MarkerCheck, **kwargs: Any) -> None:
    from borderlink.border.flow import after_check_deleted

    after_check_deleted(instance)


post_delete.connect(_check_deleted, sender=MarkerCheck, dispatch_uid="border-check-deleted")
