"""Fills the gazetteer from the packages: countries, Vietnam (before and after 2025), China."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from borderlink.core.sources import load_sources
from borderlink.places import loader
from borderlink.places.sources import china, vietnam
from borderlink.places.sources.records import Batch, UnitRecord

DATA = Path(__file__).parent / "data"
EDITOR = "editor-borderlink"


def countries() -> Batch:
    names = {"vi": EDITOR, "en": EDITOR, "zh": EDITOR}
    return Batch(
        source_code=EDITOR,
        units=[
            UnitRecord(
                code="VN",
                kind="country",
                country="VN",
                parent_code=None,
                official_code="VN",
                official_code_system="iso3166",
                name_vi="Việt Nam",
                name_en="Vietnam",
                name_zh="越南",
                name_sources=names,
            ),
            UnitRecord(
                code="CN",
                kind="country",
                country="CN",
                parent_code=None,
                official_code="CN",
                official_code_system="iso3166",
                name_vi="Trung Quốc",
                name_en="China",
                name_zh="中国",
                name_zh_pinyin="zhōng guó",
                name_sources={**names, "pinyin": EDITOR},
            ),
        ],
    )


@transaction.atomic
def load_all(all_provinces: bool = False) -> list[loader.LoadReport]:
    load_sources(DATA / "sources.yaml")
    return [
        loader.load(countries()),
        loader.load(vietnam.read(all_provinces=all_provinces)),
        loader.load(china.read()),
    ]
