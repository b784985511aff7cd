"""The seeds' cooperation facts (demo/data/cooperation.yaml), entered through the registers' forms.

Every record goes through the form of its register, so demo data is validated exactly like what
a user types or imports; a record the form refuses stops the load with the record named. The
load is one transaction and can be repeated: a record that is already there (found by its
natural key) is skipped, never duplicated.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import models, transaction

from borderlink.registers.fields import natural_key_field
from borderlink.registers.forms import RegisterForm, form_class
from borderlink.registers.spec import Register, get_register

DATA = Path(__file__).parent / "data"
FILE = DATA / "cooperation.yaml"

# Registers in the order they are loaded: a record may refer only to one loaded before it.
ORDER = ("programmes", "mechanisms", "partnerships", "agreements", "activities", "returns", "rates")

# The fields that say whether a record is already there: its code where the model has one, else
# its keeping unit, what it is and its dates.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "programmes": ("code",),
    "mechanisms": ("code",),
    "partnerships": ("home_unit", "kind", "title", "started_on"),
    "agreements": ("home_unit", "title_vi", "signed_on"),
    "activities": ("home_unit", "kind", "title", "occurred_on"),
    "returns": ("home_unit", "kind", "measure", "counterpart", "period_from", "period_to"),
    "rates": ("currency", "quote", "on"),
}

KEY = "key"  # names a record for later `{ref: ...}`; not a field of any register
REF = "ref"


class CooperationDataError(CommandError):
    """The demo data is wrong: the message names the record and what is wrong with it."""


def _label(slug: str, index: int, entry: dict[str, Any]) -> str:
    name = (
        entry.get(KEY)
        or entry.get("code")
        or entry.get("title")
        or entry.get("title_vi")
        or entry.get("kind")
    )
    return f"{FILE.name}: {slug}[{index}] ({name})"


def _text(value: Any, refs: dict[str, models.Model], where: str) -> str:
    """One YAML value as the form takes it: text, ISO dates, codes separated by "; "."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, dict):
        if set(value) != {REF}:
            raise CooperationDataError(f"{where}: a mapping value must be {{ref: <key>}}: {value}")
        target = refs.get(str(value[REF]))
        if target is None:
            raise CooperationDataError(
                f"{where}: no record with key {value[REF]!r} is loaded before this one"
            )
        return str(getattr(target, natural_key_field(type(target))))
    if isinstance(value, list | tuple):
        return "; ".join(_text(item, refs, where) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        raise CooperationDataError(f"{where}: write {value} as an integer or a quoted decimal")
    if isinstance(value, int | Decimal | str):
        return str(value)
    raise CooperationDataError(f"{where}: cannot enter a value of type {type(value).__name__}")


def _form_data(
    spec: Register, entry: dict[str, Any], refs: dict[str, models.Model], where: str
) -> dict[str, str]:
    unknown = sorted(set(entry) - set(spec.fields) - {KEY})
    if unknown:
        raise CooperationDataError(
            f"{where}: {', '.join(map(str, unknown))} not a field of the register {spec.slug!r} "
            f"(fields: {', '.join(spec.fields)})"
        )
    data = {name: _text(value, refs, f"{where} {name}") for name, value in entry.items()}
    data.pop(KEY, None)
    # What the blank form shows before anyone types (the model's defaults), as a user's
    # browser would send it back.
    blank = form_class(spec)()
    for name in spec.fields:
        if name not in data:
            initial = blank[name].value()
            if initial not in (None, "", [], ()):
                data[name] = _text(initial, refs, f"{where} {name}")
    return data


def _natural_key(spec: Register, data: dict[str, str], where: str) -> dict[str, Any]:
    """The lookup for an existing record, each value parsed by the form's own field."""
    fields = form_class(spec).base_fields
    lookup: dict[str, Any] = {}
    for name in NATURAL_KEYS[spec.slug]:
        try:
            value = fields[name].clean(data.get(name, ""))
        except ValidationError as error:
            raise CooperationDataError(f"{where}: {name}: {'; '.join(error.messages)}") from error
        if value in (None, ""):
            lookup[f"{name}__isnull" if spec.model_field(name).null else name] = (
                True if spec.model_field(name).null else ""
            )
        else:
            lookup[name] = value
    return lookup


def _errors(form: RegisterForm) -> str:
    return "; ".join(
        f"{field if field != '__all__' else 'record'}: {' '.join(str(m) for m in messages)}"
        for field, messages in form.errors.items()
    )


@transaction.atomic
def load() -> dict[str, int]:
    spec_file = yaml.safe_load(FILE.read_text(encoding="utf-8")) or {}
    unknown = sorted(set(spec_file) - set(ORDER))
    if unknown:
        raise CooperationDataError(f"{FILE.name}: unknown register(s): {', '.join(unknown)}")
    counts = dict.fromkeys(ORDER, 0)
    counts["existing"] = 0
    refs: dict[str, models.Model] = {}
    for slug in ORDER:
        spec = get_register(slug)
        seen: dict[tuple[tuple[str, str], ...], str] = {}
        for index, entry in enumerate(spec_file.get(slug) or []):
            where = _label(slug, index, entry)
            data = _form_data(spec, entry, refs, where)
            lookup = _natural_key(spec, data, where)
            identity = tuple(sorted((k, str(v)) for k, v in lookup.items()))
            if identity in seen:
                raise CooperationDataError(f"{where}: same natural key as {seen[identity]}")
            seen[identity] = where
            record = spec.model._default_manager.filter(**lookup).first()
            if record is None:
                form = form_class(spec)(data=data)
                if not form.is_valid():
                    raise CooperationDataError(f"{where} is invalid: {_errors(form)}")
                record = form.save()
                counts[slug] += 1
            else:
                counts["existing"] += 1
            key = entry.get(KEY)
            if key is not None:
                if str(key) in refs:
                    raise CooperationDataError(f"{where}: the key {key!r} is used twice")
                refs[str(key)] = record
    return counts
