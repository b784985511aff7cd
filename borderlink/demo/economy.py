"""The economic cooperation demo (demo/data/economy.yaml): what the seeds declare, no more.

Records go through their register's form like anything typed or imported; a record the form
refuses stops the load with the record named. Repeating the load adds nothing.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError
from django.db import transaction

from borderlink.registers.forms import form_class
from borderlink.registers.spec import get_register

FILE = Path(__file__).parent / "data" / "economy.yaml"

# YAML key → (register slug, natural key fields). Loaded in this order.
PLAN: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("enterprises", "enterprises", ("unit",)),
    ("projects", "investment-projects", ("code",)),
    ("electricity", "electricity-flows", ("home_unit", "counterpart", "direction", "period_from")),
    ("returns", "returns", ("home_unit", "kind", "measure", "period_to")),
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def load() -> dict[str, int]:
    data_file = yaml.safe_load(FILE.read_text(encoding="utf-8")) or {}
    counts = {"existing": 0}
    for key, slug, natural in PLAN:
        spec = get_register(slug)
        form_type = form_class(spec)
        counts[key] = 0
        for index, entry in enumerate(data_file.get(key) or []):
            where = f"{FILE.name}: {key}[{index}]"
            unknown = sorted(set(entry) - set(spec.fields))
            if unknown:
                raise CommandError(f"{where}: not fields of {slug}: {', '.join(unknown)}")
            data = {name: _text(value) for name, value in entry.items()}
            lookup = {}
            for name in natural:
                value = form_type.base_fields[name].clean(data.get(name, ""))
                if value in (None, ""):
                    lookup[f"{name}__isnull"] = True
                else:
                    lookup[name] = value
            if spec.model._default_manager.filter(**lookup).exists():
                counts["existing"] += 1
                continue
            form = form_type(data=data)
            if not form.is_valid():
                raise CommandError(f"{where} is invalid: {form.errors.as_text()}")
            form.save()
            counts[key] += 1
    return counts
