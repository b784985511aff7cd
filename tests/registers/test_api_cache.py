"""The API's answers kept under PostgreSQL's snapshot (registers/api_cache.py, issue 18).

Each test first makes sure the answer it relies on was served from the store (a repeat that
reads no record), so that it proves something about the store; where the property under test
is not the snapshot (users, languages, personal data) the snapshot is pinned, so that another
program's commits on a shared server cannot turn a hit the test needs into a miss.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from borderlink.accounts.models import Membership, User
from borderlink.core import cache_versions, snapshots
from borderlink.core.context import acting_as
from borderlink.core.models import PersonalDataView
from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers import api_cache
from tests import demo_snapshot
from tests.conftest import api_client, make_user
from tests.people.conftest import ID_NUMBER, NAME, registration

pytestmark = pytest.mark.django_db(transaction=True)

TRIES = 20  # a shared server's other programs commit too: a hit may need a second try


@pytest.fixture(autouse=True)
def on_postgresql(transactional_db: None, settings: Any) -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the key is PostgreSQL's snapshot; SQLite keeps nothing")
    demo_snapshot.ensure_demo()  # the test before, committing like this one, emptied it
    settings.API_RESPONSE_CACHE = True
    api_cache.STORE.clear()
    yield
    api_cache.STORE.clear()


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """One snapshot whatever is committed: the other parts of the key alone keep answers apart.
    The snapshot an API key's authentication notes is not used (api_cache takes its own)."""
    monkeypatch.setattr(api_cache, "snapshot", lambda alias: "pinned")
    monkeypatch.setattr(snapshots, "noted", lambda request, alias: None)


def activity(title: str, unit: str) -> Activity:
    with acting_as(None, reason="test"):
        return Activity.objects.create(
            kind="meeting",
            occurred_on=datetime.date(2024, 5, 1),
            title=title,
            home_unit=Unit.objects.get(code=unit),
        )


def get(client: Client, url: str, **headers: Any) -> tuple[bytes, bool]:
    """The answer's body, and whether it was served from the store (no record read)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    read = any('"ledger_activity"' in q["sql"] for q in captured.captured_queries)
    return response.content, not read


def kept(client: Client, url: str, **headers: Any) -> bytes:
    """Ask until an answer comes from the store (two asks within one snapshot), or fail."""
    for _ in range(TRIES):
        body, hit = get(client, url, **headers)
        if hit:
            return body
    raise AssertionError(f"{url}: never served from the store in {TRIES} tries")


def committed_elsewhere(sql: str, params: list[Any]) -> None:
    """`sql` run and committed by a connection of its own, as another program would: no signal,
    no Django, nothing this process hears of."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute(sql, params)
        other.commit()
    finally:
        other.close()


def test_a_raw_update_committed_by_another_connection_changes_the_next_answer(
    editor: User,
) -> None:
    record = activity("t-cache before", "VN-P02")
    client = api_client(editor)
    for url in ("/api/activities/", f"/api/activities/{record.pk}/"):
        assert b"t-cache before" in kept(client, url)
    committed_elsewhere(
        "UPDATE ledger_activity SET title = %s WHERE id = %s", ["t-cache after", record.pk]
    )
    for url in ("/api/activities/", f"/api/activities/{record.pk}/"):
        body, _hit = get(client, url)
        assert b"t-cache after" in body and b"t-cache before" not in body, url


def test_a_queryset_update_in_this_process_changes_the_next_answer(editor: User) -> None:
    record = activity("t-cache before", "VN-P02")
    client = api_client(editor)
    assert b"t-cache before" in kept(client, f"/api/activities/{record.pk}/")
    Activity.objects.filter(pk=record.pk).update(title="t-cache after")  # no signal sent
    body, _hit = get(client, f"/api/activities/{record.pk}/")
    assert b"t-cache after" in body


def test_a_revoked_membership_takes_effect_at_once(editor: User) -> None:
    record = activity("t-cache in reach", "VN-P02")
    client = api_client(editor)
    assert b"t-cache in reach" in kept(client, "/api/activities/")
    assert b"t-cache in reach" in kept(client, f"/api/activities/{record.pk}/")
    Membership.objects.filter(user=editor).delete()  # the user's row itself is unchanged
    body, _hit = get(client, "/api/activities/")
    assert b"t-cache in reach" not in body
    assert client.get(f"/api/activities/{record.pk}/").status_code == 404


