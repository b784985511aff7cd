"""Economic indicators the ledger rules cannot express: electricity bought from and sold to the
other side (economy.ElectricityFlow), in megawatt-hours.

Like the border rules (rules_border.py), they take a unit and a `Window`, roll up through the
reform (`scope.resolve`) and count the flows whose period lies inside the window. `figure()` is
the engine's entry for an "electricity" rule (registered with stats/rules.py at the end of this
module): the indicator's `direction` (purchase, sale; both when empty) chooses the flows, the
value is their energy in MWh. Pages and tests may call `evaluate_electricity` directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from borderlink.economy.models import ElectricityFlow
from borderlink.places.models import Unit
from borderlink.places.scope import Scope
from borderlink.stats.engine import Figure, Window
from borderlink.stats.indicators import Indicator
from borderlink.stats.rules import register_rule
from borderlink.stats.scope import resolve

ZERO = Decimal(0)


def flows(scope: Scope, window: Window, directions: tuple[str, ...] = ()) -> QuerySet:
    qs = ElectricityFlow.objects.filter(scope.q(), period_to__lte=window.end)
    if window.start is not None:
        qs = qs.filter(period_from__gte=window.start)
    if directions:
        qs = qs.filter(direction__in=directions)
    return qs


@dataclass
class Electricity:
    """Energy (MWh) and value (per currency, never converted here) by direction."""

    mwh: dict[str, Decimal] = field(default_factory=dict)
    values: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    records: int = 0

    def total_mwh(self, directions: tuple[str, ...] = ()) -> Decimal:
        return sum((v for d, v in self.mwh.items() if not directions or d in directions), ZERO)


def electricity_in(scope: Scope, window: Window, directions: tuple[str, ...] = ()) -> Electricity:
    result = Electricity()
    mwh: dict[str, Decimal] = defaultdict(lambda: ZERO)
    values: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for flow in flows(scope, window, directions):
        result.records += 1
        mwh[flow.direction] += flow.mwh
        if flow.value is not None:
            values[(flow.direction, flow.currency)] += Decimal(flow.value)
    result.mwh, result.values = dict(mwh), dict(values)
    return result


def evaluate_electricity(
    unit: Unit, window: Window, directions: tuple[str, ...] = ()
) -> Electricity:
    return electricity_in(resolve(unit, window.as_of), window, directions)


def figure(ind: Indicator, scope: Scope, window: Window) -> Figure:
    """The energy of the flows in the indicator's directions, in MWh (an "electricity" rule)."""
    result = electricity_in(scope, window, ind.direction)
    fig = Figure(ind, ledger_records=result.records)
    fig.value = result.total_mwh()
    return fig


def check(ind: Indicator) -> str:
    if set(ind.direction) - {"purchase", "sale"}:
        return "an electricity indicator's directions are purchase and/or sale"
    return ""


register_rule("electricity", figure, check)
