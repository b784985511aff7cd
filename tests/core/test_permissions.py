"""The permission gate: a user scoped to one district cannot see or edit another's records."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.models import ChangeRecord
from borderlink.core.permissions import restrict
from borderlink.places.models import Unit
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

VI_XUYEN_COMMUNE = "VN-C00928"  # Thanh Thủy, in Vị Xuyên
DONG_VAN_COMMUNE = "VN-C00715"  # Lũng Cú, in Đồng Văn


def edit_data(unit: Unit, **changes: str) -> dict[str, str]:
    data = {
        "kind": unit.kind,
        "country": unit.country,
        "parent": unit.parent.code if unit.parent else "",
        "official_code": unit.official_code,
        "official_code_system": unit.official_code_system,
        "native_type": unit.native_type,
        "name_vi": unit.name_vi,
        "name_en": unit.name_en,
        "name_zh": unit.name_zh,
        "name_zh_pinyin": unit.name_zh_pinyin,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else "",
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else "",
        "note": unit.note,
    }
    data.update(changes)
    return data


def api(user: User) -> Client:
    return api_client(user)


def test_the_dong_van_commune_fixture_is_in_dong_van() -> None:
    parent = Unit.objects.get(code=DONG_VAN_COMMUNE).parent
    assert parent is not None and parent.code == "VN-D026"


def test_anonymous_users_see_nothing(client: Client) -> None:
    assert client.get("/units/").status_code == 302
    assert client.get(f"/units/{VI_XUYEN_COMMUNE}/").status_code == 302
    assert client.get("/api/units/").status_code == 401
    assert restrict(Unit.objects.all(), AnonymousUser(), "view").count() == 0


def test_a_district_officer_edits_a_commune_of_their_district(
    vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    unit = Unit.objects.get(code=VI_XUYEN_COMMUNE)
    response = client_of(vixuyen_officer).post(
        f"/units/{unit.code}/edit/", edit_data(unit, note="Checked by the district")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.note == "Checked by the district"


def test_a_district_officer_cannot_edit_another_districts_commune_page_or_api(
    vixuyen_officer: User, client_of: Callable[[User], Client]
) -> None:
    unit = Unit.objects.get(code=DONG_VAN_COMMUNE)
    client = client_of(vixuyen_officer)
    assert client.get(f"/units/{unit.code}/edit/").status_code == 403
    assert client.post(f"/units/{unit.code}/edit/", edit_data(unit, note="x")).status_code == 403
    response = api(vixuyen_officer).patch(
        f"/api/units/{unit.code}/", {"note": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.note != "x"


def test_the_api_lets_a_district_officer_change_their_own_commune(vixuyen_officer: User) -> None:
    response = api(vixuyen_officer).patch(
        f"/api/units/{VI_XUYEN_COMMUNE}/", {"note": "API note"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert Unit.objects.get(code=VI_XUYEN_COMMUNE).note == "API note"


def test_a_district_officer_cannot_add_a_unit_under_another_district(vixuyen_officer: User) -> None:
    payload = {
        "code": "VN-TEST-VILLAGE",
        "kind": "village",
        "country": "VN",
        "parent": DONG_VAN_COMMUNE,
        "name_vi": "Thôn Thử",
        "valid_to": "2025-06-30",
    }
    assert (
        api(vixuyen_officer)
        .post("/api/units/", payload, content_type="application/json")
        .status_code
        == 403
    )
    payload["parent"] = VI_XUYEN_COMMUNE
    response = api(vixuyen_officer).post("/api/units/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    parent = Unit.objects.get(code="VN-TEST-VILLAGE").parent
    assert parent is not None and parent.code == VI_XUYEN_COMMUNE


def test_a_district_officer_cannot_see_another_districts_history(
    vixuyen_officer: User, dongvan_officer: User, client_of: Callable[[User], Client]
) -> None:
    with acting_as(dongvan_officer):
        dong_van = Unit.objects.get(code=DONG_VAN_COMMUNE)
        dong_van.note = "secret district note"
        dong_van.save()
    with acting_as(vixuyen_officer):
        vi_xuyen = Unit.objects.get(code=VI_XUYEN_COMMUNE)
        vi_xuyen.note = "our own note"
        vi_xuyen.save()
    page = client_of(vixuyen_officer).get("/history/").content.decode()
    assert "our own note" in page
    assert "secret district note" not in page
    assert (
        client_of(dongvan_officer).get("/history/").content.decode().count("secret district note")
        == 1
    )
    visible = restrict(ChangeRecord.objects.all(), vixuyen_officer, "view")
    assert not visible.filter(object_id=str(dong_van.pk)).exists()


def test_an_editor_of_the_province_may_edit_the_gazetteer_of_both_sides(editor: User) -> None:
    response = api(editor).patch(
        "/api/units/CN-532624/", {"note": "checked"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_the_api_refuses_invalid_data_with_field_messages(editor: User) -> None:
    response = api(editor).patch(
        "/api/units/CN-532624-TIANBAO/", {"name_zh": "Tianbao"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "name_zh" in response.json()


def test_a_unit_is_never_moved_through_the_api(editor: User) -> None:
    response = api(editor).patch(
        "/api/units/VN-C00928/", {"parent": "VN-D026"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    parent = Unit.objects.get(code="VN-C00928").parent
    assert parent is not None and parent.code == "VN-D030"


def test_records_above_a_users_clearance_do_not_exist_for_them(
    vixuyen_officer: User, editor: User, client_of: Callable[[User], Client]
) -> None:
    import datetime

    from borderlink.ledger.models import Activity

    secret = Activity.objects.create(
        kind="information",
        occurred_on=datetime.date(2020, 5, 1),
        title="Confidential warning",
        home_unit=Unit.objects.get(code=VI_XUYEN_COMMUNE),
        counterpart=Unit.objects.get(code="CN-532624"),
        diplomacy="state",
        sensitivity=2,
    )
    assert client_of(vixuyen_officer).get(f"/r/activities/{secret.pk}/").status_code == 404
    assert (
        "Confidential warning"
        not in client_of(vixuyen_officer).get("/r/activities/").content.decode()
    )
    assert client_of(editor).get(f"/r/activities/{secret.pk}/").status_code == 200
    secret.sensitivity = 3
    secret.save()
    assert client_of(editor).get(f"/r/activities/{secret.pk}/").status_code == 404
