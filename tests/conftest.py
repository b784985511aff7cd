"""Shared test world: the real gazetteer and the Hà Giang demo, loaded once per test database.

Tests run in a transaction on top of it and roll back. Browser tests need a live server and so a
transactional database; they load what they need themselves (see browser/conftest.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoDbBlocker

from borderlink.accounts.models import Membership, User
from borderlink.core.roles import Role
from borderlink.places.models import Unit
from borderlink.places.signals import gazetteer_changed
from tests import demo_snapshot
from tests.typed import Login

IN_CI = os.environ.get("CI") == "true"


def pytest_configure() -> None:
    from django.conf import settings

    # Argon2 still, at the least cost (tests/hashers.py): set before the demo's users are made.
    settings.PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        demo_snapshot.load_demo()
        demo_snapshot.take()  # put back after each transactional test that needs it
    yield


@pytest.fixture(autouse=True)
def fresh_gazetteer_caches() -> None:
    """Each test rolls its gazetteer changes back without save signals: start with no cached
    scopes, as a process does after a load."""
    gazetteer_changed.send(sender=Unit)


def api_client(user: User, **headers: str) -> Client:
    """A client that authenticates with a new API key of the user's, as a program would."""
    from borderlink.accounts import api_keys

    _record, key = api_keys.issue(user, "tests")
    environ: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Token {key}", **headers}
    return Client(**environ)


def make_user(username: str, role: str, unit_code: str) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-only")
    Membership.objects.create(user=user, role=role, unit=Unit.objects.get(code=unit_code))
    return user


@pytest.fixture
def vixuyen_officer(db: None) -> User:
    return make_user("t-vixuyen", Role.LOCAL, "VN-D030")


@pytest.fixture
def dongvan_officer(db: None) -> User:
    return make_user("t-dongvan", Role.LOCAL, "VN-D026")


@pytest.fixture
def editor(db: None) -> User:
    return make_user("t-editor", Role.FA_EDITOR, "VN-P02")


@pytest.fixture
def client_of() -> Login:
    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login
