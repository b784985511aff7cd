"""Border indicators the ledger rules cannot express: trade turnover through the gates (from
gate statistics) and the time the other side takes to acknowledge an early warning.

Both take a unit and a `Window` like the engine's rules and roll up through the reform the same
way (`scope.resolve`): gate figures kept by old Hà Giang's districts count for today's Tuyên
Quang. Values stay in their own currency; a total in one currency converts the others only with
a dated `ExchangeRate` (the latest on or before the period's end), and says which it used.
Pages call these directly (/border/indicators/); `figure()` is the engine's entry for the
"gate_trade" rule (indicator `trade.gate_turnover`), registered with stats/rules.py at the end of
this module, so the turnover is a figure like any other.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from borderlink.border.choices import VALUE_MEASURES
from borderlink.border.models import Alert, GateFigure
from borderlink.core.money import ISO_4217
from borderlink.places.models import Unit
from borderlink.places.scope import Scope
from borderlink.stats.engine import Figure, Window
from borderlink.stats.indicators import Indicator
from borderlink.stats.models import ExchangeRate
from borderlink.stats.rules import register_rule
from borderlink.stats.scope import resolve

ZERO = Decimal(0)


def trade_figures(scope: Scope, window: Window) -> QuerySet[GateFigure]:
    """Import and export values reported for periods inside the window, by a unit in the
    scope or for a gate whose own unit is in it (a gate's page asks for the gate)."""
    qs = GateFigure.objects.filter(
        scope.q() | scope.q("gate__unit__path"),
        measure__in=VALUE_MEASURES,
        period_to__lte=window.end,
    )
    if window.start is not None:
        qs = qs.filter(period_from__gte=window.start)
    return qs.select_related("gate", "gate__unit")


@dataclass
class Conversion:
    currency: str
    amount: Decimal
    rate: ExchangeRate | None

    @property
    def converted(self) -> Decimal | None:
        return None if self.rate is None else self.amount / self.rate.rate


@dataclass
class Turnover:
    """Export + import value, per currency and converted to one where rates allow."""

    currency: str
    by_currency: dict[str, Decimal] = field(default_factory=dict)
    imports: dict[str, Decimal] = field(default_factory=dict)
    exports: dict[str, Decimal] = field(default_factory=dict)
    conversions: list[Conversion] = field(default_factory=list)
    records: int = 0
    rows: list[tuple[Any, str, str, Decimal, Decimal]] = field(default_factory=list)

    @property
    def total(self) -> Decimal | None:
        """The whole turnover in `currency`; None while any amount lacks a dated rate."""
        if any(c.rate is None for c in self.conversions):
            return None
        return self.by_currency.get(self.currency, ZERO) + sum(
            (c.converted or ZERO for c in self.conversions), ZERO
        )

    @property
    def unconverted(self) -> list[str]:
        return [c.currency for c in self.conversions if c.rate is None]


def _period_key(day: datetime.date, by: str) -> str:
    return f"{day.year}" if by == "year" else f"{day.year}-{day.month:02d}"


def evaluate_turnover(
    unit: Unit, window: Window, currency: str = "USD", by: str = "month"
) -> Turnover:
    """Trade turnover of the gates kept within `unit`, by gate and period (month or year)."""
    return turnover_in(resolve(unit, window.as_of), window, currency, by)


def figure(ind: Indicator, scope: Scope, window: Window) -> Figure:
    """The turnover as an engine `Figure` in the indicator's currency (for a "gate_trade"
    rule): no value while an amount in another currency has no dated rate."""
    result = turnover_in(scope, window, ind.currency or "USD")
    fig = Figure(ind, currency=result.currency, ledger_records=result.records)
    fig.value = result.total if result.records else ZERO
    if fig.value is None:
        fig.basis = "none"
    return fig


def turnover_in(scope: Scope, window: Window, currency: str, by: str = "month") -> Turnover:
    result = Turnover(currency=currency)
    per_row: dict[tuple[int, str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    gates: dict[int, Any] = {}
    last_day: dict[str, datetime.date] = {}
    for fig in trade_figures(scope, window).order_by("period_from", "gate__code"):
        value = Decimal(fig.value)
        cur = fig.unit_of_measure
        result.records += 1
        result.by_currency[cur] = result.by_currency.get(cur, ZERO) + value
        side = result.imports if fig.measure == "import_value" else result.exports
        side[cur] = side.get(cur, ZERO) + value
        key = (fig.gate_id, _period_key(fig.period_from, by), cur)
        per_row[key][0 if fig.measure == "import_value" else 1] += value
        gates[fig.gate_id] = fig.gate
        last_day[cur] = max(last_day.get(cur, fig.period_to), fig.period_to)
    for (gate_id, period, cur), (imp, exp) in per_row.items():
        result.rows.append((gates[gate_id], period, cur, imp, exp))
    result.rows.sort(key=lambda r: (r[1], r[0].code, r[2]))
    for cur, amount in sorted(result.by_currency.items()):
        if cur == currency:
            continue
        rate = (
            ExchangeRate.objects.filter(currency=cur, quote=currency, on__lte=last_day[cur])
            .order_by("-on")
            .first()
        )
        result.conversions.append(Conversion(cur, amount, rate))
    return result


@dataclass
class Acknowledgement:
    count: int
    waiting: int
    median_minutes: float | None
    longest_minutes: float | None


def acknowledge_times(unit: Unit, window: Window, direction: str | None = None) -> Acknowledgement:
    """How long acknowledgements of early warnings took (alerts issued in the window)."""
    scope = resolve(unit, window.as_of)
    qs = Alert.objects.filter(scope.q(), issued_at__date__lte=window.end)
    if window.start is not None:
        qs = qs.filter(issued_at__date__gte=window.start)
    if direction:
        qs = qs.filter(direction=direction)
    minutes = []
    waiting = 0
    for alert in qs:
        delay = alert.time_to_acknowledge
        if delay is None:
            waiting += 1
        else:
            minutes.append(delay.total_seconds() / 60)
    return Acknowledgement(
        count=len(minutes),
        waiting=waiting,
        median_minutes=statistics.median(minutes) if minutes else None,
        longest_minutes=max(minutes) if minutes else None,
    )


def check(ind: Indicator) -> str:
    if ind.currency not in ISO_4217:
        return "a gate trade indicator needs the ISO 4217 currency it totals in"
    return ""


register_rule("gate_trade", figure, check)
