"""Ledger entries and aggregate returns together: nothing counted twice; clearance."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from borderlink.ledger.models import AggregateReturn
from borderlink.stats.engine import Window, activities_behind, evaluate
from tests.stats.helpers import STATION, TIANBAO, add_activity, stats, unit

pytestmark = pytest.mark.django_db

LETTERS = ("--indicator", "station.letters")
LOG = 1456  # letters in the station's return, 2012-01-01 to 2021-06-30


def letters(*args: str) -> dict[str, Any]:
    return stats(*args, *LETTERS, "--detail")["station.letters"]


@pytest.fixture
def five_letters() -> list[int]:
    inside = [add_activity(on=d) for d in ("2012-01-01", "2016-05-05", "2021-06-30")]
    after = [add_activity(on=d) for d in ("2022-02-01", "2022-11-30")]
    return [a.pk for a in inside + after]


def test_letters_covered_by_the_return_are_not_added(five_letters: list[int]) -> None:
    got = letters("--unit", STATION)
    assert got["value"] == LOG + 2
    assert got["covered_by_returns"] == 3
    assert got["from_ledger"] == 5
    assert got["ledger_records"] == 5
    assert got["basis"] == "combined"
    assert [r["value"] for r in got["returns"]] == [LOG]


@pytest.mark.parametrize(
    "args",
    [
        ("--unit", STATION),
        ("--unit", "VN-C00928"),  # commune: read from the rollup
        ("--unit", "VN-D030"),
        ("--unit", "VN-P02"),
        ("--unit", "VN-P08-2025"),  # through the reform
    ],
)
def test_no_double_counting_from_every_level(five_letters: list[int], args: tuple[str]) -> None:
    assert stats(*args, *LETTERS) == {"station.letters": LOG + 2}


def test_evaluate_figure_detail(five_letters: list[int]) -> None:
    window = Window(None, datetime.date(2025, 6, 30), datetime.date(2025, 6, 30))
    fig = evaluate("station.letters", unit(STATION), window, 3)
    assert fig.value == LOG + 2
    assert fig.detail()["covered_by_returns"] == 3
    assert sorted(a.pk for a in activities_behind(fig, unit(STATION), window, 3)) == sorted(
        five_letters
    )


def test_period_after_the_return_sets_it_aside(five_letters: list[int]) -> None:
    with translation.override("en"):
        got = letters(
            "--unit", STATION, "--from", "2022-01-01", "--to", "2022-12-31", "--as-of", "2022-12-31"
        )
    assert got["value"] == 2
    assert got["returns"] == []
    assert got["covered_by_returns"] == 0
    assert got["basis"] == "records"
    assert [(r["value"], r["why"]) for r in got["set_aside"]] == [
        (LOG, "starts before the period, or its start is not known")
    ]


def test_period_ending_before_the_return_ends_sets_it_aside(five_letters: list[int]) -> None:
    got = letters("--unit", STATION, "--to", "2020-12-31", "--as-of", "2021-06-30")
    # The return ends after the period: only the two ledger letters of 2012 and 2016.
    assert got["value"] == 2
    assert got["returns"] == []
    assert [r["value"] for r in got["set_aside"]] == [LOG]


def test_period_exactly_the_returns_counts_it_once(five_letters: list[int]) -> None:
    got = letters(
        "--unit", STATION, "--from", "2012-01-01", "--to", "2021-06-30", "--as-of", "2021-06-30"
    )
    assert got["value"] == LOG
    assert got["covered_by_returns"] == 3


def test_return_boundaries_and_counterpart() -> None:
    add_activity(on="2011-12-31")  # the day before the return's period: counted
    add_activity(on="2021-07-01")  # the day after: counted
    add_activity(on="2015-01-01", count=4)  # inside, four times: covered, not added
    assert letters("--unit", STATION)["value"] == LOG + 2
    assert letters("--unit", STATION)["covered_by_returns"] == 4


def test_other_kinds_are_not_covered_by_the_letters_return() -> None:
    add_activity(on="2015-01-01", kind="meeting", count=2)
    got = stats("--unit", STATION, "--indicator", "station.talks", "--indicator", "station.letters")
    # The talks log (322) covers the two meetings; the letters are untouched.
    assert got == {"station.talks": 322, "station.letters": LOG}


def test_persons_covered_by_the_handover_return() -> None:
    add_activity(on="2019-03-03", kind="handover", persons=5)
    add_activity(on="2023-03-03", kind="handover", persons=7, count=2)
    got = stats(
        "--unit",
        STATION,
        "--indicator",
        "station.handovers",
        "--indicator",
        "station.persons_handed_over",
    )
    assert got == {"station.handovers": 384 + 2, "station.persons_handed_over": 2693 + 7}


# Clearance -----------------------------------------------------------------------------------


@pytest.fixture
def confidential() -> int:
    add_activity(on="2022-03-03")  # internal (1), after the return
    return add_activity(on="2022-06-01", sensitivity=2).pk


@pytest.mark.parametrize("where", [STATION, "VN-C00928", "VN-P02"])
def test_confidential_letter_needs_clearance(confidential: int, where: str) -> None:
    assert stats("--unit", where, "--clearance", "1", *LETTERS) == {"station.letters": LOG + 1}
    assert stats("--unit", where, "--clearance", "2", *LETTERS) == {"station.letters": LOG + 2}
    assert stats("--unit", where, *LETTERS) == {"station.letters": LOG + 2}
    assert stats("--unit", where, "--clearance", "0", *LETTERS) == {"station.letters": LOG}


def test_activities_behind_respects_clearance(confidential: int) -> None:
    window = Window(None, datetime.date(2025, 6, 30), datetime.date(2025, 6, 30))
    fig = evaluate("station.letters", unit(STATION), window, 1)
    assert fig.value == LOG + 1
    behind_1 = list(activities_behind(fig, unit(STATION), window, 1).values_list("pk", flat=True))
    behind_2 = list(activities_behind(fig, unit(STATION), window, 2).values_list("pk", flat=True))
    assert confidential not in behind_1
    assert len(behind_1) == 1
    assert confidential in behind_2
    assert len(behind_2) == 2


def test_confidential_letter_inside_the_return_is_neither_added_nor_taken_off() -> None:
    add_activity(on="2015-06-01", sensitivity=2)
    for clearance in ("1", "2", "3"):
        got = letters("--unit", STATION, "--clearance", clearance)
        assert got["value"] == LOG, clearance
    assert letters("--unit", STATION, "--clearance", "1")["covered_by_returns"] == 0
    assert letters("--unit", STATION, "--clearance", "2")["covered_by_returns"] == 1


# Several returns -----------------------------------------------------------------------------


def add_return(**fields: Any) -> AggregateReturn:
    values: dict[str, Any] = {
        "home_unit": unit(STATION),
        "counterpart": unit(TIANBAO),
        "kind": "letter",
        "measure": "count",
        "period_from": datetime.date(2012, 1, 1),
        "period_to": datetime.date(2021, 6, 30),
        "value": Decimal(LOG),
    }
    values.update(fields)
    for name in ("home_unit", "counterpart"):
        if isinstance(values[name], str):
            values[name] = unit(values[name])
    return AggregateReturn.objects.create(**values)


def test_a_repeated_return_is_counted_once() -> None:
    repeat = add_return()
    got = letters("--unit", STATION)
    assert got["value"] == LOG
    assert [r["id"] for r in got["set_aside"]] == [repeat.pk]


def test_a_shorter_return_inside_the_log_is_counted_once() -> None:
    inner = add_return(
        period_from=datetime.date(2015, 1, 1), period_to=datetime.date(2015, 12, 31), value=100
    )
    add_activity(on="2015-06-06")  # covered by both: taken off once
    got = letters("--unit", STATION)
    assert got["value"] == LOG
    assert got["covered_by_returns"] == 1
    assert [r["id"] for r in got["set_aside"]] == [inner.pk]
    # A period of 2015 alone has only the inner return.
    got = letters("--unit", STATION, "--from", "2015-01-01", "--to", "2015-12-31")
    assert got["value"] == 100
    assert got["covered_by_returns"] == 1


def test_a_return_of_a_wider_unit_for_another_period_adds() -> None:
    add_return(
        home_unit="VN-C00928",
        counterpart=None,
        period_from=datetime.date(2021, 7, 1),
        period_to=datetime.date(2021, 12, 31),
        value=40,
    )
    assert stats("--unit", "VN-C00928", *LETTERS) == {"station.letters": LOG + 40}
    # The station's own figure does not see the commune's return.
    assert stats("--unit", STATION, *LETTERS) == {"station.letters": LOG}


def test_aid_received_covered_through_the_counterpart_tree() -> None:
    add_activity(
        home="VN-P02",
        on="2020-06-01",
        kind="aid_received",
        counterpart="CN-450000",
        value=100_000_000,
        currency="VND",
    )
    add_activity(
        home="VN-P02",
        on="2020-07-01",
        kind="aid_received",
        counterpart="CN-530000",
        value=10_000_000,
        currency="VND",
    )
    add_activity(  # another currency: not in a VND figure
        home="VN-P02",
        on="2020-07-02",
        kind="aid_received",
        counterpart="CN-530000",
        value=5_000,
        currency="USD",
    )
    add_activity(  # after both returns
        home="VN-P02",
        on="2021-09-01",
        kind="aid_received",
        counterpart="CN-530000",
        value=7_000_000,
        currency="VND",
    )
    aid = ("--indicator", "aid.received_value", "--detail")
    # 2021 tree: the China return (42 bn) covers both 2020 deliveries; September 2021 adds.
    got = stats("--unit", "VN-P02", "--as-of", "2021-12-31", *aid)["aid.received_value"]
    assert got["value"] == 42_000_000_000 + 7_000_000
    assert got["covered_by_returns"] == 110_000_000
    # End of 2020: only the Guangxi return (480 m) counts; it covers the Guangxi delivery, not
    # the Yunnan one.
    got = stats("--unit", "VN-P02", "--as-of", "2020-12-31", *aid)["aid.received_value"]
    assert got["value"] == 480_000_000 + 10_000_000
    assert got["covered_by_returns"] == 100_000_000


def test_an_entry_covered_by_two_counted_returns_is_taken_off_once() -> None:
    # Both 2020 returns of masks given count (Yunnan 20,000; the three offices 800, no
    # counterpart). A delivery of 100 masks to Yunnan in 2020 is inside what they declare: it
    # may be taken off once, never twice.
    add_activity(
        home="VN-P02", on="2020-05-05", kind="aid_given", counterpart="CN-530000", quantity=100
    )
    got = stats(
        "--unit", "VN-P02", "--as-of", "2021-06-30", "--indicator", "aid.given_quantity", "--detail"
    )["aid.given_quantity"]
    assert got["from_ledger"] == 100
    assert got["covered_by_returns"] == 100
    assert got["value"] == 20800


def test_a_provinces_return_covers_the_entries_of_its_districts() -> None:
    """The province declares "more than 2,000 workers sent to Wenshan since 2014" (seed-000); a
    district's dispatch to Malipo inside that period is part of it, not added to it."""
    province = unit("VN-P02")
    declared = AggregateReturn.objects.get(
        home_unit=province, kind="labour_dispatch", counterpart__code="CN-532600"
    )
    window = Window(None, declared.period_to, declared.period_to)
    before = evaluate("labour.workers_sent", province, window, 3).value
    assert before is not None
    inside = add_activity(
        home="VN-D030",
        on=declared.period_to.isoformat(),
        kind="labour_dispatch",
        counterpart="CN-532624",
        persons=7,
    )
    fig = evaluate("labour.workers_sent", province, window, 3)
    assert fig.value == before and fig.covered_by_returns == 7
    assert inside in declared.overlapping_activities()  # the return's page lists it
    # After the period it adds; so does a dispatch to a partner outside the return's.
    later = window.end + datetime.timedelta(days=1)
    add_activity(
        home="VN-D030",
        on=later.isoformat(),
        kind="labour_dispatch",
        counterpart="CN-532624",
        persons=5,
    )
    add_activity(
        home="VN-D030",
        on=declared.period_to.isoformat(),
        kind="labour_dispatch",
        counterpart="CN-451000",
        persons=3,
    )
    wider = Window(None, later, later)
    assert evaluate("labour.workers_sent", province, wider, 3).value == before + 5 + 3


