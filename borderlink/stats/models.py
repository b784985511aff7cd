"""The rollup of the ledger (Tally) and the dated exchange rates reports convert money with."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.core.money import validate_currency
from borderlink.places.models import Unit
from borderlink.registers.bases import Sourced


class Tally(models.Model):
    """Sums of the ledger per (anchor unit, activity kind, month or year, channel, diplomacy,
    direction, sensitivity, currency).

    An activity adds to one row for each unit on its home unit's path down to
    STATS_ROLLUP_DEPTH, so the total of a subtree is read from the rows of one anchor instead
    of scanning the ledger; it adds to its month's row and to its year's row, so twenty years
    are read from twenty rows, not 240; countries and provinces also have day rows, for the
    edge days of periods that cut months. Rows are kept in step by `stats.rollup` in the same
    transaction as the write; `borderlink stats-rebuild` recomputes them from the ledger.
    """

    MONTH, YEAR, DAY = "m", "y", "d"

    # No index of its own: the key's index (tally_key) begins with the anchor and serves every
    # look-up by anchor (a second index on 45 million rows would cost a gigabyte and every write).
    anchor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=24)
    # The first day of the month (span "m") or of the year (span "y") the row sums, or the day
    # (span "d", only for anchors down to rollup.day_depth(): countries and provinces).
    span = models.CharField(max_length=1, default=MONTH)
    month = models.DateField()
    channel = models.CharField(max_length=10)
    diplomacy = models.CharField(max_length=10)
    direction = models.CharField(max_length=10)
    sensitivity = models.PositiveSmallIntegerField()
    currency = models.CharField(max_length=3, blank=True)
    records = models.BigIntegerField(default=0)
    times = models.BigIntegerField(default=0)
    persons = models.BigIntegerField(default=0)
    value = models.DecimalField(max_digits=24, decimal_places=2, default=Decimal(0))
    quantity = models.DecimalField(max_digits=24, decimal_places=2, default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "anchor",
                    "kind",
                    "span",
                    "month",
                    "channel",
                    "diplomacy",
                    "direction",
                    "sensitivity",
                    "currency",
                ],
                name="tally_key",
            )
        ]

    def __str__(self) -> str:
        when = f"{self.month:%Y}" if self.span == self.YEAR else f"{self.month:%Y-%m}"
        return f"{self.anchor_id} {self.kind} {when}: {self.records}"


class ExchangeRate(Sourced):
    """`rate` units of `currency` buy one unit of `quote` on `on` (e.g. 23,200 VND per USD)."""

    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    quote = models.CharField(_("in"), max_length=3, validators=[validate_currency])
    rate = models.DecimalField(
        _("rate"), max_digits=16, decimal_places=6, validators=[MinValueValidator(Decimal(0))]
    )
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path_lookup = "currency"  # reference data: only global grants write it

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "quote", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "quote", "on"], name="rate_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.rate.normalize():f} {self.currency}/{self.quote} ({self.on:%d/%m/%Y})"
