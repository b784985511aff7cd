"""A register's columns in people's words, both ways: what an export and a template write in the
header and the cells, and how an import reads them back.

- A column's header is the page's column name (the field's label, in the page's language). An
  import accepts that label in any of the site's languages, and the machine code (`home_unit`),
  so a file exported in Chinese imports on a Vietnamese page, and old files keep working.
- A link is written as its code (what an import reads) with the record's name in the column
  beside it ("Đơn vị — tên"); an import reads the code and ignores the name column.
- A choice is written as its label ("Thư", "Nội bộ"); an import accepts the label in any
  language, or the code (`letter`, `1`). A yes/no field reads "yes"/"no" in the language.
- The first column is the record's ID: an import reads a row with an ID as "this record as
  exported". Unchanged, it is nothing to change (skipped, counted); changed, it is refused with
  the columns that differ, since an import adds records and never overwrites one behind the
  back of whoever edited it since; so a re-imported export never duplicates a record.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from borderlink.core.text import fold
from borderlink.registers.fields import SEPARATOR, natural_key_field
from borderlink.registers.spec import Register

ID = "id"  # the record's own column: first in an export, optional in an import
NAME = "name"  # the role of a column that names the linked record(s) beside their code(s)
TRUE_WORDS = ("true", "1", "yes", "x")
FALSE_WORDS = ("false", "0", "no")


@dataclass(frozen=True)
class Column:
    """One field of a register as a spreadsheet column (or the record's ID when `field` is None)."""

    name: str
    field: models.Field | None = field(default=None, compare=False)

    @cached_property  # asked for every cell of an export
    def kind(self) -> str:
        f = self.field
        if f is None:
            return "id"
        if f.many_to_many:
            return "links"
        if f.many_to_one or f.one_to_one:
            return "link"
        if f.choices:
            return "choice"
        if isinstance(f, models.BooleanField):
            return "bool"
        if isinstance(f, models.DateTimeField):
            return "datetime"
        if isinstance(f, models.DateField):
            return "date"
        if isinstance(f, models.DecimalField | models.IntegerField | models.FloatField):
            return "number"
        return "text"

    @property
    def whole(self) -> bool:
        return isinstance(self.field, models.IntegerField)

    @property
    def linked(self) -> bool:
        return self.kind in ("link", "links")

    @property
    def label(self) -> str:
        """The page's column name, in the active language."""
        if self.field is None:
            return _("ID")
        return str(capfirst(self.field.verbose_name))

    @property
    def name_label(self) -> str:
        """The header of the column beside a link's codes that names the linked records."""
        return _("%(column)s — name") % {"column": self.label}

    def choices(self) -> list[tuple[str, str]]:
        """(code, label in the active language) of a choice field; yes/no for a boolean."""
        if self.kind == "bool":
            return [("true", _("yes")), ("false", _("no"))]
        if self.field is None or not self.field.choices:
            return []
        return list(_labelled(self.field, get_language() or "").items())

    def label_of(self, value: Any) -> str:
        """A stored choice (or boolean) as its label; an unknown value as it is."""
        if self.kind == "bool" and value not in (None, ""):
            truth = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
            return _("yes") if truth else _("no")
        if self.field is None or not self.field.choices:
            return "" if value is None else str(value)
        text = "" if value is None else str(value)
        return _labelled(self.field, get_language() or "").get(text, text)

    @property
    def link_model(self) -> type[models.Model]:
        assert self.field is not None and isinstance(self.field.related_model, type)
        return self.field.related_model

    @property
    def key(self) -> str:
        """The field a linked record is named by in a file (`code`, or its number)."""
        return natural_key_field(self.link_model)


@cache
def _labelled(field: models.Field, language: str) -> dict[str, str]:
    """code → label of a choice field in `language` (the active one): asked for every cell of
    an export, translated once."""
    return {str(code): str(label) for code, label in field.flatchoices}


def columns(spec: Register) -> list[Column]:
    """The columns of an export: the record's ID, then the register's fields in order."""
    return [Column(ID), *fields_of(spec)]


def fields_of(spec: Register) -> list[Column]:
    return [Column(name, spec.model_field(name)) for name in spec.fields]


def header_cells(cols: Iterable[Column]) -> list[tuple[Column, str]]:
    """(column, role) of every header cell: a link's code column is followed by its names."""
    cells = []
    for column in cols:
        cells.append((column, ""))
        if column.linked:
            cells.append((column, NAME))
    return cells


def header_text(column: Column, role: str) -> str:
    return column.name_label if role == NAME else column.label


def name_of(record: models.Model) -> str:
    """A linked record's name in the active language (a unit's own name where it has none)."""
    display = getattr(record, "display_name", None)
    if callable(display):
        return str(display(get_language() or settings.LANGUAGE_CODE)[0])
    return str(record)


def code_of(record: models.Model) -> str:
    return str(getattr(record, natural_key_field(type(record))))


# ---- reading a header -----------------------------------------------------------------------


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@cache
def _headers(spec: Register) -> dict[str, tuple[str, str]]:
    """Every header an import accepts for `spec` → (field name or ID, role): machine codes, and
    labels in each of the site's languages, compared without case (exact spelling first)."""
    known: dict[str, tuple[str, str]] = {}
    cols = columns(spec)
    for column in cols:
        known[_key(column.name)] = (column.name, "")
    for language in _languages():
        with override(language):
            for column, role in header_cells(cols):
                known.setdefault(_key(header_text(column, role)), (column.name, role))
    # Folded (no diacritics) as a fallback for a header retyped without them, where unambiguous.
    folded: dict[str, set[tuple[str, str]]] = {}
    for text, target in list(known.items()):
        folded.setdefault("~" + fold(text), set()).add(target)
    for text, targets in folded.items():
        if len(targets) == 1:
            known.setdefault(text, next(iter(targets)))
    return known


def read_header(spec: Register, text: str) -> tuple[str, str] | None:
    """(field name or ID, role) a header cell names; None if it names no column."""
    known = _headers(spec)
    return known.get(_key(text)) or known.get("~" + fold(text))


def header_errors(spec: Register, header: list[str]) -> list[dict[str, Any]]:
    """Row-1 errors of an import's header, in the page's language, naming the columns by the
    labels the user sees (with their codes)."""
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], str] = {}
    for text in header:
        if not text:
            continue
        target = read_header(spec, text)
        if target is None:
            errors.append(
                {
                    "row": 1,
                    "field": text,
                    "message": _(
                        "“%(column)s” is not a column of this register. Columns: %(columns)s."
                    )
                    % {"column": text, "columns": _column_list(fields_of(spec))},
                }
            )
        elif target in seen:
            errors.append(
                {
                    "row": 1,
                    "field": text,
                    "message": _("“%(column)s” and “%(other)s” are the same column.")
                    % {"column": text, "other": seen[target]},
                }
            )
        else:
            seen[target] = text
    present = {name for name, role in seen if not role}
    from borderlink.registers.forms import form_class

    form = form_class(spec)()
    for column in fields_of(spec):
        bound = form.fields.get(column.name)
        if bound is not None and bound.required and column.name not in present:
            errors.append(
                {
                    "row": 1,
                    "field": column.name,
                    "message": _("The required column “%(column)s” is missing.")
                    % {"column": f"{column.label} ({column.name})"},
                }
            )
    return errors


