"""What ties units across the border: partnerships, agreements, mechanisms."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderlink.core.choices import Diplomacy
from borderlink.core.files import DOCUMENTS, ProtectedFileField
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped, Sourced


class Programme(Sourced):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300, blank=True)

    scope_path_lookup: ClassVar[str] = "code"  # reference data: only global grants reach it

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_vi


class Partnership(HomeScoped):
    # Frames the work of the units below its responsible unit: their records may link to it
    # (registers/links.py), though only the responsible unit's subtree sees it in the register.
    links_from_below: ClassVar[bool] = True

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province – province/prefecture")
        DISTRICT = "district", _("District – county/city")
        COMMUNE_CLUSTER = "commune_cluster", _("Cluster of communes – xiang/towns")
        RESIDENTIAL = "residential", _("Residential area – villages")
        STATION = "station", _("Border-guard station – station")
        DEPARTMENT = "department", _("Department – bureau")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), null=True, blank=True, on_delete=models.PROTECT
    )
    our_units = models.ManyToManyField(
        Unit, verbose_name=_("our side"), related_name="partnerships_ours"
    )
    their_units = models.ManyToManyField(
        Unit, verbose_name=_("their side"), related_name="partnerships_theirs"
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    diplomacy = models.CharField(_("diplomacy channel"), max_length=10, choices=Diplomacy.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="partnership_dates_in_order",
                violation_error_message=_("A partnership cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.started_on is None or self.started_on <= day) and (
            self.ended_on is None or self.ended_on >= day
        )


class Agreement(HomeScoped):
    # Frames the work of the units below its responsible unit: their records may link to it
    # (registers/links.py), though only the responsible unit's subtree sees it in the register.
    links_from_below: ClassVar[bool] = True

    class Domain(models.TextChoices):
        BORDER = "border", _("Border management")
        GENERAL = "general", _("Comprehensive cooperation")
        LABOUR = "labour", _("Labour")
        TRADE = "trade", _("Trade and economy")
        TOURISM = "tourism", _("Tourism")
        HEALTH = "health", _("Health")
        EDUCATION = "education", _("Education")
        CULTURE = "culture", _("Culture and sport")
        SECURITY = "security", _("Security and crime")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")
        STATION = "station", _("Border-guard station")
        DEPARTMENT = "department", _("Department")
        PEOPLE = "people", _("Residents")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        RENEWED = "renewed", _("Renewed")
        TERMINATED = "terminated", _("Terminated")

    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=500, blank=True)
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    our_parties = models.ManyToManyField(
        Unit, verbose_name=_("parties on our side"), related_name="agreements_ours"
    )
    their_parties = models.ManyToManyField(
        Unit, verbose_name=_("parties on their side"), related_name="agreements_theirs", blank=True
    )
    our_signatory = models.CharField(_("our signatory"), max_length=200, blank=True)
    their_signatory = models.CharField(_("their signatory"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    legal_basis = models.ManyToManyField(
        "self",
        verbose_name=_("legal basis"),
        symmetrical=False,
        blank=True,
        related_name="basis_for",
    )
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
    )
    diplomacy = models.CharField(_("diplomacy channel"), max_length=10, choices=Diplomacy.choices)
    text_vi = ProtectedFileField(
        _("text (Vietnamese)"), folder="agreements", kinds=DOCUMENTS, blank=True
    )
    text_en = ProtectedFileField(
        _("text (English)"), folder="agreements", kinds=DOCUMENTS, blank=True
    )
    text_zh = ProtectedFileField(
        _("text (Chinese)"), folder="agreements", kinds=DOCUMENTS, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title_vi"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(expires_on__gte=models.F("signed_on")),
                name="agreement_expiry_after_signature",
                violation_error_message=_("An agreement cannot expire before it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(in_force_from__gte=models.F("signed_on")),
                name="agreement_in_force_after_signature",
                violation_error_message=_(
                    "An agreement cannot come into force before it is signed."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title_vi}".strip()

    def in_force_on(self, day: datetime.date) -> bool:
        start = self.in_force_from or self.signed_on
        return (
            self.status not in (self.Status.DRAFT, self.Status.TERMINATED)
            and start is not None
            and start <= day
            and (self.expires_on is None or self.expires_on >= day)
        )


class Mechanism(HomeScoped):
    # Frames the work of the units below its responsible unit: their records may link to it
    # (registers/links.py), though only the responsible unit's subtree sees it in the register.
    links_from_below: ClassVar[bool] = True

    class Frequency(models.TextChoices):
        ANNUAL = "annual", _("Every year")
        TWICE_A_YEAR = "twice", _("Twice a year")
        PERIODIC = "periodic", _("Periodic")
        AD_HOC = "ad_hoc", _("When needed")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=500, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    our_members = models.ManyToManyField(
        Unit, verbose_name=_("members on our side"), related_name="mechanisms_ours"
    )
    their_members = models.ManyToManyField(
        Unit, verbose_name=_("members on their side"), related_name="mechanisms_theirs"
    )
    diplomacy = models.CharField(_("diplomacy channel"), max_length=10, choices=Diplomacy.choices)
    started_on = models.DateField(_("since"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("cooperation mechanism")
        verbose_name_plural = _("cooperation mechanisms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title_vi
