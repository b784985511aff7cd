"""The dashboard answers "how is it going": this period against another, trends by year and by
month from the ledger, declared returns as totals over their own periods; every number opens
its figure."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.stats import compare, trend
from borderlink.stats.engine import Window, evaluate
from tests.stats.helpers import STATION, add_activity, unit

pytestmark = pytest.mark.django_db

PROVINCE = "VN-P02"
END = datetime.date(2022, 3, 31)
WINDOW = Window(datetime.date(2022, 1, 1), END, END)
DASHBOARD = f"/stats/dashboard/{PROVINCE}/?from=2022-01-01&to=2022-03-31&as_of=2022-03-31"


@pytest.fixture
def letters() -> None:
    """Three letters in the first quarter of 2022, two in the same days of 2021 and one after
    them (April 2021, outside the comparison)."""
    for on in ("2022-01-10", "2022-02-10", "2022-03-31"):
        add_activity(on=on)
    for on in ("2021-01-10", "2021-03-31", "2021-04-02"):
        add_activity(on=on)


def test_same_day_last_year_and_the_chosen_period() -> None:
    assert compare.same_day_last_year(datetime.date(2024, 2, 29)) == datetime.date(2023, 2, 28)
    before, is_last_year = compare.chosen(WINDOW, None, None)
    assert before == Window(datetime.date(2021, 1, 1), datetime.date(2021, 3, 31), END)
    assert is_last_year
    chosen = compare.chosen(WINDOW, datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))
    assert chosen == (Window(datetime.date(2019, 1, 1), datetime.date(2019, 12, 31), END), False)
    # Ends in the wrong order fall back to last year's days; "since the first record" has none.
    assert compare.chosen(WINDOW, datetime.date(2019, 12, 31), datetime.date(2019, 1, 1))[1]
    assert compare.last_year(Window(None, END, END)) is None


def test_a_figure_against_last_year(letters: None) -> None:
    station = unit(STATION)
    now = evaluate("station.letters", station, WINDOW, 3)
    before_window = compare.last_year(WINDOW)
    assert before_window is not None
    before = evaluate("station.letters", station, before_window, 3)
    with translation.override("en"):
        c = compare.compare(now, before)
        assert (c.text, c.before_text, c.change, c.percent) == (
            "3 letters",
            "2 letters",
            "+1",
            "+50%",
        )
        # A ratio is compared by showing both, not by subtracting them.
        paired = evaluate("coverage.stations_paired", station, WINDOW, 3)
        assert compare.compare(paired, paired).change == ""
    with translation.override("vi"):
        assert compare.signed(Decimal(-1456)) == "−1.456"


def test_the_dashboard_shows_each_figure_beside_the_same_days_of_last_year(
    letters: None, editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    client.cookies["django_language"] = "en"
    page = client.get(DASHBOARD).content.decode()
    assert "compared with 01/01/2021 – 31/03/2021" in page
    tile = page.split('data-indicator="station.letters"')[1].split('data-indicator="')[0]
    assert ">3 letters</a>" in tile
    assert "Same period of 2021:" in tile and ">2 letters</a>" in tile and "+1 (+50%)" in tile
    # Both numbers open their own figure page, the records behind them.
    links = re.findall(r'href="(/stats/figure/station\.letters/[^"]+)"', tile)
    assert [link.replace("&amp;", "&") for link in links] == [
        f"/stats/figure/station.letters/{PROVINCE}/?from=2022-01-01&to=2022-03-31&as_of=2022-03-31",
        f"/stats/figure/station.letters/{PROVINCE}/?from=2021-01-01&to=2021-03-31&as_of=2022-03-31",
    ]
    before = client.get(links[1].replace("&amp;", "&")).content.decode()
    assert 'id="figure-value">2 letters<' in before
    # A chosen period instead of last year's.
    chosen = client.get(f"{DASHBOARD}&compare_from=2021-01-01&compare_to=2021-12-31").content
    tile = chosen.decode().split('data-indicator="station.letters"')[1].split("data-indicator=")[0]
    assert (
        "01/01/2021 – 31/12/2021:" in tile and ">3 letters</a>" in tile and "+0 (+0%)" not in tile
    )


def test_the_year_trend_shows_declared_returns_as_totals_over_their_own_periods(
    letters: None,
) -> None:
    since_first = Window(None, END, END)
    with translation.override("en"):
        chart = trend.by_year(["station.letters"], unit(PROVINCE), since_first, 3)
    # The station's return (1,456 letters, 2012 to 30/06/2021) is one band over its period,
    # not a zero in each of its years nor a share of it in each.
    assert [(d.series, d.text, d.period) for d in chart.declared] == [
        ("Letters exchanged", "1,456 letters", "01/01/2012 – 30/06/2021")
    ]
    assert len(chart.bands) == 1 and "1,456 letters" in chart.bands[0].text
    rows = {row.label: row.cells[0] for row in chart.rows}
    assert chart.rows[0].label == "2012" and chart.rows[-1].label == "2022"
    # Bars are the ledger alone: 2021 holds three letters, one of them after the return's end.
    assert (rows["2021"].text, rows["2022"].text, rows["2015"].text) == ("3", "3", "0")
    assert rows["2015"].in_declared and rows["2021"].in_declared and not rows["2022"].in_declared
    assert rows["2022"].url.endswith("?from=2022-01-01&to=2022-03-31&as_of=2022-03-31")
    assert len(chart.bars) == 2  # 2021 and 2022; no bar drawn for a year with nothing recorded
    # The band covers 2012 to half-way through 2021: from the first column's left edge.
    band = chart.bands[0]
    column = (chart.plot_right - chart.plot_left) / len(rows)
    assert band.x == pytest.approx(chart.plot_left, abs=0.1)
    assert band.x + band.width == pytest.approx(chart.plot_left + column * (9 + 181 / 365), abs=0.2)


def test_every_number_of_the_trends_opens_the_same_figure(
    letters: None, editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        year = trend.by_year(["station.letters"], unit(PROVINCE), WINDOW, 3)
        month = trend.by_month("station.letters", unit(PROVINCE), WINDOW, 3)
    assert [row.label for row in month.rows][:3] == ["Jan", "Feb", "Mar"]
    assert [c.text for c in month.rows[2].cells] == ["1", "1"]  # March 2021, March 2022
    assert [c.text for c in month.rows[3].cells] == ["1", "—"]  # April: 2022 is not over yet
    assert month.rows[3].cells[1].url == ""
    cells = [c for row in year.rows[-2:] + month.rows[:4] for c in row.cells if c.url]
    assert len(cells) == 9  # two years, four months of two years but April 2022
    for cell in cells:
        page = client.get(cell.url).content.decode()
        shown = re.search(r'id="figure-value">([^<]*)<', page)
        assert shown is not None
        assert shown.group(1).split()[0] == cell.text, cell.url


def test_the_dashboard_draws_both_trends_and_says_when_nothing_is_recorded(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    client.cookies["django_language"] = "en"
    page = client.get(f"/stats/dashboard/{PROVINCE}/?from=&to=2021-06-30&as_of=2021-06-30")
    html = page.content.decode()
    assert html.count('class="bl-trend-chart"') == 2
    assert "Letters exchanged: 1,456 letters (01/01/2012 – 30/06/2021)" in html
    # No comparison for a period with no start; the month chart is empty and says so.
    assert 'id="dashboard-compared"' not in html
    assert "No entries are recorded in the ledger one by one in this time." in html


def test_a_year_inside_a_multi_year_return_says_the_total_is_not_split(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    client.cookies["django_language"] = "en"
    year = client.get(
        f"/stats/dashboard/{PROVINCE}/?from=2020-01-01&to=2020-12-31&as_of=2020-12-31"
    )
    tile = (
        year.content.decode()
        .split('data-indicator="station.letters"')[1]
        .split("data-indicator=")[0]
    )
    # The year's figure counts no share of the 2012–2021 total, and says why it is not there.
    assert ">0 letters</a>" in tile
    assert "Not in this figure: a declared total that cannot be split by period," in tile
    assert ">1,456 letters</a> (01/01/2012 – 30/06/2021)" in tile
    # A period after the return's end shares no day with it: nothing to say.
    later = client.get(DASHBOARD).content.decode()
    tile = later.split('data-indicator="station.letters"')[1].split("data-indicator=")[0]
    assert "figure-unsplit" not in tile


def test_a_return_running_past_the_charts_end_is_still_drawn_over_its_years() -> None:
    year_2020 = Window(
        datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), datetime.date(2020, 12, 31)
    )
    with translation.override("en"):
        chart = trend.by_year(["station.letters"], unit(PROVINCE), year_2020, 3)
    assert [(d.text, d.period) for d in chart.declared] == [
        ("1,456 letters", "01/01/2012 – 30/06/2021")
    ]
    assert chart.rows[0].label == "2012" and chart.rows[-1].label == "2020"
    band = chart.bands[0]
    assert band.x + band.width == pytest.approx(chart.plot_right, abs=0.2)  # to the chart's edge
    assert all(row.cells[0].in_declared for row in chart.rows)
