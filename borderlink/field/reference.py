"""What a device keeps to record with no network: the user's field forms and, for each link
they offer, the records of the user's own scope — their units, the counterparts of their
partnerships in force, the partnerships, mechanisms, markers — plus the recent entries and the
early warnings they may still change. Small, so the first download is quick on a slow link:
codes and names only, in the user's language."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language

from borderlink.accounts.recording import home_units
from borderlink.border.awaiting import awaiting_acknowledgement
from borderlink.border.choices import AlertDirection
from borderlink.core import dates
from borderlink.core.permissions import can_at_all, can_under, restrict
from borderlink.field import schema
from borderlink.field.kinds import EDITABLE, FORMS, FieldForm
from borderlink.ledger import sheet as log
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers import links, write
from borderlink.registers.fields import natural_key_field
from borderlink.registers.forms import version_of
from borderlink.registers.spec import get_register
from borderlink.registers.tabular import cell_value
from borderlink.ties.recording import counterparts_of

# A link to anything but units offers at most this many records (a station's markers: ~40).
MAX_OPTIONS = 600
RECENT_DAYS = 14
MAX_RECENT = 30
MAX_SHEET_UNITS = 3  # a station officer records for one unit; a commune officer for a few


def _unit_label(unit: Unit, lang: str) -> str:
    return unit.display_name(lang)[0]


def _options(form: FieldForm, name: str, user: Any, units: list[Unit], day: datetime.date) -> list:
    spec = form.spec
    related = links.related_model(spec, name)
    lang = get_language() or "vi"
    if related is Unit:
        if name == schema.unit_field_of(form):
            chosen = units
        else:
            found: dict[int, Unit] = {}
            for unit in units:
                for their in counterparts_of(unit, day):
                    found.setdefault(their.pk, their)
            chosen = list(found.values())
        return [[u.code, _unit_label(u, lang)] for u in chosen]
    key = natural_key_field(related)
    offered = links.choices(spec, name, user)
    if key == "pk":
        offered = offered.order_by("-pk")
    return [[str(getattr(o, key)), str(o)] for o in offered[:MAX_OPTIONS]]


def _recent(user: Any, units: list[Unit], day: datetime.date) -> list[dict[str, Any]]:
    """Recent activities of the user's units and the alerts waiting for their acknowledgement,
    with the version the device starts from (a later change on the server is a conflict)."""
    found: list[dict[str, Any]] = []
    activities = get_register("activities")
    if can_at_all(user, activities.model, "change") and units:
        recent = (
            restrict(activities.model._default_manager.all(), user, "change")
            .filter(home_unit__in=units, occurred_on__gte=day - datetime.timedelta(RECENT_DAYS))
            .order_by("-occurred_on", "-pk")[:MAX_RECENT]
        )
        found += [_editable("activities", obj) for obj in recent]
    alerts = get_register("alerts")
    if can_at_all(user, alerts.model, "change"):
        waiting = awaiting_acknowledgement(user, timezone.now()).filter(
            direction=AlertDirection.RECEIVED
        )
        changeable = restrict(alerts.model._default_manager.all(), user, "change")
        found += [
            _editable("alerts", obj) for obj in waiting.filter(pk__in=changeable.values("pk"))[:50]
        ]
    return found


def _editable(register: str, obj: models.Model) -> dict[str, Any]:
    spec = get_register(register)
    values = {name: cell_value(spec, obj, name) for name in EDITABLE[register]}
    return {
        "register": register,
        "id": obj.pk,
        "version": version_of(obj),
        "title": str(obj),
        "values": {k: "" if v is None else str(v) for k, v in values.items()},
    }


def _sheets(user: Any, units: list[Unit], day: datetime.date) -> list[dict[str, Any]]:
    """The log sheets of the user's units (this month and the last) as the device shows them:
    per day, whether the unit existed and each column's value; cells holding several entries
    are read-only (they are changed in the list, as on the sheet's page)."""
    lang = get_language() or "vi"
    this_month = day.replace(day=1)
    months = [(this_month - datetime.timedelta(days=1)).replace(day=1), this_month]
    found = []
    for unit in units[:MAX_SHEET_UNITS]:
        if not can_under(user, Activity, "add", unit.path):
            continue
        for month in months:
            sheet = log.build(unit, month, user)
            found.append(
                {
                    "unit": unit.code,
                    "unit_label": _unit_label(unit, lang),
                    "month": month.strftime("%Y-%m"),
                    "days": [
                        {
                            "day": row.day.isoformat(),
                            "open": row.open,
                            "values": [cell.value for cell in row.cells],
                            "several": [i for i, cell in enumerate(row.cells) if cell.several],
                        }
                        for row in sheet.rows
                    ],
                }
            )
    return found


def _editable_fields(register: str, user: Any) -> list[dict[str, Any]]:
    """The fields of a record the device may change offline, as its forms describe them."""
    register_form = write.form_for(get_register(register), user)
    return [
        schema.describe_field(register, name, register_form)
        for name in EDITABLE[register]
        if name in register_form.fields
    ]


def snapshot(user: Any, day: datetime.date) -> dict[str, Any]:
    """Everything a device needs to record offline for `user`, in the active language."""
    units = home_units(user, day)
    forms = [f for f in FORMS if can_at_all(user, f.spec.model, "add")]
    described = [schema.describe(f, user, day) for f in forms]
    options: dict[str, list] = {}
    for form, description in zip(forms, described, strict=True):
        for field in description["fields"]:
            key = field.get("options")
            if key and key not in options and field["name"] != form.parent_field:
                options[key] = _options(form, field["name"], user, units, day)
    editable = {
        register: _editable_fields(register, user)
        for register in EDITABLE
        if register != "alerts"  # an alert is acknowledged with one button, not a form
    }
    convention = dates.convention()
    body = {
        "language": get_language(),
        "user": user.get_username(),
        "day": day.isoformat(),
        "date_order": convention.order,
        "date_hint": convention.hint,
        "forms": described,
        "options": options,
        "recent": _recent(user, units, day),
        "editable": editable,
        "sheet_columns": [{"key": c.key, "label": str(c.label)} for c in log.COLUMNS],
        "sheets": _sheets(user, units, day),
    }
    # The version lets the device skip a download it already holds (If-None-Match).
    body["version"] = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    return body
