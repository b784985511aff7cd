"""The Tally rollup: in step with the ledger through every write; periods that cut months;
deep and shallow anchors giving the same totals."""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from django.db import transaction
from django.test import override_settings

from borderlink.core import bulk
from borderlink.ledger.models import Activity
from borderlink.stats import rollup
from borderlink.stats.engine import Window, by_year, evaluate, split_months
from borderlink.stats.models import Tally
from tests.stats.helpers import STATION, add_activity, day, stats, unit

pytestmark = pytest.mark.django_db

LETTERS = ("--indicator", "station.letters")


def assert_in_step() -> None:
    assert rollup.differences() == []
    before = rollup.current()
    rollup.rebuild()
    assert rollup.current() == before


# In step -------------------------------------------------------------------------------------


def test_demo_rollup_is_in_step() -> None:
    assert_in_step()


def test_create_edit_delete_keep_the_rollup_in_step() -> None:
    a = add_activity(on="2022-03-10")
    b = add_activity(on="2022-03-20", kind="handover", persons=4, count=2)
    c = add_activity(
        home="VN-P02", on="2022-04-01", kind="aid_received", value=1_500_000, currency="VND"
    )
    d = add_activity(home="VN-D030", on="2022-05-05", kind="aid_given", quantity=300)
    assert_in_step()

    a.kind = "meeting"
    a.save()
    assert_in_step()
    a.occurred_on = day("2023-01-31")  # another month and year
    a.save()
    assert_in_step()
    a.home_unit = unit("VN-D026")  # another district
    a.save()
    assert_in_step()
    a.count = 9
    a.save(update_fields=["count"])
    assert_in_step()
    b.persons = 11
    b.sensitivity = 3
    b.save()
    assert_in_step()
    c.value = 2_000_000
    c.save()
    assert_in_step()
    b.save()  # a save that changes nothing
    assert_in_step()

    d.delete()
    assert_in_step()
    Activity.objects.filter(pk__in=[a.pk, b.pk]).delete()
    assert_in_step()
    c.delete()
    assert_in_step()


@override_settings(STATS_ROLLUP_DEPTH=4)
def test_rollup_rows_follow_the_edits() -> None:
    station, commune, p02 = unit(STATION), unit("VN-C00928"), unit("VN-P02")
    a = add_activity(on="2022-03-10", count=3)

    def times(anchor: int, kind: str = "letter", month: str = "2022-03-01") -> int:
        row = Tally.objects.filter(anchor_id=anchor, kind=kind, month=day(month)).first()
        return 0 if row is None else row.times

    # Anchored at the country, the province, the district and the commune; not at the
    # station, which is deeper than STATS_ROLLUP_DEPTH (4).
    assert (
        rollup.anchors_of(station.path) == [int(p) for p in station.path.strip("/").split("/")][:4]
    )
    assert times(p02.pk) == 3
    assert times(commune.pk) == 3
    assert times(station.pk) == 0
    a.occurred_on = day("2022-04-02")
    a.save()
    assert times(p02.pk) == 0
    assert times(p02.pk, month="2022-04-01") == 3
    a.delete()
    assert times(p02.pk, month="2022-04-01") == 0
    assert not Tally.objects.filter(anchor_id=p02.pk, kind="letter").exists()


def test_rebuild_from_nothing() -> None:
    for on in ("2022-01-01", "2022-01-31", "2022-02-15"):
        add_activity(on=on)
    before = rollup.current()
    Tally.objects.all().delete()
    assert rollup.differences() != []
    rollup.rebuild()
    assert rollup.current() == before
    assert rollup.differences() == []


def test_iso_text_date_keeps_the_rollup_in_step() -> None:
    # Django takes a date as ISO text on save; the rollup must too.
    Activity.objects.create(
        home_unit=unit(STATION),
        kind="letter",
        occurred_on="2022-03-15",
        title="letter",
        diplomacy="state",
    )
    assert_in_step()


def test_delete_after_unsaved_changes_keeps_the_rollup_in_step() -> None:
    # The rows hold what was saved; a delete takes that off, not the unsaved values.
    a = add_activity(on="2022-03-10", count=2)
    a.count = 5
    a.occurred_on = day("2023-08-08")
    a.delete()
    assert_in_step()