def test_a_return_with_a_direction_covers_and_counts_only_that_way() -> None:
    """The 158 scholarships Guangxi granted Hà Giang (received, seed-000) do not hold a
    scholarship Hà Giang gave to a Baise student; a directional indicator leaves the other way's
    return out."""
    from dataclasses import replace

    from borderlink.places.scope import resolve
    from borderlink.stats import indicators
    from borderlink.stats.engine import _evaluate_ledger, ledger_sums

    province = unit("VN-P02")
    declared = AggregateReturn.objects.get(
        home_unit=province, kind="scholarship", counterpart__code="CN-450000"
    )
    assert declared.direction == "received"
    window = Window(declared.period_from, declared.period_to, declared.period_to)
    before = evaluate("education.scholarships", province, window, 3)
    assert before.value == 158
    received = add_activity(
        home="VN-P02",
        on="2015-09-01",
        kind="scholarship",
        counterpart="CN-451000",
        direction="received",
    )
    add_activity(
        home="VN-P02",
        on="2015-09-01",
        kind="scholarship",
        counterpart="CN-451000",
        direction="sent",
    )
    after = evaluate("education.scholarships", province, window, 3)
    assert after.value == 158 + 1 and after.covered_by_returns == 1
    assert list(declared.overlapping_activities()) == [received]
    # An indicator of the scholarships given only: the received return is not part of it.
    given = replace(indicators.get("education.scholarships"), direction=("sent",))
    scope = resolve(province, window.as_of)
    sums = ledger_sums(scope, window, given.kinds, 3)
    returns = list(AggregateReturn.objects.filter(kind="scholarship"))
    fig = _evaluate_ledger(given, scope, window, 3, sums, returns)
    assert fig.value == 1 and not fig.returns


