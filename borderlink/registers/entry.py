"""Entering a record at the speed of the person who records: what a new form starts with, which
fields it shows first, and what "save and add another" keeps.

- Defaults from who is recording: the register's unit field gets the user's own unit today
  (accounts/recording.py), its date field today, and the register may add its own (an activity's
  counterpart from the unit's partnerships in force) — `Register.defaults`.
- "Copy" (`?copy=<pk>`) starts from a record the user may view, dated today.
- Values in the address (`?kind=letter`) win over both: links from the home page and the log
  sheet choose the kind.
- Quick entry (`Register.quick`): the fields a kind needs are shown, every other field waits
  behind "More"; it is declared once with the register, never in a template.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.http import QueryDict
from django.urls import reverse

from borderlink.accounts.recording import default_home_unit
from borderlink.core.permissions import restrict
from borderlink.registers.spec import Register
from borderlink.registers.tabular import cell_value

ADD_ANOTHER = "_addanother"  # the name of the "Save and add another" button


def _date_field(spec: Register) -> str | None:
    if spec.date_field:
        return spec.date_field
    for name in spec.fields:
        model_field = spec.model_field(name)
        if isinstance(model_field, models.DateField) and not model_field.blank:
            return name
    return None


def _copied(spec: Register, user: Any, pk: str) -> dict[str, Any]:
    if not pk.isdigit():
        return {}
    original = restrict(spec.model._default_manager.all(), user, "view").filter(pk=pk).first()
    if original is None:  # not theirs to see: the form starts empty, nothing is disclosed
        return {}
    values = {name: cell_value(spec, original, name) for name in spec.fields}
    if spec.personal is not None:
        for name in spec.personal.fields:
            values.pop(name, None)
    return {k: v for k, v in values.items() if v not in (None, "")}


def initial_for(
    spec: Register, user: Any, params: QueryDict, today: datetime.date
) -> dict[str, Any]:
    """What a new record's form starts with (see the module's docstring for the order)."""
    initial: dict[str, Any] = {}
    unit_name = spec.unit_field.split(".")[0] if spec.unit_field else ""
    if unit_name and "." not in spec.unit_field and unit_name in spec.fields:
        own = default_home_unit(user, today)
        if own is not None:
            initial[unit_name] = own.code
    date_name = _date_field(spec)
    if date_name:
        initial[date_name] = today
    copy = params.get("copy")
    if isinstance(copy, str) and copy:
        initial.update(_copied(spec, user, copy))
        if date_name:
            initial[date_name] = today
    initial.update({k: v for k, v in params.items() if k in spec.fields})
    if spec.defaults is not None:
        for name, value in spec.defaults(user, today, initial).items():
            initial.setdefault(name, value)
    return initial


def _is_context(spec: Register, name: str) -> bool:
    """Fields that say where and when, which the next record of a series shares (links, choices,
    dates), as opposed to what it says (titles, counts, notes)."""
    model_field = spec.model_field(name)
    return bool(
        model_field.is_relation or model_field.choices or isinstance(model_field, models.DateField)
    )


def another_url(spec: Register, saved: models.Model) -> str:
    """The new form after "Save and add another", keeping the saved record's context."""
    kept = {name: cell_value(spec, saved, name) for name in spec.fields if _is_context(spec, name)}
    if spec.personal is not None:
        for name in spec.personal.fields:
            kept.pop(name, None)
    query = urlencode({k: v for k, v in kept.items() if v not in (None, "")})
    return f"{reverse('registers:new', args=[spec.slug])}?{query}"


@dataclass
class Layout:
    """The form's fields in two groups: shown at first, and behind "More" (open when one of them
    has an error, so nothing wrong is ever hidden)."""

    first: list[forms.BoundField]
    more: list[forms.BoundField]

    @property
    def more_open(self) -> bool:
        return any(f.errors for f in self.more)


def layout(spec: Register, form: forms.BaseForm, is_new: bool) -> Layout:
    fields = list(form)
    if spec.quick is None or not is_new:
        return Layout(fields, [])
    by = form[spec.quick.by].value() if spec.quick.by in form.fields else None
    wanted = [n for n in spec.quick.shown(by) if n in form.fields]
    if not wanted:
        return Layout(fields, [])
    first = [form[name] for name in wanted]
    return Layout(first, [f for f in fields if f.name not in wanted])