def written_in_bulk(count: int) -> list[Activity]:
    """Activities written as an import writes them (core.bulk.insert, then `created`), inside
    a bulk block: the rollup gathers their sums and adds them when the block ends."""
    homes = (STATION, "VN-P02", "VN-D030", "VN-C00928")
    made = [
        Activity(
            home_unit=unit(homes[i % 4]),
            kind=("letter", "handover", "aid_received")[i % 3],
            occurred_on=day(f"20{21 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}"),
            title=f"bulk {i}",
            diplomacy="state",
            direction=("joint", "in", "out")[i % 3],
            sensitivity=i % 2,
            count=1 + i % 4,
            persons=i % 5 or None,
            value=1500 + i if i % 3 == 2 else None,
            currency="VND" if i % 3 == 2 else "",
            quantity=i % 7 or None,
        )
        for i in range(count)
    ]
    for batch in (made[: count // 2], made[count // 2 :]):
        bulk.insert(Activity, batch)
        bulk.created.send(sender=Activity, instances=batch)
    return made


@pytest.mark.parametrize("depth", [5, 3])
def test_activities_written_in_bulk_add_what_a_rebuild_finds(depth: int) -> None:
    with override_settings(STATS_ROLLUP_DEPTH=depth), transaction.atomic():
        rollup.rebuild()
        add_activity(on="2022-03-10")  # rows that the import adds to, beside new ones
        with bulk.bulk_mode():
            written_in_bulk(90)
        assert_in_step()


def test_a_save_in_the_bulk_block_after_a_bulk_write_keeps_the_rollup_in_step() -> None:
    """What the block gathered is added before a record of it is saved or deleted one by one:
    its old contribution must be in the Tally to come off."""
    with transaction.atomic():
        with bulk.bulk_mode():
            first, second, *_rest = written_in_bulk(12)
            first.count = 7
            first.occurred_on = day("2020-02-02")
            first.save()
            second.delete()
        assert_in_step()


# Periods that cut months ---------------------------------------------------------------------


@pytest.fixture
def edge_days() -> None:
    for on in ("2022-03-14", "2022-03-15", "2022-04-10", "2022-04-11"):
        add_activity(on=on)


@pytest.mark.parametrize("where", ["VN-P02", "VN-C00928", STATION])
def test_period_not_aligned_to_months(edge_days: None, where: str) -> None:
    got = stats(
        "--unit",
        where,
        "--from",
        "2022-03-15",
        "--to",
        "2022-04-10",
        "--as-of",
        "2022-12-31",
        *LETTERS,
    )
    assert got == {"station.letters": 2}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2022-03-14", "2022-04-11", 4),
        ("2022-03-15", "2022-04-11", 3),
        ("2022-03-14", "2022-04-10", 3),
        ("2022-03-16", "2022-04-09", 0),
        ("2022-03-01", "2022-04-30", 4),  # whole months only
        ("2022-03-15", "2022-03-15", 1),
        ("2022-02-15", "2022-05-15", 4),  # whole March and April with edges
    ],
)
def test_period_cuts_via_the_cli(edge_days: None, start: str, end: str, expected: int) -> None:
    got = stats("--unit", "VN-P02", "--from", start, "--to", end, "--as-of", "2022-12-31", *LETTERS)
    assert got == {"station.letters": expected}


def test_split_months() -> None:
    d = day
    assert split_months(d("2022-03-15"), d("2022-04-10")) == (
        None,
        None,
        [(d("2022-03-15"), d("2022-04-10"))],
    )
    assert split_months(d("2022-03-15"), d("2022-05-10")) == (
        d("2022-04-01"),
        d("2022-04-01"),
        [(d("2022-03-15"), d("2022-03-31")), (d("2022-05-01"), d("2022-05-10"))],
    )
    assert split_months(d("2022-03-01"), d("2022-04-30")) == (
        d("2022-03-01"),
        d("2022-04-01"),
        [],
    )
    assert split_months(None, d("2022-03-10")) == (
        None,
        d("2022-02-01"),
        [(d("2022-03-01"), d("2022-03-10"))],
    )


# Deep and shallow anchors --------------------------------------------------------------------

# Letter dates, each with its own number of times, so that a missing or repeated day shows.
SPREAD = {
    "2022-02-28": 1,
    "2022-03-01": 2,
    "2022-03-14": 4,
    "2022-03-15": 8,
    "2022-03-31": 16,
    "2022-04-01": 32,
    "2022-04-10": 64,
    "2022-04-11": 128,
    "2022-04-30": 256,
    "2022-05-01": 512,
    "2022-05-31": 1024,
    # The year before (after the seed's return, which would cover them): windows over whole
    # years read the year rows, the rest the month rows.
    "2021-07-01": 4096,
    "2021-09-15": 8192,
    "2021-12-31": 16384,
}
STARTS = ["2022-01-01", "2022-03-01", "2022-03-02", "2022-03-15", "2022-04-01", "2022-04-11"]
STARTS += ["2021-01-01", "2021-07-01", "2021-07-02", "2021-12-31"]
ENDS = ["2022-03-31", "2022-04-10", "2022-04-30", "2022-05-01", "2022-05-30", "2022-12-31"]
ENDS += ["2021-07-01", "2021-11-30", "2021-12-31"]
WINDOWS = [(s, e) for s, e in itertools.product(STARTS, ENDS) if s <= e]
AS_OF = datetime.date(2022, 12, 31)


