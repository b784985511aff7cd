"""Change history in people's words (issue 20): labels and names, not ids and JSON
("parent: — → 94", geometry JSON, "sensitivity: 1"), and a linked record named only to a reader
who may see it (core/history_labels.py, core/_changes.html)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import Client
from django.utils import translation

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.core.history import history_of
from borderlink.core.history_labels import describe
from borderlink.core.models import ChangeRecord
from borderlink.core.roles import Role
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.ties.models import Partnership
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _activity(**fields: object) -> Activity:
    values: dict[str, object] = {
        "kind": "meeting",
        "occurred_on": datetime.date(2024, 3, 1),
        "title": "Gặp mặt thử lịch sử",
        "home_unit": Unit.objects.get(code="VN-D030"),
        "counterpart": Unit.objects.get(code="CN-532624-TIANBAO"),
        "diplomacy": "state",
        "sensitivity": 1,
        **fields,
    }
    with acting_as(None, reason="test"):
        return Activity.objects.create(**values)


def _lines(record: Model, user: User) -> dict[str, tuple[str, str, str]]:
    with translation.override("en"):
        described = describe(history_of(record), user)  # newest first
        return {
            line.field: (line.label, line.before, line.after)
            for item in reversed(described)
            for line in item.lines
        }


def test_choices_links_and_dates_read_as_the_page_shows_them() -> None:
    activity = _activity()
    editor = make_user("t-hl-editor", Role.FA_EDITOR, "VN-P02")
    lines = _lines(activity, editor)
    assert lines["sensitivity"] == ("Sensitivity", "—", "Internal")  # not "1"
    assert lines["kind"][2] == "Meeting / talks"  # not "meeting"
    assert lines["occurred_on"] == ("Date", "—", "01/03/2024")  # not "2024-03-01"
    assert lines["home_unit"][0] == "Responsible unit"
    assert lines["home_unit"][2] == "Vi Xuyen district"  # the unit in English, not its id
    counterpart = Unit.objects.get(code="CN-532624-TIANBAO")
    assert lines["counterpart"][2] == counterpart.display_name("en")[0]
    assert "partnership" not in lines  # empty at creation: not listed as a change


def test_a_change_reads_before_and_after_by_name() -> None:
    activity = _activity()
    with acting_as(None, reason="test"):
        activity.sensitivity = 2
        activity.home_unit = Unit.objects.get(code="VN-P02")
        activity.save()
    admin = make_user("t-hl-admin", Role.ADMIN, "VN")
    with translation.override("en"):
        change = describe(history_of(activity)[:1], admin)[0]
    by_field = {line.field: (line.before, line.after) for line in change.lines}
    assert by_field == {
        "sensitivity": ("Internal", "Confidential"),
        "home_unit": ("Vi Xuyen district", "Ha Giang province"),
    }


def test_a_linked_record_the_reader_may_not_see_is_not_named() -> None:
    """A Đồng Văn activity linked (by the province) to the Thanh Thủy station's pairing: the
    Đồng Văn officer sees the activity, not the pairing, on the detail page nor in its history."""
    station_tie = Partnership.objects.get(home_unit__code="VN-02-BGS-THANHTHUY")
    activity = _activity(partnership=station_tie, home_unit=Unit.objects.get(code="VN-D026"))
    officer = make_user("t-hl-local", Role.LOCAL, "VN-D026")
    editor = make_user("t-hl-editor2", Role.FA_EDITOR, "VN-P02")
    assert _lines(activity, editor)["partnership"][2] == station_tie.title
    assert _lines(activity, officer)["partnership"][2] == "a record you cannot see"

    client = Client()
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    page = client.get(f"/r/activities/{activity.pk}/").content.decode()
    table = page[page.index("bl-changes") :]
    assert "Partnership</span>: a record you cannot see" in table
    assert station_tie.title not in page
    assert f": {station_tie.pk}<" not in table


def test_a_deleted_link_says_so() -> None:
    """A change names a partnership deleted since (its id stays in the stored change)."""
    change = ChangeRecord(
        content_type=ContentType.objects.get_for_model(Activity),
        object_id="1",
        object_repr="x",
        action=ChangeRecord.Action.UPDATE,
        changes={"partnership": [None, 10**9], "gone_field": ["a", "b"]},
    )
    admin = make_user("t-hl-admin2", Role.ADMIN, "VN")
    with translation.override("en"):
        lines = describe([change], admin)[0].lines
    assert [(x.label, x.before, x.after) for x in lines] == [
        ("Partnership", "—", "a deleted record"),
        ("gone_field", "a", "b"),  # a field the model no longer has: as written
    ]


def test_a_units_page_shows_its_shape_and_parent_in_words() -> None:
    unit = Unit.objects.get(code="VN-C00928-2025")
    with acting_as(None, reason="test"):
        unit.geometry = {"type": "Point", "coordinates": [104.864, 22.8672]}
        unit.note = "Thử ghi chú"
        unit.save()
    editor = make_user("t-hl-editor3", Role.FA_EDITOR, "VN-P02")
    client = Client()
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    page = client.get(f"/units/{unit.code}/").content.decode()
    table = page[page.index("bl-changes") :]
    assert "Parent</span>: Tuyen Quang province" in table  # not the parent's id
    assert "a point on the map" in table
    assert json.dumps(unit.geometry)[:20] not in table and '"coordinates"' not in table
    assert "Note</span>: " in table and " → Thử ghi chú<" in table
