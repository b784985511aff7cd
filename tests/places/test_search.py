from __future__ import annotations

import datetime
import json
import unicodedata
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from borderlink.places.search import search_units

pytestmark = pytest.mark.django_db


def codes(text: str, **kw: Any) -> list[str]:
    return [u.code for u in search_units(text, **kw)]


@pytest.mark.parametrize(
    "text",
    [
        "thanh thuy",
        "Thanh Thủy",
        "THANH THỦY",
        "Thanh Thuỷ",  # the other tone-mark placement
        unicodedata.normalize("NFD", "Thanh Thủy"),
        "Thanh Thuy commune",
    ],
)
def test_thanh_thuy_is_found_however_it_is_typed(text: str) -> None:
    found = codes(text)
    assert "VN-C00928" in found
    assert "VN-C00928-2025" in found


@pytest.mark.parametrize(
    "text", ["Tianbao", "tianbao", "天保", "天保镇", "Thien Bao", "Thiên Bảo", "tian bao"]
)
def test_tianbao_is_found_in_every_script(text: str) -> None:
    assert "CN-532624-TIANBAO" in codes(text)


def test_a_variant_spelling_from_a_source_finds_the_unit() -> None:
    assert codes("Malypho")[0] == "CN-532624"
    assert "CN-451000" in codes("Baisha")


def test_filters_by_kind_and_date() -> None:
    assert set(codes("Thanh Thuy", kind="border_station")) == {
        "VN-02-BGS-THANHTHUY",
        "VN-02-BGS-THANHTHUY-2025",  # the station as it went on after the reform
    }
    station_2020 = codes("Thanh Thuy", kind="border_station", on=datetime.date(2020, 1, 1))
    assert station_2020 == ["VN-02-BGS-THANHTHUY"]
    assert codes("Thanh Thuy", kind="border_station", on=datetime.date(2026, 1, 1)) == [
        "VN-02-BGS-THANHTHUY-2025"
    ]
    on_2020 = codes("Thanh Thuy", kind="commune", on=datetime.date(2020, 1, 1))
    assert "VN-C00928" in on_2020 and "VN-C00928-2025" not in on_2020
    on_2026 = codes("Thanh Thuy", kind="commune", on=datetime.date(2026, 1, 1))
    assert "VN-C00928-2025" in on_2026 and "VN-C00928" not in on_2026


def test_exact_names_rank_before_partial_ones() -> None:
    assert codes("Thanh Thủy", kind="commune", on=datetime.date(2020, 1, 1))[0] == "VN-C00928"


def test_nothing_is_found_for_nonsense() -> None:
    assert codes("zzqqxx") == []
    assert codes("   ") == []


def test_cli_find_prints_json_with_code_kind_names_and_validity() -> None:
    out = StringIO()
    call_command("units", "find", "tianbao", "--kind", "commune", "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload[0]["code"] == "CN-532624-TIANBAO"
    assert payload[0]["kind"] == "commune"
    assert payload[0]["names"]["zh"] == "天保镇"
    assert payload[0]["names"]["en"] == "Tianbao Town"
    assert payload[0]["valid_from"] is None and payload[0]["valid_to"] is None


def test_cli_find_with_a_date_keeps_units_valid_that_day() -> None:
    out = StringIO()
    call_command(
        "units", "find", "Thanh Thủy", "--on", "2026-01-01", "--format", "json", stdout=out
    )
    payload = json.loads(out.getvalue())
    assert payload and all(p["valid_to"] is None for p in payload)
    assert payload[0]["code"] == "VN-C00928-2025"
    assert payload[0]["valid_from"] == "2025-07-01"
