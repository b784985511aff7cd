"""The demo's additions to the gazetteer (demo/data/gazetteer.yaml), validated like any edit."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from borderlink.core.models import Source
from borderlink.places.models import Unit, UnitAlias, UnitSuccession

DATA = Path(__file__).parent / "data"
_LANG_FIELD = {"vi": "name_vi", "en": "name_en", "zh": "name_zh", "pinyin": "name_zh_pinyin"}


def _apply(unit: Unit, entry: dict[str, Any]) -> None:
    sources = dict(unit.name_sources or {})
    sources.update(entry.pop("sources", {}))
    unit.name_sources = sources
    flag_source = entry.pop("source_of_flag", None)
    if flag_source:
        note = f"border unit per source {flag_source}"
        if note not in unit.note:
            unit.note = (unit.note + "\n" + note).strip()
    if "parent" in entry:
        unit.parent = Unit.objects.get(code=entry.pop("parent"))
    if "source" in entry:
        unit.source = Source.objects.get(code=entry.pop("source"))
    for key, value in entry.items():
        if key in ("valid_from", "valid_to") and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        setattr(unit, key, value)


@transaction.atomic
def load() -> dict[str, int]:
    spec = yaml.safe_load((DATA / "gazetteer.yaml").read_text(encoding="utf-8"))
    counts = {"overlays": 0, "units": 0, "successions": 0, "aliases": 0}
    for entry in spec.get("overlays", []):
        unit = Unit.objects.get(code=entry.pop("code"))
        _apply(unit, entry)
        unit.full_clean()
        unit.save()
        counts["overlays"] += 1
    for entry in spec.get("units", []):
        code = entry.pop("code")
        unit = Unit.objects.filter(code=code).first() or Unit(code=code)
        _apply(unit, entry)
        unit.full_clean()
        unit.save()
        counts["units"] += 1
    for entry in spec.get("successions", []):
        link = UnitSuccession.objects.filter(
            predecessor__code=entry["predecessor"], successor__code=entry["successor"]
        ).first() or UnitSuccession(
            predecessor=Unit.objects.get(code=entry["predecessor"]),
            successor=Unit.objects.get(code=entry["successor"]),
        )
        link.kind = entry["kind"]
        link.effective = datetime.date.fromisoformat(str(entry["effective"]))
        link.is_main = entry.get("is_main", True)
        link.source = Source.objects.get(code=entry["source"]) if entry.get("source") else None
        link.full_clean()
        link.save()
        counts["successions"] += 1
    for entry in spec.get("aliases", []):
        unit = Unit.objects.get(code=entry["unit"])
        UnitAlias.objects.update_or_create(
            unit=unit,
            name=entry["name"],
            defaults={
                "lang": entry["lang"],
                "note": entry.get("note", ""),
                "source": Source.objects.get(code=entry["source"]) if entry.get("source") else None,
            },
        )
        counts["aliases"] += 1
    for unit in Unit.objects.filter(aliases__isnull=False).distinct():
        unit.save()  # refresh the search text with the aliases
    return counts
