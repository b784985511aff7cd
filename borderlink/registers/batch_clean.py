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
- each row's record starts as a copy of the values `model()` gives a new one (where that is all
  `model()` does), and the form's values go into it as Django's descriptors would put them,
  without passing through them: a plain field straight into the record, a link by the steps of
  Django's many-to-one descriptor;
- the record's unique checks are skipped where a new record cannot fail them (no unique field
  but its id), its constraints where the model has none to check (in bulk mode TrackedModel
  leaves the check constraints to the database).

Whatever a register adds — the form's `clean()` and `clean_<field>()`, the model's `clean()` —
runs for every row as it is. A form or model that changes a step this module repeats (its own
`full_clean`, `_post_clean`, `clean_fields`…) is cleaned by Django's own code instead.
tests/registers/test_batch_clean.py holds the two to the same answer on any input, for every
register.
"""

from __future__ import annotations

import datetime
import inspect
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import (
    ForeignKeyDeferredAttribute,
    ForwardManyToOneDescriptor,
)
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.forms.models import BaseModelForm

from borderlink.core import bulk
from borderlink.core import models as core_models
from borderlink.registers.fields import CodeChoiceField, CodesField

MEMO = 4096  # verdicts kept per field
_MISS = object()

# Model field values remembered by exact type: equal values of other types (1 and True, dates
# and datetimes, Decimal("1.0") and Decimal("1.00")) must not share an answer.
_MEMO_KINDS = frozenset((str, int, bool, datetime.date, type(None)))
_SKIP = object()  # a model field's value Model.clean_fields leaves unvalidated


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


# How construct_instance sets a field on the record (`BatchCleaning._construct`).
_SAVE_FORM_DATA, _IN_DICT, _LINK = 0, 1, 2


def _setting(model: type[models.Model], field: models.Field) -> int:
    """How a field's value can be set on a record of `model` with the same effect as Django's
    `field.save_form_data(record, value)`: straight into the record's __dict__ where setattr
    would do only that (a plain field behind Django's own DeferredAttribute), the link's own
    steps where its descriptor is Django's many-to-one (`_set_link`), else through Django."""
    if type(field).save_form_data is not models.Field.save_form_data:
        return _SAVE_FORM_DATA
    if model.__setattr__ is not object.__setattr__:
        return _SAVE_FORM_DATA
    found = type(inspect.getattr_static(model, field.name, None))
    if found is DeferredAttribute and field.attname == field.name:
        return _IN_DICT
    if (
        found is ForwardManyToOneDescriptor
        and type(inspect.getattr_static(model, field.attname, None)) is ForeignKeyDeferredAttribute
        and getattr(field.remote_field, "multiple", False)
        and len(field.related_fields) == 1  # type: ignore[attr-defined]
    ):
        return _LINK
    return _SAVE_FORM_DATA


class _Link:
    """What setting a many-to-one link reads of its field, looked up once."""

    def __init__(self, field: Any) -> None:
        self.field = field
        self.attname = field.attname
        self.cache_name = field.cache_name
        self.model = field.remote_field.model._meta.concrete_model
        self.target = field.related_fields[0][1].attname


def _set_link(instance: models.Model, link: _Link, value: Any) -> bool:
    """ForwardManyToOneDescriptor.__set__ for a many-to-one link, step for step, in the common
    cases: None on a record that has no cached object for the link, or a record of the linked
    model read from a database. False, having done nothing, in any other case (Django's own
    code then sets it, or raises its own error)."""
    state = instance._state
    cache = state.fields_cache
    if value is None:
        if link.cache_name in cache:
            return False
        instance.__dict__[link.attname] = None
        cache[link.cache_name] = None
        return True
    linked = getattr(value, "_state", None)
    if not isinstance(value, link.model) or linked is None or linked.db is None:
        return False
    if state.db is None:
        state.db = router.db_for_write(type(instance), instance=value)
    if not router.allow_relation(value, instance):
        return False
    instance.__dict__[link.attname] = getattr(value, link.target)
    cache[link.cache_name] = value
    return True


class BatchCleaning:
    """Installed on one form (`install`), which is then bound to row after row; answers as
    Django's cleaning of that form would."""

    def __init__(self, form: forms.ModelForm) -> None:
        self.form: Any = form  # its private steps are replaced: typed loosely
        meta = form._meta
        model: type[models.Model] = meta.model
        self.model = model
        # Each form field: its name, the field, how its text is read from the row (None: the
        # row's own value, as Django's Widget.value_from_datadict reads it), its remembered
        # verdicts (or None), its clean_<name> hook.
        self.fields: list[tuple[str, forms.Field, Any, dict | None, Any]] = [
            (
                name,
                field,
                None if _reads_plainly(field.widget) else field.widget.value_from_datadict,
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
        # What construct_instance sets, in its order (file fields last), and how: a field with
        # a default is left at it when the row leaves its column out and the form found it empty.
        taken = [
            f
            for f in model._meta.fields
            if f.editable
            and not isinstance(f, models.AutoField)
            and (meta.fields is None or f.name in meta.fields)
            and not (meta.exclude and f.name in meta.exclude)
        ]
        self.taken: list[tuple[Any, str, int, Any, Any]] = [
            (f, f.name, setting, _Link(f) if setting == _LINK else None, self._omitted(f))
            for f in [f for f in taken if not isinstance(f, models.FileField)]
            + [f for f in taken if isinstance(f, models.FileField)]
            for setting in [_setting(model, f)]
        ]
        # Model.clean_fields' fields, each with its remembered verdicts (or None); those the
        # form always leaves out are never validated (the exclusions always hold them).
        self.validated: list[tuple[Any, str, str, bool, Any, dict | None]] = [
            (f, f.name, f.attname, f.blank, f.empty_values, {} if _pure_model_field(f) else None)
            for f in model._meta.fields
            if not f.generated and f.name not in self.always_excluded
        ]
        self.links = frozenset(f.name for f in model._meta.concrete_fields if f.is_relation)
        # TrackedModel's clean_fields leaves the links out in bulk mode: so does its list here.
        self.validated_in_bulk = [v for v in self.validated if v[1] not in self.links]
        probe: Any = model()
        unique_checks, date_checks = probe._get_unique_checks()
        pk = model._meta.pk
        # A new record whose id the database draws cannot fail a unique check on its id alone.
        self.unique_may_fail = (
            bool(date_checks)
            or not isinstance(pk, models.AutoField)
            or any(tuple(names) != (pk.name,) for _model, names in unique_checks)
        )
        self.own_clean = model.clean is not models.Model.clean
        self.no_constraints: dict[bool, bool] = {}  # by bulk mode: nothing to validate
        self.prototype = self._prototype(model, probe)

    def _omitted(self, f: models.Field) -> tuple[bool, Any, Any] | None:
        """For a field with a default, how to tell that the row leaves it out and the form found
        it empty (construct_instance then keeps the default): (plain, empty values, the widget's
        test), plain where the widget asks only whether the row has the column (Django's
        Widget); None for a field without a default."""
        if not f.has_default():
            return None
        field = self.form.fields[f.name]
        plain = type(field.widget).value_omitted_from_data is forms.Widget.value_omitted_from_data
        return plain, field.empty_values, field.widget.value_omitted_from_data

    @staticmethod
    def _prototype(model: type[models.Model], probe: Any) -> dict[str, Any] | None:
        """A new record's values as `model()` sets them, to start each row's record from; None
        where `model()` may do more or give each record its own (its own __init__, receivers
        of its init signals, a default that is called)."""
        if (
            model.__init__ is not models.Model.__init__
            or pre_init.has_listeners(model)
            or post_init.has_listeners(model)
            or any(
                (f.has_default() and callable(f.default)) or f.has_db_default()
                for f in model._meta.concrete_fields
            )
        ):
            return None
        values = dict(probe.__dict__)
        del values["_state"]
        return values

    def fresh(self) -> models.Model:
        """A new record, as `model()` makes it: its defaults copied rather than set one by one
        through the fields' descriptors."""
        if self.prototype is None:
            return self.model()
        record = self.model.__new__(self.model)
        record.__dict__.update(self.prototype)
        record._state = ModelState()
        return record

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
                    raw = data.get(name) if read is None else read(data, files, name)
                    found = memo.get(raw, _MISS) if raw is None or type(raw) is str else _MISS
                    if found is _MISS:
                        found = self._judge(field, raw, memo)
                    if type(found) is not tuple:  # a ValidationError
                        form.add_error(name, found)
                        continue
                    value = found[0]
                    if type(value) is list:  # a list is the row's own
                        value = list(value)
                cleaned[name] = value
                if hook is not None:
                    cleaned[name] = hook()
            except ValidationError as error:
                form.add_error(name, error)

    @staticmethod
    def _judge(field: forms.Field, raw: Any, memo: dict) -> Any:
        """The field's verdict on `raw`: its cleaned value in a 1-tuple, or the ValidationError
        it raises; remembered for a text."""
        found: Any
        try:
            found = (field.clean(raw),)
        except ValidationError as error:
            # Kept without the frames it was raised in: it is added, never raised again.
            found = error.with_traceback(None)
        if (raw is None or type(raw) is str) and len(memo) < MEMO:
            memo[raw] = found
        return found

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
        cleaned, data = form.cleaned_data, form.data
        values = instance.__dict__
        for f, name, setting, link, omitted in self.taken:
            if name not in cleaned:
                continue
            value = cleaned[name]
            if omitted is not None:
                plain, empty, left_out = omitted
                if (name not in data if plain else left_out(data, form.files, name)) and (
                    value in empty
                ):
                    continue
            if setting == _IN_DICT:
                values[name] = value
            elif link is None or not _set_link(instance, link, value):
                f.save_form_data(instance, value)

    def _model_full_clean(self, instance: models.Model, exclude: set[str]) -> None:
        """Model.full_clean(exclude, validate_unique=False)."""
        errors: dict[str, Any] = {}
        try:
            self._model_clean_fields(instance, exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.own_clean:
            try:
                instance.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        for name in errors:
            if name != NON_FIELD_ERRORS and name not in exclude:
                exclude.add(name)
        if not self._no_constraints(instance):
            try:
                instance.validate_constraints(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _no_constraints(self, instance: models.Model) -> bool:
        """Would Model.validate_constraints find no constraint to validate? (TrackedModel's
        leaves the check constraints to the database in bulk mode.) Asked once per mode."""
        kind = type(instance)
        if kind.validate_constraints is not models.Model.validate_constraints or (
            kind.get_constraints not in (models.Model.get_constraints, _tracked("get_constraints"))
        ):
            return False
        mode = bulk.active()
        if mode not in self.no_constraints:
            self.no_constraints[mode] = not any(found for _m, found in instance.get_constraints())
        return self.no_constraints[mode]

    def _model_clean_fields(self, instance: models.Model, exclude: set[str]) -> None:
        """Model.clean_fields (TrackedModel's leaves the links out in bulk mode)."""
        validated = self.validated
        if type(instance).clean_fields is _tracked("clean_fields") and bulk.active():
            if type(instance) is self.model:
                validated = self.validated_in_bulk
            else:
                exclude = exclude | self.links
        errors = {}
        for f, name, attname, blank, empty, memo in validated:
            if name in exclude:
                continue
            raw = getattr(instance, attname)
            kind = type(raw)
            if memo is not None and kind in _MEMO_KINDS:
                key = (kind, raw)
                found = memo.get(key, _MISS)
                if found is _MISS:
                    found = _model_verdict(f, blank, empty, raw, instance)
                    if len(memo) < MEMO:
                        memo[key] = found
            else:
                found = _model_verdict(f, blank, empty, raw, instance)
            if found is _SKIP:
                continue
            if type(found) is not tuple:
                errors[name] = found.error_list
            elif found[0] is not raw:  # setting the same value again changes nothing
                setattr(instance, attname, found[0])
        if errors:
            raise ValidationError(errors)


def _model_verdict(f: Any, blank: bool, empty: Any, raw: Any, instance: models.Model) -> Any:
    """What Model.clean_fields makes of one field's value: _SKIP (an empty value of a blank
    field, a database default), the cleaned value in a 1-tuple, or the ValidationError."""
    if blank and raw in empty:
        return _SKIP
    if isinstance(raw, models.expressions.DatabaseDefault):
        return _SKIP
    try:
        return (f.clean(raw, instance),)
    except ValidationError as error:
        return error.with_traceback(None)


def _reads_plainly(widget: forms.Widget) -> bool:
    """Does the widget read its value as `data.get(name)` (Django's Widget and one-choice
    selects)?"""
    read = type(widget).value_from_datadict
    if read is forms.Widget.value_from_datadict:
        return True
    return (
        read is forms.widgets.ChoiceWidget.value_from_datadict
        and not widget.allow_multiple_selected  # type: ignore[attr-defined]
    )
