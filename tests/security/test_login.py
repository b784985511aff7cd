"""Login hardening: Argon2 hashes, lockout after repeated failures (no raw address stored),
CSRF on every form, secure cookies in production, a content-security policy on every page."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.utils import translation

from borderlink import settings as production
from borderlink.accounts.models import LoginFailure, User
from tests.typed import Response

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-for-tests"
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.9"


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("t-alice", password=PASSWORD)


def attempt(password: str, ip: str = HERE, username: str = "t-alice") -> tuple[Client, Response]:
    client = Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        HTTP_COOKIE="django_language=en",
    )
    return client, response


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_passwords_are_hashed_with_argon2(alice: User) -> None:
    # The suite runs with a cheaper Argon2 (tests/hashers.py); the product's own setting:
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert alice.password.startswith("argon2$")
    assert identify_hasher(alice.password).algorithm == "argon2"
    assert alice.check_password(PASSWORD)


def test_a_right_password_logs_in(alice: User) -> None:
    client, response = attempt(PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_five_failures_lock_the_user_name_from_that_address(alice: User) -> None:
    for _ in range(5):
        client, response = attempt("wrong")
        assert response.status_code == 200 and not logged_in(client)
    client, response = attempt(PASSWORD)  # right, but locked
    assert response.status_code == 200 and not logged_in(client)
    with translation.override("en"):
        page = response.content.decode()
    assert 'id="login-locked"' in page
    assert LoginFailure.objects.filter(username="t-alice").count() == 5  # no more while locked
    # Another address is not locked out: nobody can lock a colleague out from elsewhere.
    client, response = attempt(PASSWORD, ip=ELSEWHERE)
    assert response.status_code == 302 and logged_in(client)


def test_the_lock_message_is_translated(alice: User) -> None:
    for _ in range(5):
        attempt("wrong")
    client = Client(REMOTE_ADDR=HERE)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post("/accounts/login/", {"username": "t-alice", "password": "x"})
    assert "Too many failed logins" in page.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.post("/accounts/login/", {"username": "t-alice", "password": "x"})
    assert 'id="login-locked"' in page.content.decode()


def test_no_raw_address_is_stored(alice: User) -> None:
    attempt("wrong")
    failure = LoginFailure.objects.get()
    assert re.fullmatch(r"[0-9a-f]{64}", failure.ip_hash)
    values = " ".join(str(v) for v in LoginFailure.objects.values_list().get())
    assert HERE not in values


def test_the_lock_ends_with_the_window_and_a_login_clears_the_failures(alice: User) -> None:
    for _ in range(5):
        attempt("wrong")
    LoginFailure.objects.update(at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    client, response = attempt(PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    assert not LoginFailure.objects.exists()


def test_the_admin_login_is_locked_too(alice: User) -> None:
    alice.is_staff = True
    alice.save()
    for _ in range(5):
        attempt("wrong")
    client = Client(REMOTE_ADDR=HERE)
    client.post("/admin/login/", {"username": "t-alice", "password": PASSWORD})
    assert not logged_in(client)


def test_a_post_without_csrf_token_is_refused(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "t-alice", "password": PASSWORD})
    assert response.status_code == 403 and not logged_in(client)
    page = client.get("/accounts/login/")
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/accounts/login/",
        {"username": "t-alice", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and logged_in(client)


def test_session_and_csrf_cookies(alice: User) -> None:
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax" and settings.CSRF_COOKIE_SAMESITE == "Lax"
    client, _response = attempt(PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_production_cookies_are_secure() -> None:
    env = {
        **os.environ,
        "BORDERLINK_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.org",
        "PERSONAL_DATA_KEY": "k" * 40,
    }
    env.pop("SECURE_COOKIES", None)
    code = (
        "import borderlink.settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "True", "True"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)


@pytest.mark.parametrize(
    "address",
    [
        "/accounts/login/",
        "/",
        "/r/activities/",
        "/units/",
        "/admin/",
        "/history/",
        "/stats/dashboard/VN-P02/",
        "/reports/",
        "/delegations/calendar/",
        "/border/map/",
        "/people/totals/",
    ],
)
def test_every_page_has_a_policy_forbidding_inline_scripts(address: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    response = client.get(address, follow=True)
    assert response.status_code == 200, address
    policy = response["Content-Security-Policy"]
    scripts = policy.split("script-src")[1].split(";")[0]
    assert "'self'" in scripts and "unsafe-inline" not in scripts
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert not INLINE_SCRIPT.search(response.content.decode()), address


def test_anonymous_pages_and_errors_carry_the_policy() -> None:
    for address in ("/accounts/login/", "/r/activities/", "/no-such-page/"):
        response = Client().get(address)
        assert "script-src 'self'" in response["Content-Security-Policy"], address


def test_only_the_api_docs_may_run_their_inline_starter() -> None:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    response = client.get("/api/docs/")
    assert response.status_code == 200
    scripts = response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" in scripts
