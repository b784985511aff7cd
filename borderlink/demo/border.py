"""The border demo (demo/data/border.yaml): sources, stations, the line, markers, gates.

Records go through their register's form, like anything a user types or imports; a record the
form refuses stops the load with the record named. Repeating the load adds nothing: a record
already there (by its natural key) is left as it is.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError
from django.db import models, transaction

from borderlink.border import geo
from borderlink.border.models import BorderSection
from borderlink.core.models import Source
from borderlink.demo import gazetteer
from borderlink.places.models import Unit
from borderlink.registers.forms import form_class
from borderlink.registers.spec import get_register

FILE = Path(__file__).parent / "data" / "border.yaml"

# YAML key → (register slug, natural key fields). Loaded in this order.
PLAN: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("sections", "border-sections", ("code",)),
    ("assignments", "section-assignments", ("section", "home_unit", "valid_from")),
    ("markers", "markers", ("section", "number")),
    ("gates", "gates", ("unit",)),
    ("gate_projects", "gate-projects", ("gate", "title")),
    ("returns", "returns", ("home_unit", "kind", "measure", "period_to")),
)
EXTRA_KEYS = {"lat", "lon", "line"}


class BorderDataError(CommandError):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _sources(entries: list[dict[str, Any]]) -> int:
    for entry in entries:
        fields = dict(entry)
        code = fields.pop("code")
        Source.objects.update_or_create(code=code, defaults=fields)
    return len(entries)


def _units(entries: list[dict[str, Any]]) -> int:
    for entry in entries:
        fields = dict(entry)
        code = fields.pop("code")
        unit = Unit.objects.filter(code=code).first() or Unit(code=code)
        gazetteer._apply(unit, fields)
        unit.full_clean()
        unit.save()
    return len(entries)


def _line(spec: Any) -> dict[str, Any]:
    whole = geo.boundary_geometry()
    if spec == "boundary":
        return whole
    if isinstance(spec, dict) and "clip" in spec:
        south, west, north, east = (float(v) for v in spec["clip"])
        lines = [
            geo.clip_to_bounds(line, (south, west, north, east)) for line in geo.lines_of(whole)
        ]
        pieces = [line for line in lines if len(line) >= 2]
        if len(pieces) == 1:
            return {"type": "LineString", "coordinates": pieces[0]}
        return {"type": "MultiLineString", "coordinates": pieces}
    raise BorderDataError(f"{FILE.name}: unknown line {spec!r}")


@transaction.atomic
def load() -> dict[str, int]:
    spec_file = yaml.safe_load(FILE.read_text(encoding="utf-8")) or {}
    counts = {
        "sources": _sources(spec_file.get("sources") or []),
        "units": _units(spec_file.get("units") or []),
        "existing": 0,
    }
    for key, slug, natural in PLAN:
        spec = get_register(slug)
        counts[key] = 0
        for index, entry in enumerate(spec_file.get(key) or []):
            where = f"{FILE.name}: {key}[{index}]"
            unknown = sorted(set(entry) - set(spec.fields) - EXTRA_KEYS)
            if unknown:
                raise BorderDataError(f"{where}: not fields of {slug}: {', '.join(unknown)}")
            data = {name: _text(value) for name, value in entry.items() if name not in EXTRA_KEYS}
            if "lat" in entry:
                data["latitude"] = str(geo.dms(*entry["lat"]))
                data["longitude"] = str(geo.dms(*entry["lon"]))
            blank = form_class(spec)()
            for name in spec.fields:
                initial = blank[name].value()
                if name not in data and initial not in (None, "", [], ()):
                    data[name] = _text(initial)
            fields = form_class(spec).base_fields
            lookup: dict[str, Any] = {}
            for name in natural:
                value = fields[name].clean(data.get(name, ""))
                lookup[name if value not in (None, "") else f"{name}__isnull"] = (
                    value if value not in (None, "") else True
                )
            record: models.Model | None = spec.model._default_manager.filter(**lookup).first()
            if record is None:
                form = form_class(spec)(data=data)
                if not form.is_valid():
                    raise BorderDataError(f"{where} is invalid: {form.errors.as_text()}")
                record = form.save()
                counts[key] += 1
            else:
                counts["existing"] += 1
            if "line" in entry and isinstance(record, BorderSection) and not record.geometry:
                record.geometry = _line(entry["line"])
                record.save(update_fields=["geometry", "updated_at"])
    return counts
