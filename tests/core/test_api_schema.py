from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from borderlink.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_describes_the_units_api(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    response = client_of(editor).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/units/" in schema["paths"]
    assert "/api/units/{code}/" in schema["paths"]
    assert {"get", "post"} <= set(schema["paths"]["/api/units/"])


def test_the_api_docs_page_is_served_without_a_cdn(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    page = client_of(editor).get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "unpkg" not in page


def test_the_admin_history_cannot_be_edited(client: Client) -> None:
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    assert client.get("/admin/core/changerecord/").status_code == 200
    assert client.get("/admin/core/changerecord/add/").status_code == 403


def test_a_nul_character_anywhere_is_a_clear_400(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    assert client.get("/api/units/?q=a%00b").status_code == 400
    assert client.get("/units/search/?q=%00").status_code == 400
    response = client.post(
        "/api/partnerships/", '{"our_units": ["VN\\u0000"]}', content_type="application/json"
    )
    assert response.status_code == 400
    assert client.post("/r/partnerships/new/", {"title": "x\x00"}).status_code == 400
    encoded = "home_unit=VN%00&our_members=CN%00"  # code lookups: PostgreSQL would fail on NUL
    assert (
        client.post(
            "/api/mechanisms/", encoded, content_type="application/x-www-form-urlencoded"
        ).status_code
        == 400
    )
