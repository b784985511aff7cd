"""A register's search: the same records as a plain scan, found through the linked units first.

registers/query.py resolves a linked unit's folded search text in the units table, and hands
the page the ids of the matches when they are few (so PostgreSQL's trigram indexes serve the
search, not a walk of the date index); past SEARCH_IDS it filters as it always did.
"""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Q
from django.http import QueryDict

from borderlink.core.context import acting_as
from borderlink.core.text import fold
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers import query
from borderlink.registers.spec import get_register

pytestmark = pytest.mark.django_db
SPEC = get_register("activities")


def _scan(text: str) -> set[int]:
    """What the search found before: every search field tested on every row."""
    condition = Q()
    for name in SPEC.search_fields:
        condition |= Q(**{f"{name}__icontains": text})
        if name.endswith("search_text"):
            condition |= Q(**{f"{name}__contains": fold(text)})
    return set(Activity.objects.filter(condition).values_list("pk", flat=True))


def _search(text: str) -> set[int]:
    found = query.apply(SPEC, Activity.objects.all(), QueryDict(f"q={text}"))
    return set(found.values_list("pk", flat=True))


@pytest.fixture
def ledger() -> None:
    home = Unit.objects.get(code="VN-C00928")  # Thanh Thủy
    other = Unit.objects.get(code="VN-C00715")  # Lũng Cú
    counterpart = Unit.objects.get(code="CN-532624-TIANBAO")
    with acting_as(None, reason="test"):
        for i in range(12):
            Activity.objects.create(
                kind="letter",
                occurred_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
                title=f"Thư trao đổi số {i}",
                outcomes="Thống nhất lịch tuần tra" if i % 3 == 0 else "",
                home_unit=home if i % 2 else other,
                counterpart=counterpart if i % 4 == 0 else None,
                diplomacy="state",
            )


@pytest.mark.parametrize(
    "text", ["Thanh Thủy", "thanh thuy", "tianbao", "天保", "TUẦN TRA", "số 1", "zzz", "th"]
)
def test_the_search_finds_what_a_scan_of_every_row_finds(ledger: None, text: str) -> None:
    assert _search(text) == _scan(text)


def test_a_word_in_more_records_than_it_names_filters_as_a_scan(
    ledger: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query, "SEARCH_IDS", 3)
    monkeypatch.setattr(query, "LISTED", 1)
    assert len(_scan("thư")) > 3
    assert _search("thư") == _scan("thư")
    assert _search("thanh") == _scan("thanh")