def test_returns_that_overlap_without_nesting_count_once() -> None:
    """Two declared totals of the station's letters, 2012–2018 and 2016–2021, share 2016–2018
    and cannot be split: the longer counts, the other is set aside with the reason."""
    station = unit(STATION)
    log = AggregateReturn.objects.get(home_unit=station, kind="letter", value=LOG)
    fields = {
        "home_unit": station,
        "counterpart": log.counterpart,
        "kind": "letter",
        "measure": "count",
    }
    with translation.override("en"):
        early = AggregateReturn.objects.create(
            **fields,
            period_from=datetime.date(2012, 1, 1),
            period_to=datetime.date(2018, 12, 31),
            value=Decimal(900),
        )
        late = AggregateReturn.objects.create(
            **fields,
            period_from=datetime.date(2016, 1, 1),
            period_to=datetime.date(2021, 6, 30),
            value=Decimal(800),
        )
        window = Window(
            datetime.date(2012, 1, 1), datetime.date(2021, 6, 30), datetime.date(2021, 6, 30)
        )
        fig = evaluate("station.letters", station, window, 3)
        # The seed's log (2012 – 30/06/2021) holds both; it is the longest and counts alone.
        assert fig.value == LOG
        assert {r.pk for r, _why in fig.set_aside} >= {early.pk, late.pk}
        # Without the log, the two overlap: the longer (2012–2018, 7 years) counts.
        log.delete()
        fig = evaluate("station.letters", station, window, 3)
        assert fig.value == 900
        assert [str(why) for r, why in fig.set_aside if r.pk == late.pk] == [
            "overlaps a longer return: counting both would count their common part twice"
        ]
        # A 2020 total inside the set-aside one, clear of the counted one, still counts.
        AggregateReturn.objects.create(
            **fields,
            period_from=datetime.date(2020, 1, 1),
            period_to=datetime.date(2020, 12, 31),
            value=Decimal(120),
        )
        assert evaluate("station.letters", station, window, 3).value == 900 + 120
