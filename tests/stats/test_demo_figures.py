"""DOMAIN parts 2, 6, 7 and 10 through `borderlink stats` on the demo; reform roll-up; no double
counting; clearance."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.stats import rollup
from borderlink.stats.engine import Window, activities_behind, evaluate

pytestmark = pytest.mark.django_db

STATION = "VN-02-BGS-THANHTHUY"


def stats(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return json.loads(out.getvalue())


def test_part7_station_log() -> None:
    assert stats("--unit", STATION) == {
        **stats("--unit", STATION),
        "station.letters": 1456,
        "station.talks": 322,
        "station.political_exchanges": 1,
        "station.unscheduled_exchanges": 107,
        "station.phone_calls": 144,
        "station.joint_checks": 31,
        "station.handovers": 384,
        "station.persons_handed_over": 2693,
    }


def test_parts_2_6_10_as_of_seed_000() -> None:
    got = stats("--unit", "VN-P02", "--as-of", "2021-06-30")
    expected = {
        "units.border_districts": 7,
        "units.border_communes": 34,
        "units.border_stations": 12,
        "agreements.provincial_in_force": 14,
        "coverage.border_districts_paired": "6/7",
        "coverage.commune_clusters_paired": "14/14",
        "coverage.border_communes_paired": "34/34",
        "coverage.stations_paired": "12/12",
        "count.residential_areas_paired": 14,
        "count.chinese_villages_towns_paired": 11,
        "count.departments_with_partners": 20,
        "ties.cooperation_since": 1991,
        "aid.received_value": 42_000_000_000,
        "aid.given_quantity": 20_800,
    }
    assert {k: got[k] for k in expected} == expected
    detail = stats(
        "--unit",
        "VN-P02",
        "--as-of",
        "2021-06-30",
        "--detail",
        "--indicator",
        "aid.received_value",
        "--indicator",
        "aid.given_quantity",
        "--indicator",
        "count.departments_with_partners",
    )
    received = detail["aid.received_value"]
    assert received["qualifier"] == "more_than"
    assert [r["value"] for r in received["set_aside"]] == [480_000_000]  # inside the China total
    given = detail["aid.given_quantity"]
    assert sorted(r["value"] for r in given["returns"]) == [800, 20_000]
    assert [(r["value"], r["per"]) for r in given["rates"]] == [(5000, "time")]
    assert detail["count.departments_with_partners"]["qualifier"] == "more_than"


def test_other_seed_at_its_own_date() -> None:
    got = stats(
        "--unit",
        "VN-P02",
        "--as-of",
        "2020-12-31",
        "--detail",
        "--indicator",
        "coverage.border_districts_paired",
        "--indicator",
        "aid.received_value",
    )
    assert got["coverage.border_districts_paired"]["value"] == "5/7"
    assert got["aid.received_value"]["value"] == 480_000_000
    assert got["aid.received_value"]["qualifier"] == "nearly"


def test_reform_rolls_up_through_successors_and_not_before() -> None:
    assert stats("--unit", "VN-P08-2025", "--indicator", "station.letters") == {
        "station.letters": 1456
    }
    assert stats("--unit", "VN-P02", "--as-of", "2021-06-30", "--indicator", "station.letters") == {
        "station.letters": 1456
    }
    with pytest.raises(CommandError, match="VN-P08-2025"):
        stats("--unit", "VN-P02", "--as-of", "2026-01-01", "--indicator", "station.letters")
    with pytest.raises(CommandError, match=r"VN-P08-2025\).*30/06/2025"):
        stats("--unit", "VN-P08-2025", "--as-of", "2025-06-30", "--indicator", "station.letters")


def _letter(day: datetime.date, sensitivity: int = 1) -> Activity:
    return Activity.objects.create(
        home_unit=Unit.objects.get(code=STATION),
        kind="letter",
        occurred_on=day,
        title="Thư",
        diplomacy="state",
        sensitivity=sensitivity,
        counterpart=Unit.objects.get(code="CN-532624-BGS-TIANBAO"),
    )


def test_returns_and_activities_do_not_double_count() -> None:
    for day in (datetime.date(2015, 3, 1), datetime.date(2019, 5, 2), datetime.date(2021, 6, 30)):
        _letter(day)  # inside the return's period: already counted by it
    for day in (datetime.date(2022, 1, 5), datetime.date(2022, 7, 9)):
        _letter(day)
    detail = stats("--unit", STATION, "--detail", "--indicator", "station.letters")[
        "station.letters"
    ]
    assert detail["value"] == 1456 + 2
    assert detail["covered_by_returns"] == 3
    assert detail["basis"] == "combined"
    only_2022 = stats(
        "--unit",
        STATION,
        "--from",
        "2022-01-01",
        "--to",
        "2022-12-31",
        "--detail",
        "--indicator",
        "station.letters",
    )["station.letters"]
    assert only_2022["value"] == 2
    assert only_2022["returns"] == [] and len(only_2022["set_aside"]) == 1
    assert rollup.differences() == []


def test_viewer_without_clearance_gets_no_sensitive_records() -> None:
    secret = _letter(datetime.date(2023, 2, 2), sensitivity=2)
    unit = Unit.objects.get(code="VN-P02")
    window = Window(
        datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), datetime.date(2024, 1, 1)
    )
    assert evaluate("station.letters", unit, window, clearance=1).value == 0
    fig = evaluate("station.letters", unit, window, clearance=2)
    assert fig.value == 1
    assert secret not in activities_behind(fig, unit, window, clearance=1)
    assert secret in activities_behind(fig, unit, window, clearance=2)


def test_rollup_follows_edits_and_deletes_and_edges() -> None:
    a = _letter(datetime.date(2022, 3, 14))
    b = _letter(datetime.date(2022, 3, 15))
    c = _letter(datetime.date(2022, 4, 10))
    _letter(datetime.date(2022, 4, 11))
    got = stats(
        "--unit",
        "VN-P02",
        "--from",
        "2022-03-15",
        "--to",
        "2022-04-10",
        "--as-of",
        "2022-12-31",
        "--indicator",
        "station.letters",
    )
    assert got == {"station.letters": 2}
    a.kind, a.count = "meeting", 3
    a.save()
    b.home_unit = Unit.objects.get(code="VN-D026")
    b.occurred_on = datetime.date(2022, 8, 1)
    b.save()
    c.delete()
    assert rollup.differences() == []
    before = rollup.current()
    rollup.rebuild()
    assert rollup.current() == before


def test_old_province_counts_do_not_describe_the_new_province() -> None:
    # Old Hà Giang declared 7 border districts and 6 of them paired; today's Tuyên Quang has
    # no districts at all, so its counts come from today's registry, not the old returns.
    got = stats(
        "--unit",
        "VN-P08-2025",
        "--detail",
        "--indicator",
        "units.border_districts",
        "--indicator",
        "coverage.border_districts_paired",
        "--indicator",
        "aid.received_value",
    )
    assert got["units.border_districts"]["value"] == 0
    assert got["units.border_districts"]["basis"] == "records"
    assert got["coverage.border_districts_paired"]["basis"] != "declared"
    # Flows are history: what old Hà Giang received still counts in its successor.
    assert got["aid.received_value"]["value"] == 42_000_000_000
