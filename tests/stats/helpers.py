"""Helpers for the statistics tests: run `borderlink stats`, fetch units, add ledger entries."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

from django.core.management import call_command

from borderlink.ledger.models import Activity
from borderlink.places.models import Unit

STATION = "VN-02-BGS-THANHTHUY"
TIANBAO = "CN-532624-BGS-TIANBAO"


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def stats(*args: str) -> dict[str, Any]:
    """`borderlink stats ARGS --format json`, parsed."""
    out = io.StringIO()
    call_command("stats", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def add_activity(
    home: str = STATION,
    on: str = "2022-01-10",
    kind: str = "letter",
    count: int = 1,
    counterpart: str | None = TIANBAO,
    **fields: Any,
) -> Activity:
    """A ledger entry made with the ORM (the rollup signals run as for any save)."""
    return Activity.objects.create(
        home_unit=unit(home),
        kind=kind,
        occurred_on=day(on),
        title=f"{kind} {on}",
        diplomacy=fields.pop("diplomacy", "state"),
        count=count,
        counterpart=unit(counterpart) if counterpart else None,
        **fields,
    )
