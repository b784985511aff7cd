"""Delegation figures broken down by level, channel and partner on the figure page: the groups add
up to the figure, each opens down to its entries, and the breakdown exports as CSV."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.delegations import workflow
from borderlink.delegations.models import Delegation
from borderlink.ledger.models import AggregateReturn
from borderlink.places.models import Unit
from borderlink.stats import breakdown, indicators
from borderlink.stats.engine import Window, activities_behind, evaluate
from tests.delegations.conftest import make_delegation, ready_to_leave

pytestmark = pytest.mark.django_db

PERIOD = "from=2020-01-01&to=2020-12-31&as_of=2020-12-31"
WINDOW = Window(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), datetime.date(2020, 12, 31))


def leave(delegation: Delegation) -> Delegation:
    ready_to_leave(delegation)
    workflow.move(delegation, "approved")
    workflow.move(delegation, "under_way")
    return delegation


@pytest.fixture
def three_sent() -> list[Delegation]:
    """Two district delegations in person to Malipo, one provincial one online to Yunnan."""
    return [
        leave(make_delegation()),
        leave(
            make_delegation(
                title="Đoàn huyện Vị Xuyên lần hai",
                starts_on=datetime.date(2020, 9, 1),
                ends_on=datetime.date(2020, 9, 2),
            )
        ),
        leave(
            make_delegation(
                home="VN-P02",
                level="province",
                channel="online",
                counterpart=Unit.objects.get(code="CN-530000"),
                title="Hội đàm trực tuyến với tỉnh Vân Nam",
            )
        ),
    ]


def table(page: str) -> dict[str, str]:
    """The breakdown table's rows as label → figure."""
    import re

    body = page.split('id="breakdown-table"')[1].split("</tbody>")[0]
    rows = re.findall(r"<tr[^>]*><td><a [^>]*>(.*?)</a></td><td[^>]*>([^<]*)</td>", body, re.S)
    return {re.sub(r"<[^>]+>", "", label).strip(): value for label, value in rows}


def test_the_groups_add_up_to_the_figure_and_open_to_their_entries(
    three_sent: list[Delegation], editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    client.cookies["django_language"] = "en"
    url = f"/stats/figure/delegations.sent/VN-P02/?{PERIOD}"
    by_level = client.get(f"{url}&by=delegation_level").content.decode()
    by_channel = client.get(f"{url}&by=channel").content.decode()
    by_partner = client.get(f"{url}&by=partner").content.decode()
    assert table(by_level) == {"District": "2", "Province": "1"}
    assert table(by_channel) == {"In person": "2", "Online": "1"}
    partners = table(by_partner)
    assert sorted(partners.values()) == ["1", "2"] and len(partners) == 2
    # Opening a group lists its entries only.
    online = client.get(f"{url}&by=channel&only=online").content.decode()
    entries = online.split('id="ledger-entries"')[1]
    assert "Hội đàm trực tuyến với tỉnh Vân Nam" in entries
    assert "Đoàn huyện Vị Xuyên" not in entries


def test_the_breakdown_sums_to_the_engine_figure_with_returns_beside_it(
    three_sent: list[Delegation], editor: User, client_of: Callable[[User], Client]
) -> None:
    province = Unit.objects.get(code="VN-P02")
    with acting_as(None, reason="test"):
        AggregateReturn.objects.create(
            home_unit=province,
            kind="delegation",
            direction="sent",
            measure="count",
            period_from=datetime.date(2020, 1, 1),
            period_to=datetime.date(2020, 6, 30),
            value=Decimal(5),
        )
    fig = evaluate("delegations.sent", province, WINDOW, 3)
    ind = indicators.get("delegations.sent")
    for dimension in breakdown.offered(ind):
        groups = breakdown.break_down(ind, activities_behind(fig, province, WINDOW, 3), dimension)
        assert sum(g.total for g in groups) == fig.from_ledger, dimension.name
    client = client_of(editor)
    client.cookies["django_language"] = "en"
    response = client.get(
        f"/stats/figure/delegations.sent/VN-P02/?{PERIOD}&by=partner_country&export=csv"
    )
    assert response["Content-Disposition"].endswith('-partner_country-2020-12-31.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Partner's country", "Delegations sent", "Ledger entries"]
    assert rows[1] == ["China", "3", "3"]
    named = {row[0]: Decimal(row[1]) for row in rows[1:]}
    # The file adds up on its own: the entries, plus the return, less what it already covers.
    assert named["Ledger entries in all"] == 3
    assert named["Declared in aggregate returns (no breakdown)"] == 5
    # The province's return is its whole total: both June delegations, the district's included.
    assert named["Already counted in those returns"] == -2
    assert named["Delegations sent"] == fig.value == 6
    # A return that does not say which way counts in neither one-way figure, and says why.
    with acting_as(None, reason="test"):
        AggregateReturn.objects.filter(kind="delegation").update(direction="")
    again = evaluate("delegations.sent", province, WINDOW, 3)
    assert again.value == 3 and not again.returns
    with translation.override("en"):
        assert [str(why) for _r, why in again.set_aside] == [
            "counts both directions; this figure counts one"
        ]


def test_dimensions_follow_the_indicator() -> None:
    names = [d.name for d in breakdown.offered(indicators.get("delegations.sent"))]
    assert names[0] == "delegation_level" and {"channel", "partner"} <= set(names)
    letters = [d.name for d in breakdown.offered(indicators.get("station.letters"))]
    assert "delegation_level" not in letters and letters[0] == "unit_kind"
    assert breakdown.chosen(indicators.get("station.letters"), "nonsense").name == "unit_kind"
