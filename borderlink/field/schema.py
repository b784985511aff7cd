"""A field form described for the device: its fields as the register's form has them for this
user (links narrowed by the gate, personal fields only where the user may enter them), their
labels in the user's language, the choices, and the defaults drawn from who is recording.

The device draws its forms from this description, so it never needs the server to show one.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.text import capfirst

from borderlink.core import dates
from borderlink.field.kinds import FieldForm
from borderlink.registers import write
from borderlink.registers.entry import initial_for
from borderlink.registers.fields import CodeChoiceField, CodesField


def field_type(field: forms.Field) -> str:
    """The kind of input the device draws for a form field."""
    if isinstance(field, CodeChoiceField):
        return "link"
    if isinstance(field, CodesField):
        return "links"
    if isinstance(field, forms.FileField):
        return "photo"
    if isinstance(field, forms.BooleanField):
        return "checkbox"
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        return "select"
    if isinstance(field, forms.DateTimeField):
        return "datetime"
    if isinstance(field, dates.DateField | forms.DateField):
        return "date"
    if isinstance(field, forms.IntegerField) and not isinstance(
        field, forms.DecimalField | forms.FloatField
    ):
        return "integer"
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return "number"
    if isinstance(field.widget, forms.Textarea):
        return "textarea"
    return "text"


def option_key(register: str, name: str) -> str:
    """Where the device finds a link's options: one list per register and field."""
    return f"{register}.{name}"


def describe_field(register: str, name: str, form: forms.BaseForm) -> dict[str, Any]:
    """One field of a register's form (as built for the user) as the device draws it."""
    field = form.fields[name]
    kind = field_type(field)
    described: dict[str, Any] = {
        "name": name,
        "label": capfirst(str(field.label or name)),
        "type": kind,
        "required": bool(field.required),
        "help": str(field.help_text or ""),
    }
    if kind == "select":
        described["choices"] = [
            [str(value), str(label)]
            for value, label in field.choices  # type: ignore[attr-defined]
            if value not in ("", None)
        ]
    if kind in ("link", "links"):
        described["options"] = option_key(register, name)
    max_length = getattr(field, "max_length", None)
    if max_length:
        described["max_length"] = max_length
    return described


def unit_field_of(form: FieldForm) -> str:
    """The form's own unit field ("home_unit"), or "" for a child whose unit is its parent's."""
    unit_field = form.spec.unit_field
    return "" if "." in unit_field else unit_field


def describe(form: FieldForm, user: Any, today: datetime.date) -> dict[str, Any]:
    spec = form.spec
    register_form = write.form_for(spec, user)
    unit_field = unit_field_of(form)
    names = [n for n in ([unit_field] if unit_field else []) + form.shown() if n]
    fields = [
        describe_field(form.register, name, register_form)
        for name in dict.fromkeys(names)
        if name in register_form.fields
    ]
    personal = [n for n in (spec.personal.fields if spec.personal else []) if n in names]
    return {
        "key": form.key,
        "register": form.register,
        "label": str(form.label),
        "preset": form.preset,
        "parent_field": form.parent_field,
        "children": list(form.children),
        "single": form.single,
        "unit_field": unit_field,
        # The record's own date starts as today; an optional date (a birth date) starts empty.
        "date_field": spec.date_field
        or next((f["name"] for f in fields if f["type"] == "date" and f["required"]), ""),
        "personal": [n for n in personal if n in register_form.fields],
        "fields": fields,
        "defaults": starting_values(form, user, today),
    }


def starting_values(form: FieldForm, user: Any, today: datetime.date) -> dict[str, str]:
    """What a new entry starts with, as text, as a page's new form would post it untouched:
    the user's unit, the counterpart and partnership of that unit's partnership in force, what
    the kind implies, the register's own defaults (sensitivity, status…). The date is left out:
    it is the device's today when the entry is written, not the day the form was downloaded."""
    params = QueryDict(mutable=True)
    params.update(form.preset)
    initial = initial_for(form.spec, user, params, today)
    register_form = write.form_for(form.spec, user, initial=initial)
    personal = set(form.spec.personal.fields) if form.spec.personal else set()
    found: dict[str, str] = {}
    for name, field in register_form.fields.items():
        value = register_form[name].value()
        if name in form.preset or name in personal:
            continue
        if value is None or value is False or value in ("", []):  # a 0 is a value (a count)
            continue
        if isinstance(value, datetime.date) or name in form.spec.file_fields:
            continue
        if value is True:
            found[name] = "on"
            continue
        prepared = field.prepare_value(value)
        found[name] = str(getattr(prepared, "code", prepared))
    return found
