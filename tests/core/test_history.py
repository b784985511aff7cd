from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from borderlink.accounts.models import User
from borderlink.core.history import history_of
from borderlink.core.models import ChangeRecord
from borderlink.places.models import Unit

pytestmark = pytest.mark.django_db


def test_an_edit_records_who_when_and_before_after(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    unit = Unit.objects.get(code="CN-532625")  # Maguan
    parent = unit.parent
    assert parent is not None
    client = client_of(editor)
    form = client.get(f"/units/{unit.code}/edit/")
    assert form.status_code == 200
    data = {
        "kind": unit.kind,
        "country": unit.country,
        "parent": parent.code,
        "official_code": unit.official_code,
        "official_code_system": unit.official_code_system,
        "native_type": unit.native_type,
        "name_vi": "Huyện Mã Quan",
        "name_en": unit.name_en,
        "name_zh": unit.name_zh,
        "name_zh_pinyin": unit.name_zh_pinyin,
        "note": "",
    }
    assert client.post(f"/units/{unit.code}/edit/", data).status_code == 302
    change = history_of(unit).first()
    assert change is not None
    assert change.action == ChangeRecord.Action.UPDATE
    assert change.actor == editor
    assert change.changes == {"name_vi": ["", "Huyện Mã Quan"]}
    page = client.get(f"/units/{unit.code}/").content.decode()
    assert "Huyện Mã Quan" in page and editor.username in page


def test_a_failed_save_keeps_what_the_user_typed_and_changes_nothing(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    unit = Unit.objects.get(code="CN-532625")
    before = ChangeRecord.objects.count()
    response = client_of(editor).post(
        f"/units/{unit.code}/edit/",
        {
            "kind": unit.kind,
            "country": unit.country,
            "parent": "CN-532600",
            "name_zh": "Maguan in Latin letters",
            "name_vi": "Huyện Mã Quan",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Maguan in Latin letters" in page and "Huyện Mã Quan" in page
    assert "invalid-feedback" in page
    unit.refresh_from_db()
    assert unit.name_zh == "马关县"
    assert ChangeRecord.objects.count() == before


def test_creating_and_deleting_are_recorded_too(editor: User) -> None:
    from borderlink.core.context import acting_as

    with acting_as(editor):
        village = Unit.objects.create(
            code="VN-TEST-V1",
            kind="village",
            country="VN",
            parent=Unit.objects.get(code="VN-C00928"),
            name_vi="Thôn Nậm Ngặt",
            valid_to=Unit.objects.get(code="VN-C00928").valid_to,
        )
        pk = village.pk
        village.delete()
    actions = list(ChangeRecord.objects.filter(object_id=str(pk)).values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete"]
