"""Bad input is refused with a message that names what is wrong; loads are idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from borderlink.core.models import ChangeRecord
from borderlink.places.gazetteer import load_all
from borderlink.places.models import Unit, UnitSuccession

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(m for messages in error.message_dict.values() for m in messages)


def test_loading_the_packages_twice_changes_nothing() -> None:
    units, links, changes = (
        Unit.objects.count(),
        UnitSuccession.objects.count(),
        ChangeRecord.objects.count(),
    )
    snapshot = dict(Unit.objects.values_list("code", "updated_at"))
    reports = load_all()
    assert all(r.created == 0 and r.updated == 0 and r.successions_created == 0 for r in reports)
    assert Unit.objects.count() == units
    assert UnitSuccession.objects.count() == links
    assert ChangeRecord.objects.count() == changes
    assert dict(Unit.objects.values_list("code", "updated_at")) == snapshot


def test_a_reload_keeps_what_an_editor_entered() -> None:
    ha_giang = Unit.objects.get(code="VN-P02")
    assert ha_giang.name_zh == "河江省"  # from the demo's editor entry, not the package
    load_all()
    ha_giang.refresh_from_db()
    assert ha_giang.name_zh == "河江省"
    assert ha_giang.name_sources["zh"] == "editor-borderlink"


def test_an_official_code_held_by_another_unit_at_the_same_time_is_refused() -> None:
    clash = Unit(
        code="VN-TEST-CLASH",
        kind="commune",
        country="VN",
        parent=Unit.objects.get(code="VN-D030"),
        official_code="00928",
        official_code_system="gso",
        name_vi="Xã Thử",
        valid_from=datetime.date(2010, 1, 1),
        valid_to=datetime.date(2012, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    text = messages_of(error.value)
    assert "00928" in text and "Thanh Thủy" in text and "VN-C00928" in text


def test_a_reused_code_after_the_holder_ended_is_accepted() -> None:
    # Nghĩa Thuận (2025) carries old Thanh Vân's code 00889: no overlap, no error.
    Unit.objects.get(code="VN-C00889-2025").full_clean()


def test_a_unit_ending_before_it_begins_is_refused() -> None:
    unit = Unit.objects.get(code="VN-C00928-2025")
    unit.valid_to = datetime.date(2025, 1, 1)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "valid_to" in error.value.message_dict


def test_a_unit_outliving_its_parent_is_refused() -> None:
    unit = Unit(
        code="VN-TEST-LATE",
        kind="village",
        country="VN",
        parent=Unit.objects.get(code="VN-C00928"),
        name_vi="Thôn Thử",
    )
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "Xã Thanh Thủy" in messages_of(error.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name_zh", "Tianbao"),
        ("name_vi", "天保镇"),
        ("name_en", "麻栗坡"),
        ("name_zh_pinyin", "天保"),
    ],
)
def test_a_name_in_the_wrong_script_is_flagged(field: str, value: str) -> None:
    unit = Unit.objects.get(code="CN-532624-TIANBAO")
    setattr(unit, field, value)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert field in error.value.message_dict
    assert value in error.value.message_dict[field][0]


def test_a_succession_that_would_close_a_cycle_is_refused_naming_the_units() -> None:
    old = Unit.objects.get(code="VN-C00928")
    new = Unit.objects.get(code="VN-C00928-2025")
    # Pretend the new commune ended, and try to make it the old one's predecessor.
    new.valid_to = datetime.date(2026, 1, 1)
    new.save()
    back = UnitSuccession(
        predecessor=new, successor=old, kind="merge", effective=datetime.date(2026, 1, 2)
    )
    with pytest.raises(ValidationError) as error:
        back.clean()
    assert "Xã Thanh Thủy" in " ".join(error.value.messages)


def test_a_succession_while_the_predecessor_is_still_valid_is_refused() -> None:
    pred = Unit.objects.get(code="CN-532624")  # Malipo: no end date
    succ = Unit.objects.get(code="CN-532600")
    link = UnitSuccession(
        predecessor=pred, successor=succ, kind="merge", effective=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        link.clean()
    assert "麻栗坡县" in " ".join(error.value.messages)


def test_a_unit_without_its_native_name_is_refused() -> None:
    unit = Unit(code="CN-TEST", kind="commune", country="CN", name_en="Nameless Town")
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "name_zh" in error.value.message_dict
