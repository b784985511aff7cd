"""The engine's scopes, resolved in memory (stats/scope.py), are those of places/scope.py, and a
call over ledger indicators costs one statement."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderlink.ledger.models import AggregateReturn
from borderlink.places import scope as places_scope
from borderlink.places.models import Unit, UnitSuccession
from borderlink.stats import indicators
from borderlink.stats import scope as stats_scope
from borderlink.stats.engine import Window, evaluate_many, span_ranges, tally_spans
from borderlink.stats.models import Tally
from tests.stats.helpers import STATION, add_activity, unit

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2025, 6, 30), datetime.date(2026, 1, 1)]


def test_every_scope_is_the_one_places_resolves() -> None:
    compared = rolled_up = 0
    # Every unit a succession names, and their parents: the ones a reform rolls up.
    named = set(UnitSuccession.objects.values_list("predecessor_id", flat=True))
    named |= set(UnitSuccession.objects.values_list("successor_id", flat=True))
    # Every fourth of them (the demo names about 2,000; their parents, all).
    units = list(Unit.objects.filter(pk__in=named).order_by("path"))[::4] + list(
        Unit.objects.filter(children__pk__in=named).distinct()
    )
    for day in DAYS:
        for u in units:
            if not u.is_valid_on(day):
                continue
            want = places_scope._compute(u, day)
            got = stats_scope.anchors(u, day)
            assert list(got.plus) == [(a.pk, a.path) for a in want.plus], (u.code, day)
            assert list(got.minus) == [(a.pk, a.path) for a in want.minus], (u.code, day)
            full = stats_scope.resolve(u, day)
            assert full.plus == want.plus and full.minus == want.minus and full.as_of == day
            compared += 1
            rolled_up += not got.plain
    assert compared > 100 and rolled_up > 0


def test_a_unit_asked_for_before_it_existed_is_refused_with_its_holders() -> None:
    with pytest.raises(places_scope.ScopeError):
        stats_scope.anchors(unit("VN-P08-2025"), datetime.date(2024, 1, 1))


def test_a_gazetteer_change_is_seen_at_once() -> None:
    province = unit("VN-P08-2025")
    before = stats_scope.anchors(province, datetime.date(2026, 1, 1))
    assert not before.plain
    UnitSuccession.objects.filter(successor=province).update(is_main=False)
    places_scope.gazetteer_changed.send(sender=Unit)  # an update() sends no save signal
    after = stats_scope.anchors(province, datetime.date(2026, 1, 1))
    want = places_scope._compute(province, datetime.date(2026, 1, 1))
    assert after != before
    assert list(after.plus) == [(a.pk, a.path) for a in want.plus]


def test_warm_resolves_the_top_of_the_tree() -> None:
    province = unit("VN-P08-2025")
    assert stats_scope.warm() > 0
    with CaptureQueriesContext(connection) as queries:
        stats_scope.anchors(province, datetime.date(2026, 1, 1))
    assert len(queries) == 0


def test_ledger_indicators_cost_one_statement_without_returns() -> None:
    AggregateReturn.objects.all().delete()
    add_activity(on="2022-01-10")
    codes = sorted(c for c, i in indicators.registry().items() if i.rule == "ledger")
    window = Window(
        datetime.date(2022, 1, 1), datetime.date(2022, 12, 31), datetime.date(2024, 1, 1)
    )
    station = unit(STATION)
    evaluate_many(codes, station, window, 3)  # the gazetteer read once
    with CaptureQueriesContext(connection) as queries:
        figures = evaluate_many(codes, station, window, 3)
    assert len(queries) == 1
    assert (figures["station.letters"].value or 0) >= 1


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (None, datetime.date(2024, 12, 1)),
        (None, datetime.date(2024, 6, 1)),
        (datetime.date(2020, 1, 1), datetime.date(2020, 12, 1)),
        (datetime.date(2020, 3, 1), datetime.date(2020, 9, 1)),
        (datetime.date(2019, 3, 1), datetime.date(2023, 4, 1)),
        (datetime.date(2019, 1, 1), datetime.date(2023, 11, 1)),
        (datetime.date(2019, 12, 1), datetime.date(2020, 1, 1)),
    ],
)
def test_span_ranges_are_the_tally_spans(first: datetime.date | None, last: datetime.date) -> None:
    """Each range names the same Tally rows as `tally_spans` (checked on every first day of a
    month or year from 2018 to 2025)."""
    months = [datetime.date(y, m, 1) for y in range(2018, 2026) for m in range(1, 13)]
    keys = [
        (span, d)
        for d in months
        for span in (Tally.MONTH, Tally.YEAR)
        if span != "y" or d.month == 1
    ]

    def by_q(span: str, d: datetime.date) -> bool:
        return Tally.objects.filter(tally_spans(first, last), span=span, month=d).exists()

    Tally.objects.all().delete()
    Tally.objects.bulk_create(
        Tally(
            anchor_id=unit(STATION).pk,
            kind="letter",
            span=span,
            month=d,
            channel="",
            diplomacy="",
            direction="",
            sensitivity=0,
        )
        for span, d in keys
    )
    for span, d in keys:
        in_ranges = any(
            s == span and (lo is None or lo <= d) and d <= hi
            for s, lo, hi in span_ranges(first, last)
        )
        assert in_ranges == by_q(span, d), (span, d)


def test_what_is_kept_per_epoch_goes_with_a_gazetteer_change() -> None:
    day = datetime.date(2026, 1, 1)
    assert stats_scope.kept(("test",), day, lambda: 1) == 1
    assert stats_scope.kept(("test",), datetime.date(2026, 2, 1), lambda: 2) == 1  # one epoch
    places_scope.gazetteer_changed.send(sender=Unit)
    assert stats_scope.kept(("test",), day, lambda: 3) == 3
