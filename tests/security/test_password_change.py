"""Users change their own password at /accounts/password/ (linked from the user menu): the
current password is required and guessing it is throttled like a login; other sessions end."""

from __future__ import annotations

import pytest
from django.test import Client

from borderlink.accounts.models import LoginFailure, User
from tests.typed import Response

pytestmark = pytest.mark.django_db
OLD, NEW = "an-old-password-for-tests", "Một mật khẩu mới-2026!"


@pytest.fixture
def bob() -> User:
    return User.objects.create_user("t-bob", password=OLD)


def logged_in(password: str, peer: str = "203.0.113.5") -> Client:
    client = Client(REMOTE_ADDR=peer)
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"username": "t-bob", "password": password})
    assert response.status_code == 302
    return client


def change(client: Client, old: str, new: str = NEW, again: str = NEW) -> Response:
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": again},
    )


def test_the_user_menu_links_to_the_password_page(bob: User) -> None:
    client = logged_in(OLD)
    home = client.get("/").content.decode()
    assert 'href="/accounts/password/"' in home
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert 'name="old_password"' in page.content.decode()
    assert Client().get("/accounts/password/").status_code == 302  # to the login page


def test_a_user_changes_their_password_and_other_sessions_end(bob: User) -> None:
    here, elsewhere = logged_in(OLD), logged_in(OLD, peer="198.51.100.5")
    response = change(here, OLD)
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert "password-changed" in here.get(response["Location"]).content.decode()
    bob.refresh_from_db()
    assert bob.check_password(NEW) and bob.password.startswith("argon2$")
    assert here.get("/accounts/password/").status_code == 200  # this session stays
    assert elsewhere.get("/accounts/password/").status_code == 302  # the other one ended


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(bob: User) -> None:
    client = logged_in(OLD)
    assert change(client, "not-it").status_code == 200
    assert change(client, OLD, "12345678", "12345678").status_code == 200  # too common, numeric
    assert change(client, OLD, NEW, NEW + "x").status_code == 200  # the two differ
    bob.refresh_from_db()
    assert bob.check_password(OLD)
    assert LoginFailure.objects.filter(username="t-bob").count() == 1


def test_guessing_the_current_password_is_throttled_like_a_login(bob: User) -> None:
    client = logged_in(OLD)
    for _ in range(5):
        change(client, "guess")
    page = change(client, OLD).content.decode()  # right, but within the wait
    assert "Too many failed logins for this user name" in page
    bob.refresh_from_db()
    assert bob.check_password(OLD)
