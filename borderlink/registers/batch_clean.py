"""The form's own cleaning, for row after row of an import (registers/bulk_write.py).

Django's ModelForm.full_clean, step for step and in the same order, with what does not change
from one row to the next worked out once per import instead of once per row:

- a form field's verdict on a text it has judged before is remembered: Django's own fields and
  the registers' code fields, whose `clean` depends on the text alone (the code fields' look-ups
  are memoised for the import anyway, core/bulk.py). At most `MEMO` texts a field: a column of
  titles never repeats;
- which model fields the record takes from the form, and which the model's validation leaves
  out, is worked out once; per row only what depends on the row is asked again;
- a model field's verdict on a value is remembered the same way (Django's own field types);
- the record's unique checks are skipped where a new record cannot fail them (no unique field
  but its id).

Whatever a register adds — the form's `clean()` and `clean_<field>()`, the model's `clean()` —
runs for every row as it is. A form or model that changes a step this module repeats (its own
`full_clean`, `_post_clean`, `clean_fields`…) is cleaned by Django's own code instead.
tests/registers/test_batch_clean.py holds the two to the same answer on any input, for every
register.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import BaseModelForm

from borderlink.core import bulk
from borderlink.core import models as core_models
from borderlink.registers.fields import CodeChoiceField, CodesField

MEMO = 4096  # verdicts kept per field
_MISS = object()

# Model field values remembered by exact type: equal values of other types (1 and True, dates
# and datetimes, Decimal("1.0") and Decimal("1.00")) must not share an answer.
_MEMO_TYPES = (str, int, bool, datetime.date, type(None))


def _pure_form_field(field: forms.Field) -> bool:
    """Does the field's `clean` depend on the text alone (for one user, language and import)?"""
    if isinstance(field, forms.FileField) or field.disabled:
        return False
    kind = type(field)
    return (
        kind.__module__.startswith("django.forms.")
        or kind
        in (
            CodeChoiceField,
            CodesField,
        )
        or kind.__module__ == "borderlink.core.dates"
    )


def _pure_model_field(field: models.Field) -> bool:
    return not field.is_relation and type(field).__module__.startswith("django.db.models.fields")


def _standard(form: forms.ModelForm) -> bool:
    """Does the form clean as Django's ModelForm does, with a model that validates as Django's
    (or TrackedModel's, which only leaves links out in bulk mode) does?"""
    form_class, model = type(form), form._meta.model
    model_steps = ("full_clean", "clean_fields", "validate_unique")
    return (
        form_class.full_clean is forms.BaseForm.full_clean
        and form_class._clean_fields is forms.BaseForm._clean_fields  # type: ignore[attr-defined]
        and form_class._post_clean is BaseModelForm._post_clean  # type: ignore[attr-defined]
        and form_class.validate_unique is BaseModelForm.validate_unique
        and form_class._get_validation_exclusions  # type: ignore[attr-defined]
        is BaseModelForm._get_validation_exclusions  # type: ignore[attr-defined]
        and not form.prefix
        and not form.empty_permitted
        and all(
            getattr(model, step) in (getattr(models.Model, step), _tracked(step))
            for step in model_steps
        )
        and not any(isinstance(f, forms.models.InlineForeignKeyField) for f in form.fields.values())
    )


def _tracked(step: str) -> Any:
    return getattr(core_models.TrackedModel, step, None)


