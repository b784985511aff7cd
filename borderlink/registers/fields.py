"""Form fields that name records by their code, as people and spreadsheets do.

On a page the code box is a picker (registers/pickers.py, static/registers/picker.js): the user
types a name in any script and chooses; the box still takes codes, with or without JavaScript.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from borderlink.core import bulk

SEPARATOR = ";"
# A code looked up in bulk mode that names no record (core/bulk.py's memo remembers misses too).
MISSING = object()


def natural_key_field(model: type[models.Model]) -> str:
    """The field a record is named by in forms, files and the API: `code` where there is one."""
    names = {f.name for f in model._meta.get_fields()}
    return "code" if "code" in names else "pk"


def linked_model(field: models.Field) -> type[models.Model]:
    """The model a link field points at. The stubs type `related_model` as optional (None on a
    field that is no link); asked of a link, it always names one."""
    model = field.related_model
    if model is None:
        raise TypeError(f"{field} links to no model")
    return model


def can_hold(model: type[models.Model], key: str, code: str) -> bool:
    """Can the key field hold `code` (not 'abc' for a number, nor a number beyond 64 bits)?"""
    # A key is a concrete field of the model (natural_key_field), never a reverse relation.
    field = model._meta.pk if key == "pk" else cast(models.Field, model._meta.get_field(key))
    try:
        value = field.to_python(code)
    except ValidationError:
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return True


class PickerBoundField(BoundField):
    """Draws a link field's code box with what makes it a picker on this form (its endpoint,
    the form's date field for units); a form with no register for the link draws a plain box."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        from borderlink.registers import pickers

        attrs = super().build_widget_attrs(attrs, widget)
        return {**pickers.form_attrs(self.form, self.name, self.field), **attrs}


if TYPE_CHECKING:  # what the mixin is mixed into
    _FormField = forms.Field
else:
    _FormField = object


class PickerMixin(_FormField):
    """`picker`: (register slug, link field) whose picker a form outside the registers uses for
    this field (e.g. a CAP import's responsible unit picks as an alert's does)."""

    picker: tuple[str, str] | None = None

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> BoundField:
        return PickerBoundField(form, self, field_name)


class CodeChoiceField(PickerMixin, forms.ModelChoiceField):
    """One related record, typed as its code (a text box, not a list of thousands)."""

    widget = forms.TextInput

    def __init__(
        self,
        queryset: models.QuerySet,
        picker: tuple[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.picker = picker
        kwargs.setdefault("to_field_name", natural_key_field(queryset.model))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("No record has the code “%(value)s”.")}
        )
        super().__init__(queryset, **kwargs)

    def to_python(self, value: Any) -> Any:
        cache = bulk.lookups()
        if cache is None or value in self.empty_values:
            return super().to_python(value)
        key = (
            self.queryset.model if self.queryset is not None else None,
            self.to_field_name,
            str(value),
        )
        if key not in cache:
            try:
                cache[key] = super().to_python(value)
            except ValidationError:
                cache[key] = MISSING  # a bad code in many rows is looked up once too
                raise
        found = cache[key]
        if found is MISSING:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, models.Model):
            return getattr(value, self.to_field_name or "pk")
        if isinstance(value, int) and self.to_field_name not in (None, "pk"):
            obj = self.queryset.filter(pk=value).first() if self.queryset is not None else None
            return getattr(obj, self.to_field_name) if obj else value
        return super().prepare_value(value)


class CodesField(PickerMixin, forms.Field):
    """Several related records, typed as codes separated by semicolons."""

    widget = forms.TextInput

    def __init__(
        self,
        queryset: models.QuerySet,
        picker: tuple[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.picker = picker
        self.queryset = queryset
        self.key = natural_key_field(queryset.model)
        kwargs.setdefault("help_text", _("Codes separated by “;”"))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> str:
        if value is None or isinstance(value, str):
            return value or ""
        items = value if isinstance(value, list | tuple) else list(value)
        codes = []
        for item in items:
            if isinstance(item, models.Model):
                codes.append(str(getattr(item, self.key)))
            else:
                obj = self.queryset.filter(pk=item).first()
                codes.append(str(getattr(obj, self.key)) if obj else str(item))
        return f"{SEPARATOR} ".join(codes)

    def _lookup(self, codes: list[str]) -> dict[str, models.Model]:
        cache = bulk.lookups()
        model = self.queryset.model
        found: dict[str, models.Model] = {}
        wanted = codes
        if cache is not None:
            found = {c: cache[(model, self.key, c)] for c in codes if (model, self.key, c) in cache}
            wanted = [c for c in codes if c not in found]
            found = {c: obj for c, obj in found.items() if obj is not MISSING}
        # A code the key field cannot hold ("abc" for a numbered record, a number beyond 64 bits)
        # names no record: it is reported missing, not sent to the database to fail there.
        wanted = [c for c in wanted if can_hold(model, self.key, c)]
        if wanted:
            for obj in self.queryset.filter(**{f"{self.key}__in": wanted}):
                code = str(getattr(obj, self.key))
                found[code] = obj
                if cache is not None:
                    cache[(model, self.key, code)] = obj
        if cache is not None:
            for code in wanted:
                cache.setdefault((model, self.key, code), MISSING)
        return found

    def clean(self, value: Any) -> list[models.Model]:
        text = value if isinstance(value, str) else self.prepare_value(value)
        codes = [
            c.strip() for c in (text or "").replace(",", SEPARATOR).split(SEPARATOR) if c.strip()
        ]
        if not codes:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        found = self._lookup(codes)
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                _("No record has the code(s): %(codes)s.") % {"codes": ", ".join(missing)}
            )
        return [found[c] for c in dict.fromkeys(codes)]
