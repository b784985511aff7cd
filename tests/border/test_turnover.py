"""Trade turnover by gate and period from gate statistics, rolled up through the reform."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from borderlink.accounts.models import User
from borderlink.border.models import Alert, Gate, GateFigure
from borderlink.places.models import Unit
from borderlink.stats.engine import Window
from borderlink.stats.models import ExchangeRate
from borderlink.stats.rules_border import acknowledge_times, evaluate_turnover
from tests.typed import Login

pytestmark = pytest.mark.django_db


def put(gate: str, start: str, end: str, measure: str, value: str, unit: str) -> None:
    g = Gate.objects.get(code=gate)
    GateFigure.objects.create(
        gate=g,
        home_unit=g.home_unit,
        period_from=datetime.date.fromisoformat(start),
        period_to=datetime.date.fromisoformat(end),
        measure=measure,
        value=Decimal(value),
        unit_of_measure=unit,
    )


@pytest.fixture
def figures(db: None) -> None:
    put("VN-02-GATE-THANHTHUY", "2020-01-01", "2020-01-31", "import_value", "1000000", "USD")
    put("VN-02-GATE-THANHTHUY", "2020-01-01", "2020-01-31", "export_value", "2500000", "USD")
    put("VN-02-GATE-THANHTHUY", "2020-02-01", "2020-02-29", "export_value", "700000", "CNY")
    put("VN-02-GATE-XINMAN", "2020-02-10", "2020-02-10", "import_value", "50000", "USD")
    put("VN-02-GATE-THANHTHUY", "2021-01-01", "2021-01-31", "export_value", "9", "USD")  # outside
    put("VN-02-GATE-THANHTHUY", "2020-01-01", "2020-01-31", "persons_in", "400", "persons")


def test_turnover_adds_imports_and_exports_per_currency_in_the_period(figures: None) -> None:
    hg = Unit.objects.get(code="VN-P02")
    window = Window(
        datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), datetime.date(2020, 12, 31)
    )
    result = evaluate_turnover(hg, window, "USD")
    assert result.by_currency == {"USD": Decimal(3550000), "CNY": Decimal(700000)}
    assert result.records == 4
    assert result.total is None and result.unconverted == ["CNY"]  # no dated rate: not added
    rows = {(r[0].code, r[1], r[2]): (r[3], r[4]) for r in result.rows}
    assert rows[("VN-02-GATE-THANHTHUY", "2020-01", "USD")] == (Decimal(1000000), Decimal(2500000))
    assert rows[("VN-02-GATE-XINMAN", "2020-02", "USD")] == (Decimal(50000), Decimal(0))

    ExchangeRate.objects.create(
        currency="CNY", quote="USD", rate=Decimal("7"), on=datetime.date(2020, 1, 15)
    )
    result = evaluate_turnover(hg, window, "USD")
    assert result.total == Decimal(3650000)
    by_year = evaluate_turnover(hg, window, "USD", by="year")
    assert {r[1] for r in by_year.rows} == {"2020"}


def test_a_district_sees_its_own_gate_only(figures: None) -> None:
    window = Window(None, datetime.date(2020, 12, 31), datetime.date(2020, 12, 31))
    vixuyen = evaluate_turnover(Unit.objects.get(code="VN-D030"), window, "USD")
    assert vixuyen.by_currency == {"USD": Decimal(3500000), "CNY": Decimal(700000)}


def test_after_the_reform_old_ha_giangs_gates_count_for_tuyen_quang(figures: None) -> None:
    window = Window(
        datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), datetime.date(2025, 8, 1)
    )
    result = evaluate_turnover(Unit.objects.get(code="VN-P08-2025"), window, "USD")
    assert result.by_currency["USD"] == Decimal(3550000)


def test_the_figures_page_shows_turnover_and_acknowledgement_times(
    figures: None, client_of: Login, editor: User
) -> None:
    issued = datetime.datetime(2020, 7, 1, 1, 0, tzinfo=datetime.UTC)
    Alert.objects.create(
        identifier="a1",
        sender="s",
        direction="sent",
        home_unit=Unit.objects.get(code="VN-P02"),
        hazard="storm",
        event="Bão",
        severity="Severe",
        urgency="Expected",
        certainty="Likely",
        issued_at=issued,
        acknowledged_at=issued + datetime.timedelta(minutes=40),
        area_desc="x",
        headline_vi="Bão",
    )
    window = Window(
        datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), datetime.date(2020, 12, 31)
    )
    acks = acknowledge_times(Unit.objects.get(code="VN-P02"), window)
    assert acks.count == 1 and acks.median_minutes == 40
    client: Client = client_of(editor)
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get(
        "/border/indicators/?unit=VN-P02&from=2020-01-01&to=2020-12-31&as_of=2020-12-31"
    ).content.decode()
    assert "3,550,000 USD" in page and "700,000 CNY" in page
    assert "median 40 minutes" in page


def test_the_engine_entry_gives_a_figure_in_the_indicators_currency(figures: None) -> None:
    from borderlink.places.scope import resolve
    from borderlink.stats.indicators import Indicator
    from borderlink.stats.rules_border import figure

    ind = Indicator(
        code="trade.gate_turnover",
        names={"vi": "Kim ngạch", "en": "Turnover", "zh": "贸易额"},
        unit={"vi": "USD", "en": "USD", "zh": "美元"},
        rule="gate_trade",
        currency="USD",
    )
    window = Window(
        datetime.date(2020, 1, 1), datetime.date(2020, 1, 31), datetime.date(2020, 12, 31)
    )
    scope = resolve(Unit.objects.get(code="VN-P02"), window.as_of)
    fig = figure(ind, scope, window)
    assert fig.value == Decimal(3500000) and fig.currency == "USD" and fig.ledger_records == 2
    feb = Window(datetime.date(2020, 2, 1), datetime.date(2020, 2, 29), datetime.date(2020, 12, 31))
    assert figure(ind, scope, feb).value is None  # CNY without a dated rate: no total


def test_turnover_is_an_indicator_of_the_engine(figures: None) -> None:
    from tests.stats.helpers import stats

    got = stats(
        "--unit",
        "VN-P02",
        "--from",
        "2020-01-01",
        "--to",
        "2020-12-31",
        "--as-of",
        "2020-12-31",
        "--indicator",
        "trade.gate_turnover",
        "--detail",
    )["trade.gate_turnover"]
    # CNY has no dated rate yet: no total rather than a wrong one.
    assert got["value"] is None and got["basis"] == "none"
    ExchangeRate.objects.create(
        currency="CNY", quote="USD", rate=Decimal("7"), on=datetime.date(2020, 1, 15)
    )
    window = ("--from", "2020-01-01", "--to", "2020-12-31", "--as-of", "2020-12-31")
    for unit in ("VN-P02", "VN-02-GATE-THANHTHUY"):
        expect = 3_650_000 if unit == "VN-P02" else 3_600_000
        assert stats("--unit", unit, *window, "--indicator", "trade.gate_turnover") == {
            "trade.gate_turnover": expect
        }, unit
    # Today's Tuyên Quang holds what old Hà Giang's gates reported.
    assert stats(
        "--unit",
        "VN-P08-2025",
        "--from",
        "2020-01-01",
        "--to",
        "2020-12-31",
        "--indicator",
        "trade.gate_turnover",
    ) == {"trade.gate_turnover": 3_650_000}
