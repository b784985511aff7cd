"""The people demo (demo/data/people.yaml): no invented people, the seeds' totals checked as
returns, and a demo account for the labour officer role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError

from borderlink.demo.users import ensure_user
from borderlink.ledger.models import AggregateReturn

FILE = Path(__file__).parent / "data" / "people.yaml"


def load() -> dict[str, Any]:
    spec = yaml.safe_load(FILE.read_text(encoding="utf-8")) or {}
    returns = 0
    for index, entry in enumerate(spec.get("expected_returns") or []):
        lookup = {
            "home_unit__code": entry["home_unit"],
            "kind": entry["kind"],
            "measure": entry["measure"],
            "counterpart__code": entry["counterpart"],
        }
        if not AggregateReturn.objects.filter(**lookup).exists():
            raise CommandError(f"{FILE.name}: expected_returns[{index}] is not loaded: {entry}")
        returns += 1
    users = []
    for entry in spec.get("users") or []:
        ensure_user(entry["username"], entry["role"], entry["unit"])
        users.append((entry["username"], entry["description"]))
    return {"returns_checked": returns, "users": users}
