"""An API key's holder kept per process under PostgreSQL's snapshot (accounts/api_keys.py).

A key found once is not looked up again while nothing is committed anywhere on the server; a
revocation, an expiry set back, a deactivated user or a changed user commits, moves the snapshot
on, and takes effect on the next request, whoever committed it (another connection included).
Each test first makes sure the key was served from what the process kept (a request that does
not read the keys' table), so that what follows proves something about it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from borderlink.accounts import api_keys
from borderlink.accounts.models import ApiKey, User
from borderlink.core.roles import Role
from tests import demo_snapshot
from tests.conftest import make_user
from tests.registers.test_api_cache import committed_elsewhere

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/api/activities/"
TRIES = 20  # a shared server's other programs commit too: a hit may need a second try


@pytest.fixture(autouse=True)
def on_postgresql(transactional_db: None, settings: Any) -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the key is kept under PostgreSQL's snapshot")
    demo_snapshot.ensure_demo()
    settings.API_RESPONSE_CACHE = False  # each answer made: the key is what is under test
    api_keys._KNOWN.clear()
    yield
    api_keys._KNOWN.clear()


@pytest.fixture
def editor() -> User:
    return make_user("t-kept-editor", Role.FA_EDITOR, "VN-P02")


def ask(client: Client) -> tuple[int, bool]:
    """The answer's status, and whether the key was looked up in its table."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get(LIST).status_code
    return status, looked_up(captured.captured_queries)


def looked_up(queries: list[dict[str, Any]]) -> bool:
    """Whether the keys' table was read (its last use stamped, once a minute, is no look-up)."""
    return any(q["sql"].startswith("SELECT") and '"accounts_apikey"' in q["sql"] for q in queries)


def kept_key(client: Client) -> None:
    """Ask until the key is served from what the process kept (two asks within one snapshot)."""
    for _ in range(TRIES):
        status, read = ask(client)
        assert status == 200
        if not read:
            return
    raise AssertionError(f"the key was looked up on each of {TRIES} requests")


def test_a_key_revoked_by_another_connection_stops_at_once(editor: User) -> None:
    record, key = api_keys.issue(editor, "script")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    kept_key(client)
    committed_elsewhere(
        "UPDATE accounts_apikey SET revoked_at = %s WHERE id = %s", [timezone.now(), record.pk]
    )
    assert ask(client)[0] == 401


def test_a_key_revoked_in_the_admin_way_stops_at_once(editor: User) -> None:
    record, key = api_keys.issue(editor, "script")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    kept_key(client)
    api_keys.revoke(ApiKey.objects.get(pk=record.pk))
    assert ask(client)[0] == 401


def test_a_deactivated_user_or_an_expired_key_stops_at_once(editor: User) -> None:
    _record, key = api_keys.issue(editor, "script")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    kept_key(client)
    User.objects.filter(pk=editor.pk).update(is_active=False)
    assert ask(client)[0] == 401
    User.objects.filter(pk=editor.pk).update(is_active=True)
    kept_key(client)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ApiKey.objects.filter(user=editor).update(expires_on=yesterday)
    assert ask(client)[0] == 401


def test_the_day_a_key_expires_is_checked_on_every_request(
    editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day moves without a commit: a kept key past its last day stops all the same."""
    record, key = api_keys.issue(editor, "script", days=1)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    kept_key(client)
    after = record.expires_on + datetime.timedelta(days=1)
    monkeypatch.setattr(api_keys.timezone, "localdate", lambda: after)
    assert ask(client)[0] == 401


def test_each_request_gets_its_own_user(editor: User) -> None:
    """The kept row, never the object: a user's per-request memos (memberships, reach) start
    empty on each request."""
    _record, key = api_keys.issue(editor, "script")
    first = api_keys.holder(key)
    assert first is not None
    first.user.memberships_read()
    for _ in range(TRIES):
        with CaptureQueriesContext(connection) as captured:
            kept = api_keys.holder(key)
        if not looked_up(captured.captured_queries):
            break
    else:
        raise AssertionError(f"the key was looked up on each of {TRIES} calls")
    assert kept is not None and kept.user is not first.user and kept.user.pk == editor.pk
    assert kept.user.username == editor.username and kept.user.is_active
    assert "_borderlink_membership_rows" not in kept.user.__dict__


def test_a_wrong_key_is_not_kept(editor: User) -> None:
    assert api_keys.holder("x" * 43) is None
    assert api_keys._KNOWN == {}