def expected(start: str, end: str) -> int:
    return sum(n for on, n in SPREAD.items() if start <= on <= end)


@pytest.fixture
def spread() -> None:
    for on, n in SPREAD.items():
        add_activity(on=on, count=n)


def figures(codes: list[str]) -> dict[tuple[str, str, str], int]:
    out = {}
    for code in codes:
        for start, end in WINDOWS:
            window = Window(day(start), day(end), AS_OF)
            fig = evaluate("station.letters", unit(code), window, 3)
            out[(code, start, end)] = int(fig.value or 0)
    return out


UNITS = [STATION, "VN-C00928", "VN-D030", "VN-P02", "VN"]


def want() -> dict[tuple[str, str, str], int]:
    return {(code, s, e): expected(s, e) for code in UNITS for s, e in WINDOWS}


def test_deep_and_shallow_anchors_agree(spread: None) -> None:
    assert figures(UNITS) == want()


@pytest.mark.parametrize("depth", [1, 2, 5, 6])
def test_any_rollup_depth_gives_the_same_totals(spread: None, depth: int) -> None:
    with override_settings(STATS_ROLLUP_DEPTH=depth):
        rollup.rebuild()
        assert rollup.differences() == []
        station = unit(STATION)
        anchored = set(Tally.objects.values_list("anchor_id", flat=True).distinct())
        assert (station.pk in anchored) == (depth >= 5)
        assert (unit("VN-P02").pk in anchored) == (depth >= 2)
        assert figures(UNITS) == want()
        # Writes under the new depth stay in step too.
        add_activity(on="2022-04-20", count=2048)
        assert rollup.differences() == []
        window = Window(day("2022-04-01"), day("2022-04-30"), AS_OF)
        for code in UNITS:
            assert (
                evaluate("station.letters", unit(code), window, 3).value
                == 32 + 64 + 128 + 256 + 2048
            )


@pytest.mark.parametrize("daily", [0, 1, 2])
def test_edge_days_from_day_rows_or_the_ledger_give_the_same_totals(
    spread: None, daily: int
) -> None:
    with override_settings(STATS_DAY_ROLLUP_DEPTH=daily):
        rollup.rebuild()
        assert rollup.differences() == []
        with_days = set(
            Tally.objects.filter(span=Tally.DAY).values_list("anchor_id", flat=True).distinct()
        )
        assert (unit("VN").pk in with_days) == (daily >= 1)
        assert (unit("VN-P02").pk in with_days) == (daily >= 2)
        assert unit("VN-D030").pk not in with_days
        assert figures(UNITS) == want()
        # An entry moved from one edge day to another moves its day rows with it.
        entry = add_activity(on="2021-07-01", count=4096)
        assert rollup.differences() == []
        entry.occurred_on = day("2021-11-30")
        entry.save()
        assert rollup.differences() == []
        window = Window(day("2021-11-15"), day("2021-11-30"), AS_OF)
        for code in UNITS:
            assert evaluate("station.letters", unit(code), window, 3).value == 4096 + expected(
                "2021-11-15", "2021-11-30"
            ), code


def test_whole_history_from_the_rollup_adds_the_return(spread: None) -> None:
    # No start: every month from the rollup, the return counted (ends before the period does).
    for code in UNITS[:-1]:
        window = Window(None, day("2022-04-10"), AS_OF)
        assert evaluate("station.letters", unit(code), window, 3).value == 1456 + expected(
            "2000-01-01", "2022-04-10"
        ), code


def test_rebuild_command_checks_and_repairs() -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    add_activity(on="2022-03-10", count=3)
    call_command("stats_rebuild", "--check", stdout=io.StringIO())
    # A write that bypassed the signals (a bulk load, a hand edit) puts the rollup out of step.
    assert Tally.objects.filter(anchor=unit("VN-P02"), kind="letter").update(times=0)
    with pytest.raises(CommandError, match="disagree"):
        call_command("stats_rebuild", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("stats_rebuild", stdout=out)
    assert "rollup rebuilt" in out.getvalue()
    call_command("stats_rebuild", "--check", stdout=io.StringIO())


@pytest.mark.parametrize("depth", [2, 5])
def test_trend_by_year_matches_each_year_evaluated_alone(spread: None, depth: int) -> None:
    with override_settings(STATS_ROLLUP_DEPTH=depth):
        rollup.rebuild()
        for code in UNITS:
            trend = by_year(["station.letters"], unit(code), 2020, 2022, AS_OF, 3)
            alone = [
                int(
                    evaluate(
                        "station.letters",
                        unit(code),
                        Window(day(f"{y}-01-01"), day(f"{y}-12-31"), AS_OF),
                        3,
                    ).value
                    or 0
                )
                for y in (2020, 2021, 2022)
            ]
            assert [int(f.value or 0) for _y, f in trend["station.letters"]] == alone, code
            assert alone[1] == expected("2021-01-01", "2021-12-31")
