"""Identities stay out of the public site and the logs."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from borderlink.accounts.models import User
from tests.people.conftest import BIRTH, ID_NUMBER, NAME, person_at, registration

pytestmark = pytest.mark.django_db


def test_the_public_site_shows_no_identity(client: Client) -> None:
    registration()
    person_at("VN-02-BGS-THANHTHUY")
    for url in ("/public/vi/", "/public/en/", "/public/sitemap.xml", "/public/vi/feed.rss"):
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = response.content.decode()
        assert NAME not in body and ID_NUMBER not in body, url


def test_viewing_and_exporting_write_no_identity_to_the_logs(
    labour_officer: User, client_of: Callable[[User], Client], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # log every SQL statement, as DEBUG does
    try:
        record = registration()
        client = client_of(labour_officer)
        assert ID_NUMBER in client.get(f"/r/labour-registrations/{record.pk}/").content.decode()
        client.get("/r/labour-registrations/?export=csv")
        client.get(f"/api/labour-registrations/{record.pk}/")
    finally:
        connection.force_debug_cursor = False
    assert caplog.records, "nothing was logged: the test would prove nothing"
    assert ID_NUMBER not in caplog.text and BIRTH.isoformat() not in caplog.text
