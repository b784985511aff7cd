"""Plain records that source readers produce and the loader writes: no Django here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

REFORM_DAY = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)


@dataclass
class UnitRecord:
    code: str
    kind: str
    country: str
    parent_code: str | None
    official_code: str = ""
    official_code_system: str = ""
    native_type: str = ""
    name_vi: str = ""
    name_en: str = ""
    name_zh: str = ""
    name_zh_pinyin: str = ""
    name_sources: dict[str, str] = field(default_factory=dict)
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    geometry: dict[str, Any] | None = None
    area_km2: float | None = None
    is_border: bool = False


@dataclass
class SuccessionRecord:
    predecessor_code: str
    successor_code: str
    kind: str
    effective: datetime.date
    is_main: bool = True


@dataclass
class Batch:
    source_code: str
    units: list[UnitRecord] = field(default_factory=list)
    successions: list[SuccessionRecord] = field(default_factory=list)


def point(lon: float | str | None, lat: float | str | None) -> dict[str, Any] | None:
    if lon is None or lat is None or lon == "" or lat == "":
        return None
    return {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]}
