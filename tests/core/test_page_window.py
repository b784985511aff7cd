"""A list page's rows found by their ids first (core/pagination.py `window`): the same rows in
the same order as slicing the list, on every page and for every kind of list, in one statement;
on PostgreSQL the ids come from the activities' page index (ledger/migrations/0005)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Count, QuerySet
from django.test.utils import CaptureQueriesContext

from borderlink.core.context import acting_as
from borderlink.core.pagination import ScopedPaginator, window
from borderlink.core.permissions import restrict
from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HOMES = ("VN-C00928", "VN-C00715", "VN-D030", "VN-P02")


@pytest.fixture
def ledger(db: None) -> int:
    """31 activities over four units, three to a day (ties the id orders), sensitivities 0–3."""
    homes = [Unit.objects.get(code=code) for code in HOMES]
    with acting_as(None, reason="test"):
        Activity.objects.bulk_create(
            Activity(
                kind=("letter", "meeting", "phone_call")[i % 3],
                occurred_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=i // 3),
                title=f"t-window {30 - i:02d}",
                home_unit=homes[i % len(homes)],
                sensitivity=i % 4,
                diplomacy="state",
            )
            for i in range(31)
        )
    return Activity.objects.count()


def _lists() -> dict[str, QuerySet[Activity]]:
    everything = Activity.objects.select_related("home_unit", "counterpart")
    return {
        "date, id": everything.order_by("occurred_on", "pk"),
        "newest first": everything.order_by("-occurred_on", "-pk"),
        "the model's order": everything.all(),
        "title": everything.order_by("title", "pk"),
        "a link's field": everything.order_by("home_unit__code", "-occurred_on", "pk"),
        "filtered": everything.filter(kind="letter", sensitivity__lte=2).order_by(
            "occurred_on", "pk"
        ),
        "prefetching": everything.prefetch_related("counterpart").order_by("occurred_on", "pk"),
    }


@pytest.mark.parametrize("name", sorted(_lists()))
def test_each_page_holds_the_rows_slicing_gives(ledger: int, name: str) -> None:
    listed = _lists()[name]
    everything = list(listed)
    assert everything
    for size in (1, 7, 50):
        for bottom in range(0, ledger + size, size):
            assert list(window(listed, bottom, size)) == everything[bottom : bottom + size]


def test_the_gates_list_pages_as_sliced(ledger: int) -> None:
    """A scoped editor's list (ids named by the gate, sensitivity capped): the same pages."""
    editor = make_user("t-window-editor", Role.FA_EDITOR, "VN-D030")
    listed = restrict(Activity.objects.order_by("occurred_on", "pk"), editor, "view")
    everything = list(listed)
    assert 0 < len(everything) < ledger
    assert all(a.sensitivity <= 2 for a in everything)
    for bottom in range(0, len(everything) + 3, 3):
        assert list(window(listed, bottom, 3)) == everything[bottom : bottom + 3]


def test_a_page_is_one_statement_and_asks_its_ids_first(ledger: int) -> None:
    listed = Activity.objects.select_related("home_unit").order_by("occurred_on", "pk")
    with CaptureQueriesContext(connection) as captured:
        rows = list(window(listed, 10, 5))
    assert len(rows) == 5
    [sql] = [q["sql"] for q in captured.captured_queries]
    assert "IN (SELECT" in sql and "LIMIT 5" in sql


def test_lists_whose_ids_cannot_be_asked_apart_are_sliced(ledger: int) -> None:
    """DISTINCT (its order must be selected), unordered lists, grouped rows, plain lists."""
    distinct = Activity.objects.filter(home_unit__code__in=HOMES).distinct()
    unordered = Activity.objects.order_by()
    values = Activity.objects.values("kind").annotate(n=Count("pk"))
    for listed in (distinct.order_by("occurred_on", "pk"), unordered, values.order_by("kind")):
        sql = str(window(listed, 5, 5).query)
        assert "IN (SELECT" not in sql
    assert list(window(distinct.order_by("occurred_on", "pk"), 5, 5)) == list(
        distinct.order_by("occurred_on", "pk")[5:10]
    )
    assert list(window(values.order_by("kind"), 0, 2)) == list(values.order_by("kind")[:2])
    assert window([1, 2, 3, 4], 1, 2) == [2, 3]


def test_the_paginator_pages_through_the_window(ledger: int) -> None:
    listed = Activity.objects.order_by("-occurred_on", "-pk")
    everything = list(listed)
    paginator = ScopedPaginator(listed, 10)
    seen, number = [], 1
    while True:
        page = paginator.page(number)
        seen += list(page.object_list)
        if not page.has_next():
            break
        number += 1
    assert seen == everything


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_on_postgresql_the_ids_come_from_the_page_index(ledger: int) -> None:
    """The scoped page's ids are read from `ledger_activity_page_idx` alone (an index-only
    scan: the unit and the sensitivity are in it). With a few dozen rows the planner would
    rather read the table: scans other than by index are priced out for the question."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ledger_activity_page_idx'"
        )
        [(definition,)] = cursor.fetchall()
    assert "(occurred_on, id) INCLUDE (home_unit_id, sensitivity)" in definition
    editor = make_user("t-window-pg", Role.FA_EDITOR, "VN-D030")
    listed = restrict(Activity.objects.order_by("occurred_on", "pk"), editor, "view")
    with connection.cursor() as cursor:  # the test's transaction: SET LOCAL ends with it
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    for bottom in (0, 3):
        plan = window(listed, bottom, 3).explain()
        assert "Index Only Scan using ledger_activity_page_idx" in plan, plan


def test_ids_select_as_a_list_of_the_same_ids_does(ledger: int) -> None:
    """`__one_of=Ids(…)` (the gate's units, core/lookups.py) and `__one_of=[…]` select the same
    records, an empty Ids none; on PostgreSQL the array is typed as the column (`bigint[]`: an
    `integer[]` is searched element by element, not hashed)."""
    from borderlink.core.lookups import Ids

    units = list(Unit.objects.filter(code__in=HOMES[:2]).values_list("pk", flat=True))
    listed = set(Activity.objects.filter(home_unit__one_of=units))
    assert listed
    assert set(Activity.objects.filter(home_unit__one_of=Ids(units))) == listed
    assert set(Activity.objects.filter(home_unit_id__one_of=Ids(units))) == listed
    assert not Activity.objects.filter(home_unit__one_of=Ids([])).exists()
    if connection.vendor == "postgresql":
        for value in (units, Ids(units)):
            sql = str(Activity.objects.filter(home_unit__one_of=value).query)
            assert "::bigint[]" in sql, sql
