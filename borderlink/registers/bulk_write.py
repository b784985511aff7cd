"""The batch form of the one write path (registers/write.py), for imports: the same form, the
same gate, the same messages, without the per-row costs.

- **One form, bound to row after row** (`RowChecker`): the register's form is built once for
  the user (its link fields narrowed once), then each row is bound to it and judged by
  `write.judge`, the step a page's save goes through. Building a form per row cost more than
  checking it. The form cleans as Django's does, with what rows share worked out once
  (registers/batch_clean.py): a field's verdict on a text it has seen is remembered.
- **Look-ups per batch** (`prefetch`): the codes a batch of rows names are looked up with one
  query per linked model, and remembered for the rest of the import (core/bulk.py's memo), so
  no code is looked up twice, found or not.
- **Writes per batch** (`RowWriter`): new records go in together (`core.bulk.insert`: COPY on
  PostgreSQL, bulk_create on SQLite), their many-to-many links in one insert per link, and
  `core.bulk.created` lets the change history and the statistics rollup do for the batch what
  their save signals do for one record. A model whose save does more than that (an overridden
  save(), a save receiver without a batch form) is saved row by row, still checked in batches.

- **Checked once** (registers/checked.py): the check keeps the records its form built, and the
  commit writes them while nothing the check read has changed, else checks every row again.

Rows stream through: a batch of `BATCH` rows is held at a time, never the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, cast

from django import forms
from django.db import models

from borderlink.core import bulk
from borderlink.registers import write
from borderlink.registers.batch_clean import BatchCleaning
from borderlink.registers.fields import (
    SEPARATOR,
    CodeChoiceField,
    CodesField,
    can_hold,
)
from borderlink.registers.forms import RegisterForm
from borderlink.registers.spec import Register

BATCH = 1000


Numbered = tuple[int, dict[str, str]]  # (row number as the spreadsheet shows it, row)


def batches(numbered: Iterable[Numbered]) -> Iterator[list[Numbered]]:
    """Numbered rows in lists of BATCH: one batch in memory at a time."""
    rows = iter(numbered)
    while chunk := list(islice(rows, BATCH)):
        yield chunk


class RowChecker:
    """The register's form for `user`, bound to one row after another (in bulk mode)."""

    def __init__(self, spec: Register, user: Any, action: str = "import") -> None:
        self.spec = spec
        self.user = user
        self.action = action
        self.form: RegisterForm = write.form_for(spec, user)
        # Cleaned as Django's ModelForm cleans, with what rows share worked out once.
        self.cleaning = BatchCleaning.install(self.form)
        self.links = {
            name: field
            for name, field in self.form.fields.items()
            if isinstance(field, CodeChoiceField | CodesField)
        }
        for field in self.form.fields.values():
            if type(field) in (forms.ChoiceField, forms.TypedChoiceField):
                _choices_as_set(cast(forms.ChoiceField, field))

    def prefetch(self, rows: Iterable[dict[str, str]]) -> None:
        """Look up in one query per linked model the codes these rows name that the import has
        not met yet; the fields find them in the memo."""
        memo = bulk.lookups()
        if memo is None:
            return
        rows = list(rows)  # read once per link field
        for name, field in self.links.items():
            if field.queryset is None:
                continue
            model = field.queryset.model
            key = field.key if isinstance(field, CodesField) else field.to_field_name
            if key is None:
                continue
            texts = {row.get(name) for row in rows}  # a batch repeats its codes: each once
            wanted = {
                code
                for text in texts
                for code in _codes(text, several=isinstance(field, CodesField))
                if (model, key, code) not in memo and can_hold(model, key, code)
            }
            if not wanted:
                continue
            for obj in field.queryset.filter(**{f"{key}__in": wanted}):
                memo[(model, key, str(getattr(obj, key)))] = obj
            # A code not found here is left to the field: it looks it up its own way once
            # (a number written "012" still finds record 12) and remembers the miss.

    def check(self, row: dict[str, str]) -> write.Outcome:
        """The row judged as `write.check` judges a record; the outcome's form is this
        checker's, valid until the next row is bound."""
        form: Any = self.form  # its state is reset by hand: Django's private attributes
        form.data = row
        form.files = {}
        form.is_bound = True
        form._errors = None
        form.__dict__.pop("cleaned_data", None)
        form._validate_unique = False
        form.instance = self.spec.model() if self.cleaning is None else self.cleaning.fresh()
        return write.judge(self.spec, self.user, form, None, self.action)


def _choices_as_set(field: forms.ChoiceField) -> None:
    """The field's own choices, looked up in a set rather than walked for every row: the same
    answer as ChoiceField.valid_value (a value is valid if its text is a choice's code)."""
    choices: Any = field.choices
    codes = frozenset(
        str(code)
        for key, label in choices
        for code in ([k for k, _l in label] if isinstance(label, list | tuple) else [key])
    )
    field.valid_value = lambda value: str(value) in codes  # type: ignore[method-assign]


def _codes(text: str | None, several: bool) -> list[str]:
    if not text:
        return []
    if not several:
        return [text]
    return [c.strip() for c in text.replace(",", SEPARATOR).split(SEPARATOR) if c.strip()]


class RowWriter:
    """New records of one register, written in batches once their rows passed the check."""

    def __init__(self, spec: Register) -> None:
        self.model: type[models.Model] = spec.model
        self.many = [f for f in spec.model._meta.many_to_many if f.name in spec.fields]
        self.together = bulk.insertable(self.model) and all(
            f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
            for f in self.many
        )
        self.pending: list[tuple[models.Model, dict[str, list[Any]]]] = []  # links as pks
        self.written = 0

    def add(self, form: RegisterForm) -> None:
        """The record the form just checked: kept for the batch, or saved now."""
        if not self.together:
            form.save()
            self.written += 1
            return
        links = {f.name: [obj.pk for obj in form.cleaned_data.get(f.name) or []] for f in self.many}
        self.add_record(form.instance, links)

    def add_record(self, record: models.Model, links: dict[str, list[Any]]) -> None:
        """A record as a form built it (kept from the check, registers/checked.py), with the
        pks of what it links to by each many-to-many field: written by `flush`."""
        self.pending.append((record, links))

    def flush(self) -> None:
        if not self.pending:
            return
        records = [record for record, _links in self.pending]
        bulk.insert(self.model, records)
        for field in self.many:
            through: Any = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            bulk.insert(
                through,
                [
                    through(**{f"{source}_id": record.pk, f"{target}_id": linked})
                    for record, links in self.pending
                    for linked in dict.fromkeys(links[field.name])
                ],
            )
        bulk.created.send(sender=self.model, instances=records)
        self.written += len(records)
        self.pending = []
