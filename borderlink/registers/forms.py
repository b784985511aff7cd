"""The one form of each register, built from its declaration; imports and the API use it too,
so a record is checked the same way however it arrives."""

from __future__ import annotations

import datetime
import hashlib
import json
from functools import cache
from typing import Any

from django import forms
from django.core import signing
from django.db import models
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from borderlink.core import dates, form_style
from borderlink.registers import links
from borderlink.registers.fields import CodeChoiceField, CodesField, linked_model
from borderlink.registers.spec import Register


class RegisterForm(forms.ModelForm):
    """A register's form. Given `user` (the one acting), every link field offers and accepts only
    what that user may view (registers/links.py); without one (the demo loader, commands acting
    as the system) links reach every record."""

    register: Register | None = None  # set by form_class

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and self.register is not None:
            self._narrow_links(self.register, user)
        form_style.style(self)

    def _narrow_links(self, spec: Register, user: Any) -> None:
        keep = self.instance if self.instance.pk is not None else None
        for name, field in self.fields.items():
            if isinstance(field, CodeChoiceField | CodesField) and name in spec.fields:
                field.queryset = links.choices(spec, name, user, keep=keep)


def _form_field(model_field: models.Field) -> forms.Field | None:
    label = model_field.verbose_name
    help_text = model_field.help_text
    if model_field.many_to_many:
        related = linked_model(model_field)._default_manager.all()
        return CodesField(related, required=not model_field.blank, label=label)
    if model_field.many_to_one or model_field.one_to_one:
        related = linked_model(model_field)._default_manager.all()
        return CodeChoiceField(
            related, required=not model_field.blank, label=label, help_text=help_text
        )
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        # Typed and shown in the page's language; ISO and dd/mm/yyyy from files and the API.
        return dates.DateField(required=not model_field.blank, label=label, help_text=help_text)
    if isinstance(model_field, models.TextField):
        return model_field.formfield(widget=forms.Textarea(attrs={"rows": 3}))
    if model_field.choices:
        # A refused choice says what is allowed, in the page's language (a file's user has no
        # drop-down to look at).
        return model_field.formfield(
            error_messages={"invalid_choice": _allowed_message(model_field)}
        )
    return None


def _refused_choice(model_field: models.Field) -> str:
    allowed = ", ".join(f"{label} ({code})" for code, label in model_field.flatchoices)
    # The value goes in when the error is shown; the list is put in here, outside %-formatting.
    return _("“%(value)s” is not one of the allowed values: {allowed}.").replace(
        "{allowed}", allowed.replace("%", "%%")
    )


def _allowed_message(model_field: models.Field) -> Any:
    return lazy(_refused_choice, str)(model_field)


def localize_numbers(form: forms.BaseForm) -> None:
    """Numbers typed and shown as the page's language writes them (1.456 in Vietnamese, 1,456 in
    English and Chinese), in a text box with the phone's number pad: for a page's form only."""
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            whole = isinstance(field, forms.IntegerField) and not isinstance(
                field, forms.DecimalField | forms.FloatField
            )
            kept = {k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")}
            field.localize = True
            field.widget = forms.TextInput(
                attrs={**kept, "inputmode": "numeric" if whole else "decimal"}
            )
            field.widget.is_localized = True


@cache
def form_class(spec: Register) -> type[RegisterForm]:
    base = spec.form_base or RegisterForm
    attrs: dict[str, Any] = {}
    for name in spec.fields:
        field = _form_field(spec.model_field(name))
        if field is not None:
            attrs[name] = field
    meta = type("Meta", (), {"model": spec.model, "fields": [*spec.fields, *spec.file_fields]})
    attrs["Meta"] = meta
    attrs["register"] = spec
    return type(f"{spec.model.__name__}RegisterForm", (base,), attrs)


# Optimistic concurrency: an edit page carries the record's version (its `updated_at`) and a
# fingerprint of each value the user started from, signed (fingerprints, not values: the page
# source must not carry personal data the user may not see). A save whose version is no longer
# the record's is refused with the fields changed meanwhile. The API's ETag is the same version.
VERSION_FIELD = "record_version"
_SALT = "borderlink.registers.version"


def version_of(obj: Any) -> str:
    """The record's version as text: its last save to the microsecond, in UTC ('' if untracked)."""
    stamp = getattr(obj, "updated_at", None)
    if stamp is None:
        return ""
    return stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _fingerprints(spec: Register, obj: Any) -> dict[str, str]:
    from borderlink.registers.tabular import cell_value

    return {
        name: hashlib.sha256(
            json.dumps(cell_value(spec, obj, name), default=str).encode()
        ).hexdigest()[:16]
        for name in spec.fields
    }


def version_token(spec: Register, obj: Any) -> str:
    """The hidden field's value: the version and the fingerprints of the values shown, signed."""
    return signing.dumps({"v": version_of(obj), "f": _fingerprints(spec, obj)}, salt=_SALT)


def _shown(spec: Register, obj: Any, name: str, revealed: bool) -> str:
    from borderlink.registers import personal
    from borderlink.registers.tabular import cell_value

    field = spec.model_field(name)
    value = cell_value(spec, obj, name)
    if field.choices and not field.is_relation and value not in (None, ""):
        value = getattr(obj, f"get_{name}_display")()
    if value in (None, ""):
        return str(_("(empty)"))
    return str(personal.mask(spec, name, value, revealed))


def changes_since(spec: Register, token: str, current: Any, user: Any) -> list[str] | None:
    """None when `current` is still the version the token was made from (or there is no token);
    otherwise a line per field changed since then, with its value now (masked as on the page)."""
    from borderlink.registers import personal

    if not token or not version_of(current):
        return None
    try:
        seen = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        seen = {"v": "", "f": {}}
    if seen.get("v") == version_of(current):
        return None
    before = seen.get("f") or {}
    now = _fingerprints(spec, current)
    revealed = current.pk in personal.revealed(spec, user, [current.pk])
    return [
        _("%(field)s is now “%(value)s”")
        % {
            "field": capfirst(spec.model_field(name).verbose_name),
            "value": _shown(spec, current, name, revealed),
        }
        for name in spec.fields
        if before.get(name) != now[name]
    ]


def conflict_message(current: Any, api: bool = False) -> str:
    from borderlink.core.history import history_of

    last = history_of(current).first()
    values = {
        "who": (last.actor_name if last is not None else "") or _("Someone else"),
        "time": date_format(localtime(current.updated_at), "DATETIME_FORMAT"),
    }
    if api:
        return (
            _(
                "%(who)s changed this record at %(time)s, after the version you sent. Nothing was "
                "saved. The record as it is now is in “current”, its version in the ETag header."
            )
            % values
        )
    return (
        _(
            "%(who)s changed this record at %(time)s, after you opened it. Nothing was saved. "
            "What changed is listed below; your values are kept in the form. "
            "Save again to replace theirs with yours."
        )
        % values
    )