@pytest.mark.usefixtures("pinned")
def test_users_of_different_scopes_never_get_each_others_answer(
    vixuyen_officer: User, dongvan_officer: User
) -> None:
    activity("t-cache vi xuyen", "VN-D030")
    activity("t-cache dong van", "VN-D026")
    mine, theirs = api_client(vixuyen_officer), api_client(dongvan_officer)
    first = kept(mine, "/api/activities/")
    assert b"t-cache vi xuyen" in first and b"t-cache dong van" not in first
    other, hit = get(theirs, "/api/activities/")
    assert not hit  # the same address and snapshot, another user: not the kept answer
    assert b"t-cache dong van" in other and b"t-cache vi xuyen" not in other
    assert b"t-cache dong van" in kept(theirs, "/api/activities/")
    assert b"t-cache vi xuyen" in kept(mine, "/api/activities/")


@pytest.mark.usefixtures("pinned")
def test_a_user_changed_before_the_snapshot_is_another_key(editor: User) -> None:
    """The user is read before the snapshot is taken (authentication): their row is the key's."""
    activity("t-cache secret", "VN-P02")
    client = api_client(editor)
    kept(client, "/api/activities/")
    User.objects.filter(pk=editor.pk).update(is_superuser=True)
    _body, hit = get(client, "/api/activities/")
    assert not hit


@pytest.mark.usefixtures("pinned")
def test_a_new_gazetteer_version_is_another_key(editor: User) -> None:
    """The gate's reach is kept per process under the gazetteer's version, which moves on just
    after the commit that changed the units: an answer made in between is not served past it."""
    activity("t-cache units", "VN-P02")
    client = api_client(editor)
    kept(client, "/api/activities/")
    cache_versions.bump("gazetteer")  # no commit: the pinned snapshot alone would not move
    _body, hit = get(client, "/api/activities/")
    assert not hit


@pytest.mark.usefixtures("pinned")
def test_each_language_and_format_is_kept_apart(editor: User) -> None:
    activity("t-cache lang", "VN-P02")
    client = api_client(editor)
    kept(client, "/api/activities/", HTTP_ACCEPT_LANGUAGE="en")
    _body, hit = get(client, "/api/activities/", HTTP_ACCEPT_LANGUAGE="vi")
    assert not hit
    kept(client, "/api/activities/", HTTP_ACCEPT_LANGUAGE="vi")
    _body, hit = get(client, "/api/activities/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert not hit
    _body, hit = get(client, "/api/activities/", HTTP_ACCEPT_LANGUAGE="en", HTTP_ACCEPT="*/*")
    assert not hit  # another Accept header
    # The browsable API's page carries its own request's CSRF token: never kept.
    html = client.get("/api/activities/?format=api")
    assert html.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/activities/?format=api")
    assert any('"ledger_activity"' in q["sql"] for q in captured.captured_queries)


@pytest.mark.usefixtures("pinned")
def test_personal_data_is_never_served_from_the_store(editor: User) -> None:
    labour_officer = make_user("t-labour", Role.LABOUR, "VN-P02")
    record = registration()
    granted, other = api_client(labour_officer), api_client(editor)
    for url in ("/api/labour-registrations/", f"/api/labour-registrations/{record.pk}/"):
        logged = PersonalDataView.objects.count()
        for _ in range(2):
            assert ID_NUMBER in granted.get(url).content.decode()
        # Every showing audited, the second too: it was made again, not kept.
        assert PersonalDataView.objects.count() >= logged + 2, url
        masked = other.get(url).content.decode()
        assert ID_NUMBER not in masked and NAME not in masked, url
    assert len(api_cache.STORE) == 0


def test_a_head_request_and_the_etag_are_as_before(editor: User) -> None:
    record = activity("t-cache head", "VN-P02")
    client = api_client(editor)
    fresh = client.get(f"/api/activities/{record.pk}/")
    kept(client, f"/api/activities/{record.pk}/")
    again = client.get(f"/api/activities/{record.pk}/")
    assert again["ETag"] == fresh["ETag"] and again.content == fresh.content
    assert sorted(again.items()) == sorted(fresh.items())
    head = client.head(f"/api/activities/{record.pk}/")
    assert head.status_code == 200 and head["ETag"] == fresh["ETag"] and head.content == b""