def _column_list(cols: Iterable[Column]) -> str:
    return ", ".join(f"{c.label} ({c.name})" for c in cols)


# ---- reading the cells ----------------------------------------------------------------------


@cache
def _choice_words(spec: Register, name: str) -> dict[str, str]:
    """Every way a choice may be written in a file → its code: the code, the label in each of
    the site's languages, and their folded forms where unambiguous."""
    column = Column(name, spec.model_field(name))
    words: dict[str, str] = {}
    for code, _label in column.choices():
        words[_key(code)] = code
    if column.kind == "bool":
        for word in TRUE_WORDS:
            words[_key(word)] = "true"
        for word in FALSE_WORDS:
            words[_key(word)] = "false"
    for language in _languages():
        with override(language):
            for code, label in column.choices():
                words.setdefault(_key(label), code)
    folded: dict[str, set[str]] = {}
    for word, code in list(words.items()):
        folded.setdefault("~" + fold(word), set()).add(code)
    for word, codes in folded.items():
        if len(codes) == 1:
            words.setdefault(word, next(iter(codes)))
    return words


def choice_code(spec: Register, name: str, text: str) -> str:
    """The code a choice cell means (its code, or its label in any language); unknown text is
    returned as it is, for the form to refuse with the list of allowed values."""
    if not text:
        return text
    words = _choice_words(spec, name)
    for key in (_key(text), "~" + fold(text)):
        if key in words:  # a choice's code may be "" ("none reported"): found all the same
            return words[key]
    return text


