"""Two users edit the same record: the second save is refused with what changed, never silently
overwriting the first — on the register pages and through the API."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.registers.forms import VERSION_FIELD, form_class
from borderlink.registers.spec import get_register
from tests.conftest import api_client, make_user
from tests.registers.samples import IN_SCOPE, SAMPLES
from tests.typed import Response

pytestmark = pytest.mark.django_db


def _record() -> Activity:
    form = form_class(get_register("activities"))(data=SAMPLES["activities"](*IN_SCOPE))
    assert form.is_valid(), form.errors
    with acting_as(None, reason="test"):
        return form.save()


def _token(page: str) -> str:
    found = re.search(rf'name="{VERSION_FIELD}" value="([^"]+)"', page)
    assert found, "the edit page carries no record version"
    return found.group(1)


def _edit(client: Client, pk: int, token: str | None, **changes: str) -> Response:
    data = {**SAMPLES["activities"](*IN_SCOPE), **changes}
    if token is not None:
        data[VERSION_FIELD] = token
    return client.post(f"/r/activities/{pk}/edit/", data)


@pytest.fixture
def english(client_of: Callable[[User], Client]) -> Callable[[User], Client]:
    def login(user: User) -> Client:
        client = client_of(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def two_officers(db: None) -> tuple[User, User]:
    return make_user("t-first", Role.LOCAL, "VN-D030"), make_user("t-second", Role.LOCAL, "VN-D030")


def test_the_second_save_from_a_stale_page_is_refused_with_what_changed(
    two_officers: tuple[User, User], english: Callable[[User], Client]
) -> None:
    record = _record()
    first, second = (english(u) for u in two_officers)
    token_first = _token(first.get(f"/r/activities/{record.pk}/edit/").content.decode())
    token_second = _token(second.get(f"/r/activities/{record.pk}/edit/").content.decode())

    saved = _edit(first, record.pk, token_first, title="Thư của người thứ nhất", count="5")
    assert saved.status_code == 302

    refused = _edit(second, record.pk, token_second, title="Thư của người thứ hai")
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "t-first changed this record" in page and "Nothing was saved" in page
    assert "Title is now “Thư của người thứ nhất”" in page
    assert "Number of times is now “5”" in page
    assert "Kind is now" not in page  # unchanged fields are not listed
    assert 'value="Thư của người thứ hai"' in page  # what the second user typed is kept
    record.refresh_from_db()
    assert (record.title, record.count) == ("Thư của người thứ nhất", 5)

    # Having seen what changed, saving again (the page now carries the current version) wins.
    again = _edit(second, record.pk, _token(page), title="Thư của người thứ hai")
    assert again.status_code == 302
    record.refresh_from_db()
    assert record.title == "Thư của người thứ hai"


def test_a_save_from_a_current_page_and_an_invalid_one_keep_the_version(
    two_officers: tuple[User, User], english: Callable[[User], Client]
) -> None:
    record = _record()
    first, second = (english(u) for u in two_officers)
    token = _token(first.get(f"/r/activities/{record.pk}/edit/").content.decode())
    invalid = _edit(first, record.pk, token, occurred_on="not a date")
    assert invalid.status_code == 200 and _token(invalid.content.decode()) == token
    # Someone else saves while the first user corrects the date: still refused.
    second_token = _token(second.get(f"/r/activities/{record.pk}/edit/").content.decode())
    assert _edit(second, record.pk, second_token, title="Đổi").status_code == 302
    refused = _edit(first, record.pk, token, title="Của tôi")
    assert refused.status_code == 200 and "Title is now “Đổi”" in refused.content.decode()
    record.refresh_from_db()
    assert record.title == "Đổi"


def test_an_unchanged_record_saves_and_a_form_without_a_version_saves_as_before(
    two_officers: tuple[User, User], english: Callable[[User], Client]
) -> None:
    record = _record()
    client = english(two_officers[0])
    token = _token(client.get(f"/r/activities/{record.pk}/edit/").content.decode())
    assert _edit(client, record.pk, token, title="Một").status_code == 302
    assert _edit(client, record.pk, None, title="Hai").status_code == 302
    record.refresh_from_db()
    assert record.title == "Hai"


def test_the_version_carries_fingerprints_not_values() -> None:
    record = _record()
    from borderlink.registers.forms import version_token

    token = version_token(get_register("activities"), record)
    assert record.title not in token
    assert record.title not in str(signing.loads(token, salt="borderlink.registers.version"))


def _api(user: User) -> Client:
    return api_client(user, HTTP_ACCEPT_LANGUAGE="en")


def test_the_api_answers_409_to_a_stale_if_match_and_returns_the_record_as_it_is(
    two_officers: tuple[User, User],
) -> None:
    record = _record()
    first, second = (_api(u) for u in two_officers)
    url = f"/api/activities/{record.pk}/"
    etag_first = first.get(url)["ETag"]
    etag_second = second.get(url)["ETag"]
    assert etag_first == etag_second and etag_first.startswith('"')

    saved = first.patch(
        url, {"title": "Một"}, content_type="application/json", HTTP_IF_MATCH=etag_first
    )
    assert saved.status_code == 200 and saved["ETag"] != etag_first

    refused = second.patch(
        url, {"title": "Hai"}, content_type="application/json", HTTP_IF_MATCH=etag_second
    )
    assert refused.status_code == 409
    body = refused.json()
    # The history names the token's user, so the message says who changed it.
    assert "changed this record" in body["detail"] and "Nothing was saved" in body["detail"]
    assert two_officers[0].username in body["detail"]
    assert body["current"]["title"] == "Một"
    assert refused["ETag"] == saved["ETag"]
    record.refresh_from_db()
    assert record.title == "Một"

    again = second.patch(
        url, {"title": "Hai"}, content_type="application/json", HTTP_IF_MATCH=refused["ETag"]
    )
    assert again.status_code == 200
    record.refresh_from_db()
    assert record.title == "Hai"


def test_the_api_also_takes_the_records_updated_at_as_its_version(
    two_officers: tuple[User, User],
) -> None:
    record = _record()
    first, second = (_api(u) for u in two_officers)
    url = f"/api/activities/{record.pk}/"
    seen = second.get(url).json()["updated_at"]
    assert (
        first.patch(url, {"title": "Một"}, content_type="application/json", HTTP_IF_MATCH="*")
    ).status_code == 200
    stale = second.put(
        url,
        {**second.get(url).json(), "title": "Hai", "updated_at": seen},
        content_type="application/json",
    )
    assert stale.status_code == 409
    current = second.get(url).json()
    fresh = second.patch(
        url, {"title": "Hai", "updated_at": current["updated_at"]}, content_type="application/json"
    )
    assert fresh.status_code == 200
    record.refresh_from_db()
    assert record.title == "Hai"


def test_an_api_change_that_names_no_version_is_refused_and_changes_nothing(
    two_officers: tuple[User, User],
) -> None:
    """Issue 16, item 9: without If-Match (or updated_at) a PUT/PATCH answers 428."""
    record = _record()
    client = _api(two_officers[0])
    url = f"/api/activities/{record.pk}/"
    for method in (client.patch, client.put):
        refused = method(url, {"title": "Không phiên bản"}, content_type="application/json")
        assert refused.status_code == 428
        assert "If-Match" in refused.json()["detail"]
    record.refresh_from_db()
    assert record.title != "Không phiên bản"
