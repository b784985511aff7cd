"""Vietnam's administrative units before and after the 2025 reform, from `vietnamadminunits`.

The package holds the 63-province structure (table admin_units_legacy), the 34-province one
(admin_units) and the converter between them (data/converter_2025.json), keyed by folded names
("tinhhagiang_huyenvixuyen_xathanhthuy"). Codes are the statistical office's, and are reused
across the reform, so BorderLink codes carry the structure: VN-C00889 (before) and
VN-C00889-2025 (after).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any

from borderlink.core.text import nfc
from borderlink.places.sources.records import (
    LAST_DAY_BEFORE_REFORM,
    REFORM_DAY,
    Batch,
    SuccessionRecord,
    UnitRecord,
    point,
)

SOURCE_CODE = "pkg-vietnamadminunits"
CONVENTION = "convention-en-vn"

# The provinces on the land border with China before the reform (folded keys of the package).
CHINA_BORDER_PROVINCES = {
    "tinhhagiang",
    "tinhcaobang",
    "tinhlaocai",
    "tinhdienbien",
    "tinhlaichau",
    "tinhlangson",
    "tinhquangninh",
}

ENGLISH_TYPE = {
    "Tỉnh": "province",
    "Thành phố": "city",
    "Huyện": "district",
    "Quận": "urban district",
    "Thị xã": "town",
    "Xã": "commune",
    "Phường": "ward",
    "Thị trấn": "township",
    "Đặc khu": "special zone",
}


def _data_dir() -> Path:
    return Path(
        str(metadata.distribution("vietnamadminunits").locate_file("vietnamadminunits/data"))
    )


def package_version() -> str:
    return metadata.version("vietnamadminunits")


def english_name(full_vi: str, native_type: str) -> str:
    """'Xã Thanh Thủy' → 'Thanh Thuy commune' (the usual convention: no diacritics)."""
    from borderlink.core.text import strip_marks

    proper = full_vi[len(native_type) :].strip() if full_vi.startswith(native_type) else full_vi
    suffix = ENGLISH_TYPE.get(native_type, "")
    return f"{strip_marks(proper)} {suffix}".strip()


def _type_of(full_name: str) -> str:
    for prefix in sorted(ENGLISH_TYPE, key=len, reverse=True):
        if full_name.startswith(prefix + " "):
            return prefix
    return ""


def _rows(table: str) -> list[dict[str, Any]]:
    with sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM [{table}]")]


def _converter() -> dict[str, Any]:
    return json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))


def _unit(
    code: str, kind: str, parent: str | None, full_vi: str, official: str, **kw: Any
) -> UnitRecord:
    full_vi = nfc(full_vi)
    native_type = _type_of(full_vi)
    return UnitRecord(
        code=code,
        kind=kind,
        country="VN",
        parent_code=parent,
        official_code=official,
        official_code_system="gso",
        native_type=native_type,
        name_vi=full_vi,
        name_en=english_name(full_vi, native_type),
        name_sources={"vi": SOURCE_CODE, "en": CONVENTION},
        **kw,
    )


def read(all_provinces: bool = False) -> Batch:
    """Every province, before and after; districts and communes of the China-border provinces
    and of the provinces merged with them (or of every province when `all_provinces`)."""
    batch = Batch(source_code=SOURCE_CODE)
    legacy = _rows("admin_units_legacy")
    current = _rows("admin_units")
    conv = _converter()
    province_map: dict[str, list[str]] = conv["DICT_PROVINCE"]  # new key → old keys

    old_prov_code = {r["provinceKey"]: r["provinceCode"] for r in legacy}
    new_prov_code = {r["provinceKey"]: r["provinceCode"] for r in current}
    # A province the reform left whole keeps living; the merged ones end and begin anew.
    unchanged = {new for new, olds in province_map.items() if olds == [new]}

    def old_province_unit(key: str) -> str:
        return f"VN-P{old_prov_code[key]}"

    def new_province_unit(key: str) -> str:
        return f"VN-P{new_prov_code[key]}" + ("" if key in unchanged else "-2025")

    if all_provinces:
        detailed_new = set(province_map)
    else:
        detailed_new = {
            new for new, olds in province_map.items() if CHINA_BORDER_PROVINCES & set(olds)
        }
    detailed_old = {old for new in detailed_new for old in province_map[new]}

    seen: set[str] = set()
    for r in legacy:
        key = r["provinceKey"]
        if key in seen:
            continue
        seen.add(key)
        keeps = key in unchanged
        batch.units.append(
            _unit(
                old_province_unit(key),
                "province",
                "VN",
                r["province"],
                r["provinceCode"],
                valid_to=None if keeps else LAST_DAY_BEFORE_REFORM,
                geometry=point(r["provinceLon"], r["provinceLat"]),
            )
        )
    seen.clear()
    for r in current:
        key = r["provinceKey"]
        if key in seen or key in unchanged:
            continue
        seen.add(key)
        batch.units.append(
            _unit(
                new_province_unit(key),
                "province",
                "VN",
                r["province"],
                r["provinceCode"],
                valid_from=REFORM_DAY,
                geometry=point(r["provinceLon"], r["provinceLat"]),
            )
        )
    for new, olds in province_map.items():
        if new in unchanged:
            continue
        for old in olds:
            batch.successions.append(
                SuccessionRecord(
                    old_province_unit(old), new_province_unit(new), "merge", REFORM_DAY
                )
            )

    # Districts and communes before the reform.
    old_ward_unit: dict[str, str] = {}  # converter key → unit code
    district_of_ward: dict[str, str] = {}
    seen.clear()
    for r in legacy:
        if r["provinceKey"] not in detailed_old:
            continue
        district_code = f"VN-D{r['districtCode']}"
        if district_code not in seen:
            seen.add(district_code)
            batch.units.append(
                _unit(
                    district_code,
                    "district",
                    old_province_unit(r["provinceKey"]),
                    r["district"],
                    r["districtCode"],
                    valid_to=LAST_DAY_BEFORE_REFORM,
                    geometry=point(r["districtLon"], r["districtLat"]),
                )
            )
        if not r["wardCode"]:
            continue
        ward_code = f"VN-C{r['wardCode']}"
        batch.units.append(
            _unit(
                ward_code,
                "commune",
                district_code,
                r["ward"],
                r["wardCode"],
                valid_to=LAST_DAY_BEFORE_REFORM,
                geometry=point(r["wardLon"], r["wardLat"]),
            )
        )
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
        old_ward_unit[key] = ward_code
        district_of_ward[ward_code] = district_code

    # Communes after the reform (no district level).
    new_ward_unit: dict[tuple[str, str], str] = {}
    for r in current:
        if r["provinceKey"] not in detailed_new:
            continue
        code = f"VN-C{r['wardCode']}-2025"
        new_ward_unit[(r["provinceKey"], r["wardKey"])] = code
        batch.units.append(
            _unit(
                code,
                "commune",
                new_province_unit(r["provinceKey"]),
                r["ward"],
                r["wardCode"],
                valid_from=REFORM_DAY,
                geometry=point(r["wardLon"], r["wardLat"]),
                area_km2=r["wardAreaKm2"],
            )
        )

    # Old commune → new commune(s).
    links: dict[tuple[str, str], SuccessionRecord] = {}
    for new_prov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        if new_prov not in detailed_new:
            continue
        for new_ward, old_keys in wards.items():
            succ = new_ward_unit.get((new_prov, new_ward))
            for old_key in old_keys:
                pred = old_ward_unit.get(old_key)
                if succ and pred:
                    links[(pred, succ)] = SuccessionRecord(pred, succ, "merge", REFORM_DAY)
    for new_prov, divided in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        if new_prov not in detailed_new:
            continue
        for old_key, targets in divided.items():
            pred = old_ward_unit.get(old_key)
            for target in targets:
                succ = new_ward_unit.get((new_prov, target["newWardKey"]))
                if succ and pred:
                    links[(pred, succ)] = SuccessionRecord(
                        pred, succ, "partial", REFORM_DAY, is_main=bool(target["isDefaultNewWard"])
                    )
    batch.successions.extend(links.values())

    # The district level was abolished: a district's territory went to the new communes that
    # received its communes.
    district_links: dict[str, set[str]] = defaultdict(set)
    for link in links.values():
        district_links[district_of_ward[link.predecessor_code]].add(link.successor_code)
    for district, successors in district_links.items():
        for succ in sorted(successors):
            batch.successions.append(
                SuccessionRecord(district, succ, "abolished", REFORM_DAY, is_main=False)
            )
    return batch
