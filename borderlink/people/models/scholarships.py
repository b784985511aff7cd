"""Scholarships (DOMAIN part 12): awards by year and direction, with their holder."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.people.choices import (
    SCHOLARSHIP_CLOSED,
    ScholarshipDirection,
    ScholarshipStatus,
)
from borderlink.people.models.base import IDENTITY_FIELDS, CountedInLedger, Identity
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped

if TYPE_CHECKING:
    from borderlink.people.ledger_link import Link


class Scholarship(CountedInLedger, Identity, HomeScoped):
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=ScholarshipDirection.choices
    )
    counterpart = models.ForeignKey(
        Unit,
        verbose_name=_("counterpart"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The granting side, or the side the students come from"),
    )
    institution = models.CharField(_("institution"), max_length=300)
    field_of_study = models.CharField(_("field of study"), max_length=200, blank=True)
    full_scholarship = models.BooleanField(_("full scholarship"), default=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ScholarshipStatus.choices,
        default=ScholarshipStatus.AWARDED,
    )
    ends_on = models.DateField(_("studies end"), null=True, blank=True)

    history_masked_fields: ClassVar[frozenset[str]] = frozenset(IDENTITY_FIELDS)

    class Meta:
        verbose_name = _("scholarship")
        verbose_name_plural = _("scholarships")
        ordering = ["-year", "-id"]

    @classmethod
    def ledger_link(cls) -> Link[Any]:
        from borderlink.people.ledger_link import SCHOLARSHIPS

        return SCHOLARSHIPS

    def __str__(self) -> str:
        return str(_("Scholarship %(year)s no. %(pk)s") % {"year": self.year, "pk": self.pk or "—"})

    def closed_since(self) -> datetime.date | None:
        if self.status not in SCHOLARSHIP_CLOSED:
            return None
        return self.ends_on or self.updated_at.date()


class ScholarshipAwards(models.Model):
    """The ledger entry (kind "scholarship", count = awards) that stands for the scholarships of
    one responsible unit with one unit of the other side, in one year and direction. Kept in
    step by people/ledger_link.py, so education.scholarships counts the register — never a name."""

    home_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    counterpart = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    direction = models.CharField(max_length=10, choices=ScholarshipDirection.choices)
    activity = models.OneToOneField(
        "ledger.Activity", on_delete=models.CASCADE, related_name="scholarship_awards"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["home_unit", "counterpart", "year", "direction"],
                name="scholarship_awards_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.counterpart_id} · {self.year} · {self.direction}"
