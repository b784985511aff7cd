"""One ledger of dated activities between units, their commitments, and aggregate returns."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderlink.core.choices import Diplomacy, Qualifier, Sensitivity
from borderlink.core.fields import optional_link
from borderlink.core.models import TrackedModel
from borderlink.core.money import validate_currency
from borderlink.places.models import Unit
from borderlink.registers.bases import HomeScoped
from borderlink.ties.models import Agreement, Mechanism, Partnership


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting / talks")
    LETTER = "letter", _("Letter")
    PHONE_CALL = "phone_call", _("Phone call")
    POLITICAL_EXCHANGE = "political_exchange", _("Political exchange")
    UNSCHEDULED_EXCHANGE = "unscheduled_exchange", _("Unscheduled exchange")
    JOINT_PATROL = "joint_patrol", _("Joint patrol")
    BILATERAL_CHECK = "bilateral_check", _("Bilateral check")
    HANDOVER = "handover", _("Hand-over of citizens")
    INFORMATION = "information", _("Information exchange / early warning")
    AID_GIVEN = "aid_given", _("Aid given")
    AID_RECEIVED = "aid_received", _("Aid received")
    CULTURAL_EVENT = "cultural_event", _("Cultural event")
    SPORTS_EVENT = "sports_event", _("Sports event")
    TOURISM_EVENT = "tourism_event", _("Tourism event")
    DELEGATION = "delegation", _("Delegation visit")
    SCHOLARSHIP = "scholarship", _("Scholarship award")
    LABOUR_DISPATCH = "labour_dispatch", _("Labour dispatch")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter / document")
    OTHER = "other", _("Other")


class Direction(models.TextChoices):
    SENT = "sent", _("From our side")
    RECEIVED = "received", _("From their side")
    JOINT = "joint", _("Joint")


class Activity(HomeScoped):
    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices, db_index=True)
    occurred_on = models.DateField(_("date"), db_index=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    counterpart = optional_link(Unit, _("counterpart"), help_text=_("The unit on the other side"))
    partnership = optional_link(Partnership, _("partnership"), "activities")
    agreement = optional_link(Agreement, _("agreement"), "activities")
    mechanism = optional_link(Mechanism, _("mechanism"), "meetings")
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.IN_PERSON
    )
    diplomacy = models.CharField(_("diplomacy channel"), max_length=10, choices=Diplomacy.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.JOINT
    )
    sensitivity = models.PositiveSmallIntegerField(
        _("sensitivity"), choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    count = models.PositiveIntegerField(
        _("number of times"), default=1, validators=[MinValueValidator(1)]
    )
    persons = models.PositiveIntegerField(_("persons"), null=True, blank=True)
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    quantity_unit = models.CharField(_("unit of quantity"), max_length=40, blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["home_unit", "kind", "occurred_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("occurred_on")),
                name="activity_dates_in_order",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | ~Q(currency=""),
                name="activity_value_has_currency",
                violation_error_message=_("A value needs its currency."),
            ),
        ]

    def __str__(self) -> str:
        day = self.occurred_on
        return f"{day.strftime('%d/%m/%Y') if hasattr(day, 'strftime') else day} · {self.title}"


class HandoverDetail(TrackedModel):
    """Head counts of a hand-over of citizens, by nationality and sex (no identities here)."""

    activity = models.OneToOneField(
        Activity, verbose_name=_("hand-over"), on_delete=models.CASCADE, related_name="handover"
    )
    vn_male = models.PositiveIntegerField(_("Vietnamese men"), default=0)
    vn_female = models.PositiveIntegerField(_("Vietnamese women"), default=0)
    cn_male = models.PositiveIntegerField(_("Chinese men"), default=0)
    cn_female = models.PositiveIntegerField(_("Chinese women"), default=0)
    other_male = models.PositiveIntegerField(_("other men"), default=0)
    other_female = models.PositiveIntegerField(_("other women"), default=0)

    scope_path_lookup: ClassVar[str] = "activity__home_unit__path"
    sensitivity_lookup: ClassVar[str] = "activity__sensitivity"  # as secret as the hand-over

    class Meta:
        verbose_name = _("hand-over head count")
        verbose_name_plural = _("hand-over head counts")

    def __str__(self) -> str:
        return f"{self.activity} · {self.total}"

    def history_scope_path(self) -> str:
        return self.activity.home_unit.path

    @property
    def total(self) -> int:
        return (
            self.vn_male
            + self.vn_female
            + self.cn_male
            + self.cn_female
            + self.other_male
            + self.other_female
        )


class Commitment(HomeScoped):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(
        Activity, verbose_name=_("agreed at"), on_delete=models.PROTECT, related_name="commitments"
    )
    text = models.TextField(_("what was agreed"))
    their_owner = optional_link(Unit, _("owner on their side"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    fulfilled_by = models.ManyToManyField(
        Activity, verbose_name=_("fulfilled by"), blank=True, related_name="fulfils"
    )

    # What was agreed at a confidential meeting is as confidential as the meeting.
    sensitivity_lookup: ClassVar[str] = "meeting__sensitivity"

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class AggregateReturn(HomeScoped):
    """A unit's reported total for a period, for history that predates the ledger."""

    class Measure(models.TextChoices):
        COUNT = "count", _("number of times")
        PERSONS = "persons", _("persons")
        VALUE = "value", _("value")
        QUANTITY = "quantity", _("quantity")
        UNITS = "units", _("units covered")

    class Per(models.TextChoices):
        TOTAL = "", _("total for the period")
        TIME = "time", _("each time")
        YEAR = "year", _("each year")

    kind = models.CharField(_("activity kind or topic"), max_length=40)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    counterpart = optional_link(Unit, _("counterpart"))
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        blank=True,
        help_text=_("Leave empty when the total counts both ways"),
    )
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("to"))
    value = models.DecimalField(
        _("value"), max_digits=20, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    denominator = models.DecimalField(
        _("out of"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For coverage figures X/Y"),
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    # A rate ("5,000 masks each time", "2 scholarships a year") is not a total: the statistics
    # engine shows it beside the figure and never adds it in.
    per = models.CharField(
        _("per"), max_length=4, choices=Per.choices, default=Per.TOTAL, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    item = models.CharField(_("item"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("aggregate return")
        verbose_name_plural = _("aggregate returns")
        ordering = ["-period_to", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__isnull=True) | Q(period_to__gte=models.F("period_from")),
                name="return_period_in_order",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.home_unit} · {self.kind} · {Decimal(self.value).normalize():f}"

    def overlapping_activities(self) -> models.QuerySet[Activity]:
        """Ledger entries the return already counts (its unit's subtree, kind, period,
        counterpart and direction): the figures take them off (stats.engine), and the page lists
        them."""
        qs = Activity.objects.filter(
            home_unit__path__startswith=self.home_unit.path,
            kind=self.kind,
            occurred_on__lte=self.period_to,
        )
        if self.period_from:
            qs = qs.filter(occurred_on__gte=self.period_from)
        if self.counterpart is not None:
            qs = qs.filter(counterpart__path__startswith=self.counterpart.path)
        if self.direction:
            qs = qs.filter(direction=self.direction)
        return qs


def in_force(day: datetime.date) -> Q:
    return (Q(started_on__isnull=True) | Q(started_on__lte=day)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )
