"""The 2025 reform: old units map forward to their holders, new ones back to their parts."""

from __future__ import annotations

import datetime

import pytest

from borderlink.places.choices import TERRITORIAL_KINDS
from borderlink.places.lineage import children_on, holders_on, made_of
from borderlink.places.models import Unit

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2020, 12, 31)
AFTER = datetime.date(2025, 7, 1)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


@pytest.mark.parametrize(
    ("old", "new", "new_name"),
    [
        ("VN-C00928", "VN-C00928-2025", "Xã Thanh Thủy"),
        ("VN-C00919", "VN-C00919-2025", "Xã Minh Tân"),
        ("VN-C00931", "VN-C00937-2025", "Xã Lao Chải"),
        ("VN-C00880", "VN-C00889-2025", "Xã Nghĩa Thuận"),
    ],
)
def test_old_commune_maps_to_the_new_commune_and_province(
    old: str, new: str, new_name: str
) -> None:
    holders = holders_on(unit(old), AFTER)
    assert [h.code for h in holders] == [new]
    assert holders[0].name_vi == new_name
    assert holders[0].parent is not None
    assert holders[0].parent.code == "VN-P08-2025"
    assert holders[0].parent.name_vi == "Tỉnh Tuyên Quang"


def test_a_unit_valid_on_the_day_holds_itself() -> None:
    assert holders_on(unit("VN-C00928"), BEFORE) == [unit("VN-C00928")]


def test_new_nghia_thuan_is_made_of_old_nghia_thuan_and_thanh_van() -> None:
    parts = {
        link.predecessor.code: link.predecessor.name_vi for link in made_of(unit("VN-C00889-2025"))
    }
    assert parts["VN-C00880"] == "Xã Nghĩa Thuận"
    assert parts["VN-C00889"] == "Xã Thanh Vân"  # the code the new commune reuses


def test_ha_giang_province_rolls_into_tuyen_quang() -> None:
    assert [h.code for h in holders_on(unit("VN-P02"), AFTER)] == ["VN-P08-2025"]
    made = {link.predecessor.code for link in made_of(unit("VN-P08-2025"))}
    assert made == {"VN-P02", "VN-P08"}


def test_abolished_district_maps_to_the_communes_that_took_its_territory() -> None:
    holders = {h.code for h in holders_on(unit("VN-D030"), AFTER)}  # Vị Xuyên
    assert {"VN-C00928-2025", "VN-C00919-2025", "VN-C00937-2025"} <= holders
    assert all(h.startswith("VN-C") and h.endswith("-2025") for h in holders)


def test_official_codes_are_reused_but_borderlink_codes_are_not() -> None:
    old_yen_bai, new_lao_cai = unit("VN-P15"), unit("VN-P15-2025")
    assert old_yen_bai.official_code == new_lao_cai.official_code == "15"
    assert old_yen_bai.name_vi == "Tỉnh Yên Bái"
    assert new_lao_cai.name_vi == "Tỉnh Lào Cai"
    assert old_yen_bai.valid_to is not None and new_lao_cai.valid_from is not None
    assert old_yen_bai.valid_to < new_lao_cai.valid_from


def test_the_tree_as_it_stood_before_and_after_the_reform() -> None:
    vietnam = unit("VN")
    before = {u.code for u in children_on(vietnam, BEFORE)}
    after = {u.code for u in children_on(vietnam, AFTER)}
    assert "VN-P02" in before and "VN-P02" not in after
    assert "VN-P08-2025" in after and "VN-P08-2025" not in before
    # Provinces the reform left whole live on: Cao Bằng is in both trees, as the same unit.
    assert "VN-P04" in before and "VN-P04" in after
    assert len([c for c in children_on(vietnam, BEFORE) if c.kind == "province"]) == 63
    assert len([c for c in children_on(vietnam, AFTER) if c.kind == "province"]) == 34
    ha_giang_districts = children_on(unit("VN-P02"), BEFORE)
    assert len([d for d in ha_giang_districts if d.kind == "district"]) == 11
    assert sum(1 for d in ha_giang_districts if d.is_border) == 7
    # After the reform Tuyên Quang has communes directly, no districts; its department of
    # foreign affairs and the bodies carried over from old Hà Giang sit beside them.
    kinds = {u.kind for u in children_on(unit("VN-P08-2025"), AFTER)}
    assert {k for k in kinds if k in TERRITORIAL_KINDS} == {"commune"}
    assert "department" in kinds


def test_ha_giang_has_its_193_communes_before_the_reform() -> None:
    communes = Unit.objects.filter(kind="commune", path__startswith=unit("VN-P02").path)
    assert communes.count() == 193
    new = Unit.objects.filter(kind="commune", parent__code="VN-P08-2025")
    assert new.count() == 124


def test_chinese_counterparts_have_adcodes_and_names() -> None:
    malipo = unit("CN-532624")
    assert malipo.official_code == "532624"
    assert malipo.name_zh == "麻栗坡县"
    assert malipo.name_vi == "Huyện Ma Lật Pha"
    assert malipo.name_en == "Malipo County"
    assert malipo.parent is not None and malipo.parent.code == "CN-532600"
    assert unit("CN-532624-TIANBAO").parent == malipo
