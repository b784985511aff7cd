"""API keys (accounts/api_keys.py): made by their owner on /accounts/api-keys/, shown once, kept
as a digest, the owner's rights and no more, dead when expired, revoked or the user deactivated;
administrators confirm a new key with a code from their authenticator."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from borderlink.accounts import api_keys, twofactor
from borderlink.accounts.models import ApiKey, LoginFailure, User
from borderlink.core import access_keys
from borderlink.core.context import acting_as
from borderlink.ledger.models import Activity
from tests.stats.helpers import add_activity

pytestmark = pytest.mark.django_db

LIST = "/api/activities/"


def made_key(page: str) -> str:
    found = re.search(r'id="new-key-value" value="([^"]+)"', page)
    assert found, "the new key is shown"
    return found.group(1)


def test_a_user_makes_a_key_sees_it_once_and_a_program_uses_it(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    browser = client_of(editor)
    browser.cookies["django_language"] = "en"
    response = browser.post("/accounts/api-keys/", {"name": "Station sync", "days": 30})
    assert response.status_code == 302  # a reload of the next page makes no second key
    page = browser.get(response["Location"]).content.decode()
    key = made_key(page)
    stored = ApiKey.objects.get(user=editor)
    assert stored.digest == access_keys.digest(key) and key not in stored.digest
    assert stored.prefix == key[:8] and stored.name == "Station sync"
    assert stored.expires_on == timezone.localdate() + datetime.timedelta(days=30)
    # The list shows its name and first characters, never the key again.
    listed = browser.get("/accounts/api-keys/").content.decode()
    assert "Station sync" in listed and f"{key[:8]}…" in listed and key not in listed
    # A program sends it, with either keyword; it gets what the editor gets.
    for keyword in ("Token", "Bearer"):
        program = Client(HTTP_AUTHORIZATION=f"{keyword} {key}")
        assert program.get(LIST).status_code == 200, keyword
    assert ApiKey.objects.get(pk=stored.pk).last_used_at is not None
    assert browser.get(LIST).json()["count"] == program.get(LIST).json()["count"]


def test_a_key_has_its_owners_rights_and_no_more(vixuyen_officer: User, editor: User) -> None:
    with acting_as(None, reason="test"):
        ours = add_activity(home="VN-D030", kind="meeting", counterpart="CN-532624")
    _record, key = api_keys.issue(vixuyen_officer, "district script")
    program = Client(HTTP_AUTHORIZATION=f"Token {key}")
    theirs = program.get(LIST).json()
    everything = Client(HTTP_AUTHORIZATION=f"Token {api_keys.issue(editor, 'e')[1]}")
    assert 0 < theirs["count"] < everything.get(LIST).json()["count"]
    assert program.get(f"{LIST}{ours.pk}/").status_code == 200
    provincial = Activity.objects.exclude(home_unit__path__startswith=ours.home_unit.path).first()
    assert provincial is not None
    assert program.get(f"{LIST}{provincial.pk}/").status_code == 404


def test_a_revoked_expired_or_orphaned_key_stops_working(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    revoked, revoked_key = api_keys.issue(editor, "old laptop")
    expired, expired_key = api_keys.issue(editor, "last year", days=1)
    _working, working_key = api_keys.issue(editor, "still here")
    assert Client(HTTP_AUTHORIZATION=f"Token {revoked_key}").get(LIST).status_code == 200
    browser = client_of(editor)
    browser.cookies["django_language"] = "en"
    response = browser.post(f"/accounts/api-keys/{revoked.pk}/revoke/")
    assert response.status_code == 302
    ApiKey.objects.filter(pk=expired.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    for key in (revoked_key, expired_key, "not-a-key", "x" * 500):
        answer = Client(HTTP_AUTHORIZATION=f"Token {key}").get(LIST)
        assert answer.status_code == 401, key
        assert answer["WWW-Authenticate"].startswith("Token")
    assert Client(HTTP_AUTHORIZATION=f"Token {working_key}").get(LIST).status_code == 200
    page = browser.get("/accounts/api-keys/").content.decode()
    assert "Revoked" in page and "Expired" in page
    # Deactivating the user ends every key of theirs.
    User.objects.filter(pk=editor.pk).update(is_active=False)
    assert Client(HTTP_AUTHORIZATION=f"Token {working_key}").get(LIST).status_code == 401


def test_nobody_revokes_anothers_key(
    editor: User, vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    record, key = api_keys.issue(editor, "mine")
    response = client_of(vixuyen_officer).post(f"/accounts/api-keys/{record.pk}/revoke/")
    assert response.status_code == 404
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(LIST).status_code == 200


def test_the_form_says_what_is_wrong_in_the_users_language_and_makes_nothing(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    browser = client_of(editor)
    browser.cookies["django_language"] = "vi"
    page = browser.post("/accounts/api-keys/", {"name": "Quá lâu", "days": 1000}).content.decode()
    assert "Chưa có gì được lưu." in page
    assert "nhỏ hơn hoặc bằng với 365" in page  # Django's own message, in Vietnamese
    assert 'value="Quá lâu"' in page  # what the user typed is kept
    assert not ApiKey.objects.filter(user=editor).exists()
    for n in range(api_keys.MAX_ACTIVE):
        api_keys.issue(editor, f"k{n}")
    browser.cookies["django_language"] = "en"
    page = browser.post("/accounts/api-keys/", {"name": "one more", "days": 5}).content.decode()
    assert f"You already have {api_keys.MAX_ACTIVE} keys in use" in page
    assert ApiKey.objects.filter(user=editor).count() == api_keys.MAX_ACTIVE


def test_an_administrator_confirms_a_new_key_with_a_code() -> None:
    root = User.objects.create_superuser("t-root-keys", password="x-long-password")
    device = twofactor.device_for(root)
    browser = Client(REMOTE_ADDR="203.0.113.9")
    browser.force_login(root)
    browser.cookies["django_language"] = "en"
    page = browser.post("/accounts/api-keys/", {"name": "admin script", "days": 7}).content.decode()
    assert 'id="new-key"' not in page and not ApiKey.objects.filter(user=root).exists()
    assert "This field is required." in page
    page = browser.post(
        "/accounts/api-keys/", {"name": "admin script", "days": 7, "code": "000000"}
    ).content.decode()
    assert "The code is not right" in page and not ApiKey.objects.filter(user=root).exists()
    assert LoginFailure.objects.filter(username="t-root-keys").count() == 1  # counts to lockout
    code = pyotp.TOTP(device.secret, interval=twofactor.STEP).now()
    page = browser.post(
        "/accounts/api-keys/", {"name": "admin script", "days": 7, "code": code}, follow=True
    ).content.decode()
    key = made_key(page)
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(LIST).status_code == 200


def test_the_schema_describes_the_key(editor: User, client_of: Callable[[User], Client]) -> None:
    schema = client_of(editor).get("/api/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["apiKey"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": scheme["description"],
    }
    assert {"apiKey": []} in schema["paths"][LIST]["get"]["security"]


def test_an_administrator_sees_every_key_and_revokes_one_in_the_admin(editor: User) -> None:
    record, key = api_keys.issue(editor, "forgotten script")
    root = User.objects.create_superuser("t-root-admin-keys", password="x-long-password")
    admin_page = Client()
    admin_page.force_login(root)
    listing = admin_page.get("/admin/accounts/apikey/").content.decode()
    assert "forgotten script" in listing and key not in listing and record.digest not in listing
    assert admin_page.get("/admin/accounts/apikey/add/").status_code == 403
    admin_page.post(
        "/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [record.pk]}
    )
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(LIST).status_code == 401
