"""Visit counts like the seed portal's: today, yesterday, this month, this year; counted without
cookies and without keeping any address."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from borderlink.portal import visits
from borderlink.portal.models import VisitCount

pytestmark = pytest.mark.django_db


def test_a_page_view_adds_one_and_keeps_nothing_else() -> None:
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    response = visitor.post(
        "/public/visit/", HTTP_SEC_FETCH_SITE="same-origin", HTTP_USER_AGENT="Agent/1.0"
    )
    assert response.status_code == 204
    assert not response.cookies and response["Cache-Control"] == "no-store"
    visitor.post("/public/visit/", HTTP_ORIGIN="http://testserver")
    row = VisitCount.objects.get(day=timezone.localdate())
    assert row.views == 2
    # The model has nowhere to put an address, an agent or an identifier.
    assert {f.name for f in VisitCount._meta.get_fields()} == {"id", "day", "views"}


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_ORIGIN": "https://elsewhere.example"}, {}],
)
def test_views_sent_from_other_sites_are_not_counted(headers: dict[str, Any]) -> None:
    assert Client().post("/public/visit/", **headers).status_code == 400
    assert Client().get("/public/visit/").status_code == 405
    assert not VisitCount.objects.exists()


def test_the_summary_adds_up_days_months_and_years() -> None:
    today = datetime.date(2026, 3, 1)
    for day, views in (
        (datetime.date(2025, 12, 31), 1000),  # last year
        (datetime.date(2026, 1, 15), 300),
        (datetime.date(2026, 2, 28), 20),  # yesterday, last month
        (today, 7),
    ):
        VisitCount.objects.create(day=day, views=views)
    s = visits.summary(today)
    assert (s.today, s.yesterday, s.month, s.year) == (7, 20, 7, 327)


def test_every_page_shows_the_counts_in_its_language() -> None:
    VisitCount.objects.create(day=timezone.localdate(), views=1397)
    vi = Client().get("/public/vi/").content.decode()
    en = Client().get("/public/en/").content.decode()
    assert '<dd data-visits="today">1.397</dd>' in vi
    assert '<dd data-visits="today">1,397</dd>' in en