def machine_row(spec: Register, header: list[str], row: dict[str, str]) -> dict[str, str]:
    """A file's row (keyed by its header cells) as the register's form reads it: keyed by field
    name, choices as codes, name columns left out (they only name what the codes say)."""
    return _machine(spec, _plan(spec, header), row, {})


def _plan(spec: Register, header: list[str]) -> list[tuple[str, str, bool]]:
    """What `machine_row` does with each header cell, read once per file: (cell, field name,
    whether its values are choices to read as codes)."""
    plan = []
    for text in header:
        if not text:
            continue
        target = read_header(spec, text)
        if target is None or target[1] == NAME:
            continue
        name = target[0]
        choice = name != ID and bool(spec.model_field(name).choices or _is_bool(spec, name))
        plan.append((text, name, choice))
    return plan


# Choice cells read once per file and value, up to this many different values.
CODES_KEPT = 10_000


def _machine(
    spec: Register,
    plan: list[tuple[str, str, bool]],
    row: dict[str, str],
    codes: dict[tuple[str, str], str],
) -> dict[str, str]:
    result: dict[str, str] = {}
    for text, name, choice in plan:
        value = row.get(text, "")
        if choice:
            code = codes.get((name, value))
            if code is None:
                code = choice_code(spec, name, value)
                if len(codes) < CODES_KEPT:
                    codes[(name, value)] = code
            value = code
        result[name] = value
    return result


def _is_bool(spec: Register, name: str) -> bool:
    return isinstance(spec.model_field(name), models.BooleanField)


class MachineRows:
    """The rows of a file in machine form (see `machine_row`), read afresh on every pass."""

    def __init__(self, spec: Register, header: list[str], rows: Any) -> None:
        self.spec, self.header, self._rows = spec, header, rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, str]]:
        plan = _plan(self.spec, self.header)  # the header read once, not per row
        codes: dict[tuple[str, str], str] = {}
        for row in self._rows:
            yield _machine(self.spec, plan, row, codes)


def machine_header(spec: Register, header: list[str]) -> list[str]:
    """The field names a header's cells name (name columns and unknown cells left out)."""
    names = []
    for text in header:
        target = read_header(spec, text) if text else None
        if target is not None and target[1] != NAME:
            names.append(target[0])
    return names


def example_mark() -> str:
    """What the template's example row has in its ID cell; an import skips that row."""
    return _("example")


@cache
def _example_marks() -> frozenset[str]:
    marks = {"example"}
    for language in _languages():
        with override(language):
            marks.add(_key(example_mark()))
    return frozenset(marks)


def is_example(row: dict[str, str]) -> bool:
    """The template's example row (its ID cell says "example" in one of the languages)."""
    return _key(row.get(ID, "")) in _example_marks()


def split_codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(",", SEPARATOR).split(SEPARATOR) if c.strip()]
