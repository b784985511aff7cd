"""The one form of each register, built from its declaration; imports and the API use it too,
so a record is checked the same way however it arrives."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.db import models

from borderlink.registers.fields import CodeChoiceField, CodesField
from borderlink.registers.spec import Register


class RegisterForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def _form_field(model_field: models.Field) -> forms.Field | None:
    label = model_field.verbose_name
    help_text = model_field.help_text
    if model_field.many_to_many:
        related = model_field.related_model._default_manager.all()  # type: ignore[union-attr]
        return CodesField(related, required=not model_field.blank, label=label)
    if model_field.many_to_one or model_field.one_to_one:
        related = model_field.related_model._default_manager.all()  # type: ignore[union-attr]
        return CodeChoiceField(
            related, required=not model_field.blank, label=label, help_text=help_text
        )
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        return forms.DateField(
            required=not model_field.blank,
            label=label,
            help_text=help_text,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        )
    if isinstance(model_field, models.TextField):
        return model_field.formfield(widget=forms.Textarea(attrs={"rows": 3}))
    return None


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
    return type(f"{spec.model.__name__}RegisterForm", (base,), attrs)
