"""What a list page keeps for the length of one page (issue 18): the user's memberships read
once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from borderlink.core.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_list_page_reads_the_users_memberships_once() -> None:
    """The gate and the menu's home unit (accounts/recording.py) both need them."""
    user = make_user("t-cost-editor", Role.FA_EDITOR, "VN-P02")
    client = Client()
    client.force_login(user)
    client.get("/r/activities/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/r/activities/")
    assert response.status_code == 200
    memberships = [
        q["sql"] for q in captured.captured_queries if 'FROM "accounts_membership"' in q["sql"]
    ]
    assert len(memberships) == 1, memberships
