"""The public visit counter cannot be pumped: one client counts at most PORTAL_VISITS_PER_HOUR
views an hour, whatever it sends; the client is its address as trusted proxies give it."""

from __future__ import annotations

import time
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from borderlink.portal.models import VisitCount

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limit(settings: Any) -> None:
    settings.PORTAL_VISITS_PER_HOUR = 5
    cache.clear()


def views() -> int:
    row = VisitCount.objects.filter(day=timezone.localdate()).first()
    return row.views if row else 0


def visit(peer: str, forwarded: str = "") -> int:
    environ: dict[str, Any] = {"REMOTE_ADDR": peer}
    if forwarded:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client(**environ)
    return client.post("/public/visit/", HTTP_SEC_FETCH_SITE="same-origin").status_code


def test_one_client_counts_a_bounded_number_of_views_an_hour() -> None:
    for _ in range(40):
        assert visit("203.0.113.7") == 204  # answered alike: nothing to tell a forger
    assert views() == 5
    visit("198.51.100.9")
    assert views() == 6  # another client still counts
    # The next hour the client counts again.
    with mock.patch("time.time", return_value=time.time() + 3600):
        visit("203.0.113.7")
    assert views() == 7


def test_a_forged_forwarded_for_does_not_make_new_clients(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    for n in range(40):
        visit("203.0.113.7", forwarded=f"192.0.2.{n}")
    assert views() == 5
    # Behind a trusted proxy the clients it vouches for are told apart.
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(3):
        for _ in range(10):
            visit("10.0.0.1", forwarded=f"192.0.2.{n}")
    assert views() == 5 + 15