class BatchCleaning:
    """Installed on one form (`install`), which is then bound to row after row; answers as
    Django's cleaning of that form would."""

    def __init__(self, form: forms.ModelForm) -> None:
        self.form: Any = form  # its private steps are replaced: typed loosely
        meta = form._meta
        model: type[models.Model] = meta.model
        self.model = model
        self.fields: list[tuple[str, forms.Field, Callable[..., Any], dict | None, Any]] = [
            (
                name,
                field,
                field.widget.value_from_datadict,
                {} if _pure_form_field(field) else None,
                getattr(form, f"clean_{name}", None),
            )
            for name, field in form.fields.items()
        ]
        # Validation exclusions (ModelForm._get_validation_exclusions): fixed for the form, or
        # asked per row (a field with errors; an empty optional form field of a required one).
        self.always_excluded: set[str] = set()
        self.on_form: set[str] = set()
        self.empty_excluded: list[tuple[str, Any]] = []
        for f in model._meta.fields:
            if (
                f.name not in form.fields
                or (meta.fields and f.name not in meta.fields)
                or (meta.exclude and f.name in meta.exclude)
            ):
                self.always_excluded.add(f.name)
                continue
            self.on_form.add(f.name)
            form_field = form.fields[f.name]
            if not f.blank and not form_field.required:
                self.empty_excluded.append((f.name, form_field.empty_values))
        # What construct_instance sets, in its order (file fields last).
        taken = [
            f
            for f in model._meta.fields
            if f.editable
            and not isinstance(f, models.AutoField)
            and (meta.fields is None or f.name in meta.fields)
            and not (meta.exclude and f.name in meta.exclude)
        ]
        self.taken = [
            (f, f.name, f.has_default())
            for f in [f for f in taken if not isinstance(f, models.FileField)]
            + [f for f in taken if isinstance(f, models.FileField)]
        ]
        # Model.clean_fields' fields, each with its remembered verdicts (or None).
        self.validated: list[tuple[Any, str, str, bool, Any, dict | None]] = [
            (f, f.name, f.attname, f.blank, f.empty_values, {} if _pure_model_field(f) else None)
            for f in model._meta.fields
            if not f.generated
        ]
        self.links = frozenset(f.name for f in model._meta.concrete_fields if f.is_relation)
        probe: Any = model()
        unique_checks, date_checks = probe._get_unique_checks()
        pk = model._meta.pk
        # A new record whose id the database draws cannot fail a unique check on its id alone.
        self.unique_may_fail = (
            bool(date_checks)
            or not isinstance(pk, models.AutoField)
            or any(tuple(names) != (pk.name,) for _model, names in unique_checks)
        )

    @classmethod
    def install(cls, form: forms.ModelForm) -> BatchCleaning | None:
        """Clean `form` this way from now on, if it cleans as Django's ModelForm does."""
        if not _standard(form):
            return None
        cleaning = cls(form)
        cleaning.form._clean_fields = cleaning.clean_fields
        cleaning.form._post_clean = cleaning.post_clean
        return cleaning

    # -- Form._clean_fields ------------------------------------------------------------------

    def clean_fields(self) -> None:
        form = self.form
        data, files, cleaned = form.data, form.files, form.cleaned_data
        for name, field, read, memo, hook in self.fields:
            try:
                if memo is None:
                    value = field._clean_bound_field(form[name])  # type: ignore[attr-defined]
                else:
                    raw = read(data, files, name)
                    verdict = self._judge(field, raw, memo)
                    if isinstance(verdict, ValidationError):
                        form.add_error(name, verdict)
                        continue
                    value = verdict
                cleaned[name] = value
                if hook is not None:
                    cleaned[name] = hook()
            except ValidationError as error:
                form.add_error(name, error)

    @staticmethod
    def _judge(field: forms.Field, raw: Any, memo: dict) -> Any:
        """The field's cleaned value of `raw`, or the ValidationError it raises."""
        try:
            found = memo.get(raw, _MISS)
        except TypeError:  # a value that is no text (a list, from a widget of several)
            found = _MISS
            memo = {}
        if found is _MISS:
            try:
                found = (field.clean(raw),)
            except ValidationError as error:
                # Kept without the frames it was raised in: it is added, never raised again.
                found = error.with_traceback(None)
            if len(memo) < MEMO:
                memo[raw] = found
        if isinstance(found, ValidationError):
            return found
        value = found[0]
        return list(value) if isinstance(value, list) else value  # a list is the row's own

    # -- ModelForm._post_clean -----------------------------------------------------------------

    def _exclusions(self) -> set[str]:
        form = self.form
        errors, cleaned = form._errors or {}, form.cleaned_data
        exclude = set(self.always_excluded)
        exclude.update(name for name in errors if name in self.on_form)
        for name, empty in self.empty_excluded:
            if cleaned.get(name) in empty:
                exclude.add(name)
        return exclude

    def post_clean(self) -> None:
        form = self.form
        exclude = self._exclusions()
        try:
            self._construct()
        except ValidationError as error:
            form._update_errors(error)
        try:
            self._model_full_clean(form.instance, exclude)
        except ValidationError as error:
            form._update_errors(error)
        if form._validate_unique and self.unique_may_fail:
            try:
                form.instance.validate_unique(exclude=self._exclusions())
            except ValidationError as error:
                form._update_errors(error)

    def _construct(self) -> None:
        """construct_instance: the record takes the form's cleaned values."""
        form, instance = self.form, self.form.instance
        cleaned = form.cleaned_data
        for f, name, has_default in self.taken:
            if name not in cleaned:
                continue
            if (
                has_default
                and form[name].field.widget.value_omitted_from_data(form.data, form.files, name)
                and cleaned.get(name) in form[name].field.empty_values
            ):
                continue
            f.save_form_data(instance, cleaned[name])

    def _model_full_clean(self, instance: models.Model, exclude: set[str]) -> None:
        """Model.full_clean(exclude, validate_unique=False)."""
        errors: dict[str, Any] = {}
        try:
            self._model_clean_fields(instance, exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in errors:
            if name != NON_FIELD_ERRORS and name not in exclude:
                exclude.add(name)
        try:
            instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _model_clean_fields(self, instance: models.Model, exclude: set[str]) -> None:
        """Model.clean_fields (TrackedModel's leaves the links out in bulk mode)."""
        if type(instance).clean_fields is _tracked("clean_fields") and bulk.active():
            exclude = exclude | self.links
        errors = {}
        for f, name, attname, blank, empty, memo in self.validated:
            if name in exclude:
                continue
            raw = getattr(instance, attname)
            if blank and raw in empty:
                continue
            if isinstance(raw, models.expressions.DatabaseDefault):
                continue
            key = (type(raw), raw) if memo is not None and type(raw) in _MEMO_TYPES else None
            found: Any = memo.get(key, _MISS) if key is not None and memo is not None else _MISS
            if found is _MISS:
                try:
                    found = (f.clean(raw, instance),)
                except ValidationError as error:
                    found = error.with_traceback(None)
                if key is not None and memo is not None and len(memo) < MEMO:
                    memo[key] = found
            if isinstance(found, ValidationError):
                errors[name] = found.error_list
            else:
                setattr(instance, attname, found[0])
        if errors:
            raise ValidationError(errors)
