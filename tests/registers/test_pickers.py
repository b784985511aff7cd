"""The pickers' endpoint (registers/pickers.py): what a link field offers as the user types.

It offers only what the user may view; for the field that decides who may record (home_unit),
only units the gate lets them add under, valid on the record's date; it finds names typed without
diacritics or in pinyin, and names each choice in the page's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from borderlink.accounts.models import User
from borderlink.core.permissions import can_under
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BEFORE_REFORM = datetime.date(2024, 3, 1)


def pick(client: Client, url: str, **params: Any) -> list[dict[str, str]]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def codes(results: list[dict[str, str]]) -> list[str]:
    return [r["value"] for r in results]


def meeting(home: str, title: str, sensitivity: int = 0) -> Activity:
    return Activity.objects.create(
        home_unit=Unit.objects.get(code=home),
        kind="meeting",
        occurred_on=datetime.date(2024, 5, 2),
        title=title,
        diplomacy="state",
        count=1,
        sensitivity=sensitivity,
    )


def test_a_record_link_offers_only_records_the_user_may_view(
    vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    ours = meeting("VN-D030", "Gặp gỡ Vị Xuyên thử")
    theirs = meeting("VN-D026", "Gặp gỡ Đồng Văn thử")
    secret = meeting("VN-D030", "Gặp gỡ Vị Xuyên mật thử", sensitivity=2)
    client = client_of(vixuyen_officer)
    offered = codes(pick(client, "/r/commitments/pick/meeting/", q="thử"))
    assert str(ours.pk) in offered
    assert str(theirs.pk) not in offered
    assert str(secret.pk) not in offered
    # Naming a hidden record by its number does not reveal it either, nor does the filter.
    assert pick(client, "/r/commitments/pick/meeting/", code=str(theirs.pk)) == []
    assert str(theirs.pk) not in codes(pick(client, "/r/commitments/pick/meeting/", q=theirs.pk))
    # A record reads as "date · title", with what it is and whose.
    shown = next(r for r in pick(client, "/r/commitments/pick/meeting/", q="thử"))
    assert shown["label"] == "02/05/2024 · Gặp gỡ Vị Xuyên thử"
    assert "Huyện Vị Xuyên" in shown["detail"]


def test_a_district_officer_is_never_offered_a_unit_outside_their_reach_for_home_unit(
    vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(vixuyen_officer)
    url = "/r/activities/pick/home_unit/"
    seen: set[str] = set()
    for day in (TODAY, BEFORE_REFORM):
        for text in ("", "xa", "thanh", "dong van", "ha giang", "tuyen quang", "a", "vn"):
            for result in pick(client, url, q=text, on=day.isoformat()):
                unit = Unit.objects.get(code=result["value"])
                assert can_under(vixuyen_officer, Activity, "add", unit.path), (text, unit.code)
                assert unit.is_valid_on(day), (text, unit.code, day)
                seen.add(unit.code)
    # It does offer their own: the district's communes before the reform, their holders after.
    assert "VN-C00928" in codes(pick(client, url, q="thanh thuy", on=BEFORE_REFORM.isoformat()))
    assert "VN-C00928-2025" in codes(pick(client, url, q="thanh thuy", on=TODAY.isoformat()))
    # Nothing typed: the units they may record for.
    assert pick(client, url, q="", on=TODAY.isoformat())
    # Not Đồng Văn's, nor the province above them; the counterpart field is not narrowed so.
    assert not {"VN-D026", "VN-P02", "VN-P08-2025"} & seen
    counterpart = pick(client, "/r/activities/pick/counterpart/", q="tianbao")
    assert "CN-532624-TIANBAO" in codes(counterpart)


def test_units_are_offered_only_on_the_days_they_exist(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    url = "/r/activities/pick/home_unit/"
    # The date as the page's language writes it (vi: dd/mm/yyyy) or as ISO.
    before = codes(pick(client, url, q="thanh thuy", on="01/03/2024"))
    after = codes(pick(client, url, q="thanh thuy", on=TODAY.isoformat()))
    assert "VN-C00928" in before and "VN-C00928-2025" not in before
    assert "VN-C00928-2025" in after and "VN-C00928" not in after


def test_names_are_found_without_diacritics_in_pinyin_and_in_chinese(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    home = "/r/activities/pick/home_unit/"
    counterpart = "/r/activities/pick/counterpart/"
    assert codes(pick(client, home, q="thanh thuy", on=TODAY.isoformat()))[0] == "VN-C00928-2025"
    assert "VN-C00928-2025" in codes(pick(client, home, q="Thanh Thủy", on=TODAY.isoformat()))
    for text in ("tianbao", "Thien Bao", "天保"):
        assert "CN-532624-TIANBAO" in codes(pick(client, counterpart, q=text)), text
    # The list filter finds them the same way, whatever their dates.
    assert "VN-C00928" in codes(
        pick(client, "/r/activities/pick/home_unit/filter/", q="thanh thuy")
    )


@pytest.mark.parametrize(
    ("language", "name", "kind"),
    [
        ("vi", "Thị trấn Thiên Bảo", "Xã"),
        ("en", "Tianbao Town", "Commune"),
        ("zh-hans", "天保镇", ""),
    ],
)
def test_each_choice_is_named_in_the_pages_language(
    editor: User, client_of: Callable[[User], Client], language: str, name: str, kind: str
) -> None:
    client = client_of(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    results = pick(client, "/r/activities/pick/counterpart/", q="tianbao")
    choice = next(r for r in results if r["value"] == "CN-532624-TIANBAO")
    assert choice["label"] == name
    parent = Unit.objects.get(code="CN-532624").name_for(language)
    assert parent and parent in choice["detail"]
    assert kind in choice["detail"]


def test_the_page_draws_pickers_and_the_code_boxes_still_take_codes(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    page = client.get("/r/activities/new/").content.decode()
    assert 'data-picker-url="/r/activities/pick/home_unit/"' in page
    assert 'data-picker-on="occurred_on"' in page
    assert 'data-picker-url="/r/activities/pick/partnership/"' in page
    # Several records: chips; the box still reads codes separated by ";".
    page = client.get("/r/partnerships/new/").content.decode()
    assert 'data-picker-url="/r/partnerships/pick/our_units/"' in page
    assert "data-picker-multiple" in page
    listing = client.get("/r/activities/").content.decode()
    assert 'data-picker-url="/r/activities/pick/counterpart/filter/"' in listing
    # A list filter still filters by the code the picker puts in the box.
    meeting("VN-D030", "Gặp gỡ lọc thử")
    filtered = client.get("/r/activities/", {"home_unit": "VN-D030"}).content.decode()
    assert "Gặp gỡ lọc thử" in filtered


def test_the_endpoint_refuses_what_is_not_a_link_and_anonymous_users(
    editor: User, client_of: Callable[[User], Client], client: Client
) -> None:
    response = client.get("/r/activities/pick/home_unit/", {"q": "thanh"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    logged_in = client_of(editor)
    assert logged_in.get("/r/activities/pick/title/").status_code == 404
    assert logged_in.get("/r/activities/pick/nothing/").status_code == 404
    assert logged_in.get("/r/no-such-register/pick/home_unit/").status_code == 404
    nobody = User.objects.create_user("t-nobody", password="pw-for-tests-only")
    assert client_of(nobody).get("/r/activities/pick/home_unit/").status_code == 403


def test_unit_boxes_outside_the_registers_pick_too(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    from borderlink.border.views import CapImportForm
    from borderlink.portal.forms import NewArticleForm
    from borderlink.reports.forms import ReportForm

    client = client_of(editor)
    url = "/r/pick/units/"
    assert "VN-C00928" in codes(pick(client, url, q="thanh thuy", on="2024-03-01"))
    assert "VN-C00928" not in codes(pick(client, url, q="thanh thuy", on=TODAY.isoformat()))
    assert [r["label"] for r in pick(client, url, code="VN-P02")] == ["Tỉnh Hà Giang"]
    for form in (ReportForm(), NewArticleForm()):
        drawn = str(form["unit"])
        assert f'data-picker-url="{url}"' in drawn and 'data-picker-on="as_of"' in drawn
    cap = CapImportForm()
    assert 'data-picker-url="/r/alerts/pick/home_unit/"' in str(cap["home_unit"])
    assert 'data-picker-url="/r/alerts/pick/counterpart/"' in str(cap["counterpart"])
    assert client.get(url, {"q": "x"}).status_code == 200
    assert Client().get(url, {"q": "thanh"}).status_code == 302  # login required
