"""Administrators log in with a password and then a time-based code (accounts/twofactor.py)."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client

from borderlink.accounts import twofactor
from borderlink.accounts.models import LoginFailure, Membership, TotpDevice, User
from borderlink.core.roles import Role
from borderlink.places.models import Unit
from tests.typed import Response

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-for-tests"


@pytest.fixture
def root() -> User:
    return User.objects.create_superuser("t-root", password=PASSWORD)


def password_step(username: str, next_url: str = "") -> tuple[Client, Response]:
    client = Client(REMOTE_ADDR="203.0.113.8")
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client, client.post("/accounts/login/", data)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_superuser_enrols_then_logs_in_with_a_code(root: User) -> None:
    client, response = password_step("t-root", "/history/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert not logged_in(client)
    page = client.get("/accounts/login/code/").content.decode()
    secret = TotpDevice.objects.get(user=root).secret
    assert 'id="code-enrol"' in page and secret in page
    code = pyotp.TOTP(secret).now()
    response = client.post("/accounts/login/code/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/history/"
    assert logged_in(client) and TotpDevice.objects.get(user=root).confirmed
    # Next time the key is not shown again, and the same code is not accepted twice.
    client, _response = password_step("t-root")
    page = client.get("/accounts/login/code/").content.decode()
    assert 'id="code-enrol"' not in page and secret not in page
    response = client.post("/accounts/login/code/", {"code": code})
    assert response.status_code == 200 and not logged_in(client)


def test_wrong_codes_count_as_failed_logins(root: User) -> None:
    client, _response = password_step("t-root")
    for _ in range(5):
        response = client.post("/accounts/login/code/", {"code": "000000"})
        assert response.status_code == 200 and not logged_in(client)
    assert LoginFailure.objects.filter(username="t-root").count() == 5
    secret = TotpDevice.objects.get(user=root).secret
    response = client.post("/accounts/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert 'id="login-locked"' in response.content.decode() and not logged_in(client)


def test_the_administrator_role_needs_a_code_and_other_roles_do_not() -> None:
    admin = User.objects.create_user("t-admin-role", password=PASSWORD)
    Membership.objects.create(user=admin, role=Role.ADMIN, unit=Unit.objects.get(code="VN"))
    client, response = password_step("t-admin-role")
    assert response["Location"] == "/accounts/login/code/" and not logged_in(client)
    officer = User.objects.create_user("t-officer", password=PASSWORD)
    Membership.objects.create(user=officer, role=Role.LOCAL, unit=Unit.objects.get(code="VN-D030"))
    client, response = password_step("t-officer")
    assert response.status_code == 302 and logged_in(client)


def test_the_code_step_needs_the_password_step_and_expires(root: User) -> None:
    assert Client().get("/accounts/login/code/")["Location"] == "/accounts/login/"
    client, _response = password_step("t-root")
    session = client.session
    state = session[twofactor.PENDING]
    state["until"] = time.time() - 1
    session[twofactor.PENDING] = state
    session.save()
    secret = TotpDevice.objects.get_or_create(user=root, defaults={"secret": "A" * 32})[0].secret
    response = client.post("/accounts/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/accounts/login/" and not logged_in(client)


def test_codes_allow_one_step_of_drift_and_refuse_others(root: User) -> None:
    device = twofactor.device_for(root)
    totp = pyotp.TOTP(device.secret)
    now = time.time()
    assert not twofactor.verify(device, totp.at(now - 90), now)
    assert not twofactor.verify(device, "12345", now)
    assert twofactor.verify(device, totp.at(now - 30), now)


def test_the_admin_site_logs_in_through_the_site_login(root: User) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client = Client()
    client.post("/admin/login/", {"username": "t-root", "password": PASSWORD})
    assert not logged_in(client)


def enrolled(user: User) -> str:
    device = twofactor.device_for(user)
    assert twofactor.verify(device, pyotp.TOTP(device.secret).now())
    return device.secret


def test_another_administrator_resets_a_lost_authenticator(root: User) -> None:
    old_secret = enrolled(root)
    elsewhere = Client()
    elsewhere.force_login(root)  # a session opened before the phone was lost
    colleague = User.objects.create_superuser("t-root-2", password=PASSWORD)
    enrolled(colleague)
    admin_page = Client()
    admin_page.force_login(colleague)
    admin_page.cookies["django_language"] = "en"
    action = {"action": "reset_authenticator", "_selected_action": [root.pk, colleague.pk]}
    page = admin_page.post("/admin/accounts/user/", action, follow=True).content.decode()
    assert "You cannot reset your own authenticator" in page
    assert "1 authenticator reset" in page
    assert TotpDevice.objects.filter(user=colleague, confirmed=True).exists()  # own one kept
    assert "_auth_user_id" not in elsewhere.session  # the reset ended the user's sessions
    # The next login after the password shows a new key to enrol; the old phone's codes fail.
    client, _response = password_step("t-root")
    page = client.get("/accounts/login/code/").content.decode()
    new_secret = TotpDevice.objects.get(user=root).secret
    assert 'id="code-enrol"' in page and new_secret != old_secret
    client.post("/accounts/login/code/", {"code": pyotp.TOTP(old_secret).now()})
    assert not logged_in(client)


def test_the_operator_resets_the_last_administrators_authenticator(root: User) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    enrolled(root)
    out = StringIO()
    call_command("reset_authenticator", "t-root", stdout=out)
    assert "will enrol a new authenticator" in out.getvalue()
    assert not TotpDevice.objects.filter(user=root).exists()
    with pytest.raises(CommandError):
        call_command("reset_authenticator", "nobody-of-that-name", stdout=out)
