"""Long lists are not counted: up to EXACT_UP_TO rows exactly, then an estimate that says so."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from borderlink.core import pagination
from borderlink.core.context import acting_as
from borderlink.core.pagination import ScopedPaginator
from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers import views
from tests.conftest import api_client, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(db: None) -> int:
    home = Unit.objects.get(code="VN-C00928")
    with acting_as(None, reason="test"):
        Activity.objects.bulk_create(
            Activity(
                kind="letter",
                occurred_on=datetime.date(2019, 1, 1) + datetime.timedelta(days=i),
                title=f"Thư {i}",
                home_unit=home,
                diplomacy="state",
            )
            for i in range(23)
        )
    cache.clear()
    return Activity.objects.count()


def test_a_short_list_is_counted_exactly_and_pages_know_their_end(many: int) -> None:
    paginator = ScopedPaginator(Activity.objects.order_by("pk"), 10)
    assert paginator.count == many and not paginator.estimated
    last = paginator.page(paginator.num_pages)
    assert not last.has_next() and last.has_previous()
    assert paginator.page(1).has_next()


def test_past_the_threshold_the_count_is_an_estimate_and_paging_still_exact(
    many: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagination, "EXACT_UP_TO", 5)
    paginator = ScopedPaginator(Activity.objects.order_by("pk"), 10)
    page = paginator.page(2)
    assert paginator.estimated
    assert paginator.count > 5
    # "next" comes from the row read beyond the page, never from the estimate.
    pages, number = [], 1
    while True:
        current = ScopedPaginator(Activity.objects.order_by("pk"), 10).page(number)
        pages.append(len(current.object_list))
        if not current.has_next():
            break
        number += 1
    assert sum(pages) == many
    assert page.number == 2
    # The last page is counted: the user asked where the end is.
    assert ScopedPaginator(Activity.objects.order_by("pk"), 10).last_page() == -(-many // 10)


def test_the_list_and_the_api_say_about(many: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagination, "EXACT_UP_TO", 5)
    # Pages shorter than the list: a page that shows the end knows the total exactly.
    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    monkeypatch.setattr(pagination.StrictPageNumberPagination, "page_size", 10)
    editor = make_user("t-pager", Role.FA_EDITOR, "VN-P02")  # Thanh Thủy is in their province
    client = Client()
    client.force_login(editor)
    with translation.override("en"):
        page = client.get("/r/activities/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="record-count">about ' in page
    answer = api_client(editor).get("/api/activities/").json()
    assert answer["count_estimated"] is True and answer["next"]
    last = api_client(editor).get("/api/activities/?page=last").json()
    assert last["next"] is None and last["results"]
