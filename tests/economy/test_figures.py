"""Economic figures: the seed's declared sectors, the trade turnover against its gate records,
and electricity across the border."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from borderlink.border.models import Gate, GateFigure
from borderlink.economy.models import ElectricityFlow, Enterprise, InvestmentProject
from borderlink.places.models import Unit
from borderlink.stats import rules_economy
from borderlink.stats.engine import Window, evaluate, evaluate_many
from borderlink.stats.indicators import Indicator
from borderlink.stats.models import ExchangeRate

pytestmark = pytest.mark.django_db

SEED_DAY = datetime.date(2021, 6, 30)
SINCE_2015 = Window(datetime.date(2015, 1, 1), SEED_DAY, SEED_DAY)


def test_the_demo_declares_the_seeds_five_fields_and_invents_no_enterprise() -> None:
    fig = evaluate("economy.cooperation_sectors", Unit.objects.get(code="VN-P02"), SINCE_2015, 0)
    assert fig.value == 5 and fig.basis == "declared"
    assert fig.declared is not None and "hydropower" in fig.declared.item
    assert not Enterprise.objects.exists() and not InvestmentProject.objects.exists()
    assert not ElectricityFlow.objects.exists()
    # The seed's trade total stays the one declared return, kept as printed (a quantity).
    printed = evaluate("trade.turnover_as_printed", Unit.objects.get(code="VN-P02"), SINCE_2015, 0)
    assert printed.value == 2548


def _figure(gate: Gate, month: int, measure: str, value: str, currency: str) -> GateFigure:
    start = datetime.date(2020, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return GateFigure.objects.create(
        gate=gate,
        home_unit=gate.home_unit,
        period_from=start,
        period_to=end,
        measure=measure,
        value=Decimal(value),
        unit_of_measure=currency,
    )


def test_the_turnover_indicator_matches_its_gate_records() -> None:
    gate = Gate.objects.get(code="VN-02-GATE-THANHTHUY")
    province = Unit.objects.get(code="VN-P02")
    before = evaluate("trade.gate_turnover", province, SINCE_2015, 3).value or Decimal(0)
    _figure(gate, 1, "import_value", "1250000.50", "USD")
    _figure(gate, 1, "export_value", "2400000", "USD")
    _figure(gate, 2, "export_value", "690000", "CNY")
    _figure(gate, 3, "persons_in", "100", "persons")  # not money: not turnover
    ExchangeRate.objects.create(
        currency="CNY", quote="USD", rate=Decimal("6.9"), on=datetime.date(2020, 1, 1)
    )
    fig = evaluate("trade.gate_turnover", province, SINCE_2015, 3)
    records = GateFigure.objects.filter(
        gate__unit__path__startswith=province.path,
        measure__in=["import_value", "export_value"],
        period_from__gte=SINCE_2015.start,
        period_to__lte=SINCE_2015.end,
    )
    usd = records.filter(unit_of_measure="USD").aggregate(s=Sum("value"))["s"]
    cny = records.filter(unit_of_measure="CNY").aggregate(s=Sum("value"))["s"]
    expected = Decimal(usd) + Decimal(cny) / Decimal("6.9")
    assert fig.value is not None and fig.value - before == pytest.approx(
        Decimal("3650000.50") + Decimal(100000), abs=Decimal("0.01")
    )
    assert fig.value == pytest.approx(expected, abs=Decimal("0.01"))
    # Outside the window nothing counts.
    later = Window(datetime.date(2021, 1, 1), SEED_DAY, SEED_DAY)
    assert evaluate("trade.gate_turnover", province, later, 3).value == 0


def _flow(home: str, direction: str, month: int, energy: str, unit: str = "MWh") -> None:
    start = datetime.date(2020, month, 1)
    ElectricityFlow.objects.create(
        home_unit=Unit.objects.get(code=home),
        counterpart=Unit.objects.get(code="CN-530000"),
        direction=direction,
        period_from=start,
        period_to=start + datetime.timedelta(days=27),
        energy=Decimal(energy),
        energy_unit=unit,
        value=Decimal(1000),
        currency="USD",
    )


def test_electricity_sums_energy_in_mwh_by_direction_through_the_tree() -> None:
    _flow("VN-D030", "purchase", 1, "1500")
    _flow("VN-D030", "purchase", 2, "250000", "kWh")
    _flow("VN-P02", "sale", 3, "1.5", "GWh")
    _flow("VN-D026", "purchase", 4, "10")
    window = Window(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), SEED_DAY)
    district = rules_economy.evaluate_electricity(Unit.objects.get(code="VN-D030"), window)
    assert district.mwh == {"purchase": Decimal("1750")} and district.records == 2
    province = rules_economy.evaluate_electricity(Unit.objects.get(code="VN-P02"), window)
    assert province.total_mwh(("purchase",)) == Decimal("1760")
    assert province.total_mwh(("sale",)) == Decimal("1500")
    assert province.values[("purchase", "USD")] == Decimal(3000)
    spring = Window(datetime.date(2020, 2, 1), datetime.date(2020, 3, 31), SEED_DAY)
    assert rules_economy.evaluate_electricity(Unit.objects.get(code="VN-P02"), spring).mwh == {
        "purchase": Decimal("250"),
        "sale": Decimal("1500"),
    }


def test_the_electricity_rule_gives_an_engine_figure() -> None:
    _flow("VN-D030", "purchase", 1, "1500")
    _flow("VN-D030", "sale", 2, "20")
    bought = Indicator(
        code="electricity.purchased",
        names={"vi": "Điện mua", "en": "Electricity bought", "zh": "购电"},
        unit={"vi": "MWh", "en": "MWh", "zh": "兆瓦时"},
        rule="electricity",
        direction=("purchase",),
    )
    from borderlink.places.scope import resolve

    window = Window(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), SEED_DAY)
    fig = rules_economy.figure(bought, resolve(Unit.objects.get(code="VN-P02"), SEED_DAY), window)
    assert fig.value == Decimal("1500") and fig.ledger_records == 1


def test_the_delegation_and_economy_indicators_are_declared() -> None:
    found = evaluate_many(
        ["delegations.sent", "economy.cooperation_sectors", "trade.gate_turnover"],
        Unit.objects.get(code="VN-P02"),
        SINCE_2015,
        0,
    )
    assert set(found) == {"delegations.sent", "economy.cooperation_sectors", "trade.gate_turnover"}


def test_electricity_is_an_indicator_of_the_engine() -> None:
    from tests.stats.helpers import stats

    _flow("VN-D030", "purchase", 1, "1500")
    _flow("VN-D030", "purchase", 2, "250000", "kWh")
    _flow("VN-P02", "sale", 3, "1.5", "GWh")
    window = ("--from", "2020-01-01", "--to", "2020-12-31", "--as-of", "2020-12-31")
    both = ("--indicator", "electricity.purchased", "--indicator", "electricity.sold")
    assert stats("--unit", "VN-P02", *window, *both) == {
        "electricity.purchased": 1750,
        "electricity.sold": 1500,
    }
    assert stats("--unit", "VN-D030", *window, *both) == {
        "electricity.purchased": 1750,
        "electricity.sold": 0,
    }
