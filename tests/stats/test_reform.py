"""Reform roll-up: old records count under the successor after the reform, under their own
units before it, and a unit is refused on a date it did not exist."""

from __future__ import annotations

import datetime

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from borderlink.places.models import Unit
from borderlink.places.scope import ScopeError, default_as_of, resolve
from borderlink.places.signals import gazetteer_changed
from tests.stats.helpers import STATION, add_activity, stats, unit

pytestmark = pytest.mark.django_db

LETTERS = ("--indicator", "station.letters")


def codes(units: tuple[Unit, ...]) -> list[str]:
    return sorted(u.code for u in units)


def test_successor_province_counts_the_old_station_log() -> None:
    assert stats("--unit", "VN-P08-2025", *LETTERS) == {"station.letters": 1456}


def test_successor_province_on_the_day_of_the_reform() -> None:
    assert stats("--unit", "VN-P08-2025", "--as-of", "2025-07-01", *LETTERS) == {
        "station.letters": 1456
    }


def test_successor_commune_counts_the_old_station_log() -> None:
    # Thanh Thủy commune (new) is the main successor of Thanh Thủy commune (old), which holds
    # the station.
    assert stats("--unit", "VN-C00928-2025", *LETTERS) == {"station.letters": 1456}


def test_successor_province_before_it_existed_is_refused() -> None:
    with pytest.raises(CommandError) as caught:
        stats("--unit", "VN-P08-2025", "--as-of", "2025-06-30", *LETTERS)
    assert "VN-P08-2025" in str(caught.value)


def test_old_province_after_the_reform_names_its_successor() -> None:
    with pytest.raises(CommandError) as caught:
        stats("--unit", "VN-P02", "--as-of", "2026-01-01", *LETTERS)
    message = str(caught.value)
    assert "VN-P02" in message
    assert "VN-P08-2025" in message


def test_old_province_before_the_reform_counts_under_its_own_name() -> None:
    assert stats("--unit", "VN-P02", "--as-of", "2021-06-30", *LETTERS) == {"station.letters": 1456}


def test_new_ledger_entries_roll_up_through_the_successor() -> None:
    add_activity(on="2022-05-05")
    add_activity(on="2024-12-31", count=3)
    # Today's Tuyên Quang: the log, then four letters (2022 and 2024).
    assert stats("--unit", "VN-P08-2025", *LETTERS) == {"station.letters": 1456 + 4}
    # Hà Giang as of the seed's date: the 2022 and 2024 letters are after the period.
    assert stats("--unit", "VN-P02", "--as-of", "2021-06-30", *LETTERS) == {"station.letters": 1456}
    # Hà Giang on its last day (its default "as of").
    assert stats("--unit", "VN-P02", *LETTERS) == {"station.letters": 1456 + 4}
    # Only 2024 in today's tree.
    assert stats(
        "--unit", "VN-P08-2025", "--from", "2024-01-01", "--to", "2024-12-31", *LETTERS
    ) == {"station.letters": 3}


def test_resolve_successor_today_includes_the_old_province() -> None:
    scope = resolve(unit("VN-P08-2025"), timezone.localdate())
    assert "VN-P02" in codes(scope.plus)
    assert "VN-P08-2025" in codes(scope.plus)
    assert scope.minus == ()
    assert scope.contains_path(unit(STATION).path)


def test_resolve_old_province_before_the_reform_is_itself_only() -> None:
    scope = resolve(unit("VN-P02"), datetime.date(2024, 1, 1))
    assert codes(scope.plus) == ["VN-P02"]
    assert scope.minus == ()


def test_resolve_successor_before_the_reform_is_an_error() -> None:
    with pytest.raises(ScopeError):
        resolve(unit("VN-P08-2025"), datetime.date(2025, 6, 30))


def test_resolve_old_province_after_the_reform_names_its_holder() -> None:
    with pytest.raises(ScopeError) as caught:
        resolve(unit("VN-P02"), datetime.date(2026, 1, 1))
    assert "VN-P08-2025" in str(caught.value)


def test_default_as_of() -> None:
    today = datetime.date(2026, 1, 1)
    assert default_as_of(unit("VN-P02"), today) == datetime.date(2025, 6, 30)
    assert default_as_of(unit(STATION), today) == datetime.date(2025, 6, 30)
    assert default_as_of(unit("VN-P08-2025"), today) == today
    assert default_as_of(unit("VN-P02"), datetime.date(2024, 1, 1)) == datetime.date(2024, 1, 1)


def test_scopes_are_shared_within_an_epoch_and_dropped_after_a_bulk_load() -> None:
    province = unit("VN-P08-2025")
    first = resolve(province, datetime.date(2025, 8, 1))
    with CaptureQueriesContext(connection) as queries:
        later = resolve(province, datetime.date(2026, 1, 1))
    # No unit began or ended and no succession took effect in between: the same scope, asked
    # for its own date, from the cache.
    assert len(queries) == 0
    assert later.as_of == datetime.date(2026, 1, 1)
    assert codes(later.plus) == codes(first.plus)
    # The day before the reform is another epoch: the old province counts on its own.
    assert codes(resolve(unit("VN-P02"), datetime.date(2025, 6, 30)).plus) == ["VN-P02"]
    # A bulk load (no per-row save signals) announces itself and the cache is dropped.
    gazetteer_changed.send(sender=Unit)
    with CaptureQueriesContext(connection) as queries:
        resolve(province, datetime.date(2026, 1, 1))
    assert len(queries) > 0
