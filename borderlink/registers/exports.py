"""A register's list as a file people read: in the page's language, with what was exported.

Columns are the page's column names (registers/columns.py), the record's ID first; links as
their codes with the records' names beside them; choices as their labels; yes/no as words.
XLSX cells are typed (dates as dates shown as the language writes them, numbers as numbers
grouped by the reader's own spreadsheet), the header bold and frozen, the columns sized, and a
second sheet says what was exported: the register, the filters in words, when, by whom, how many.

CSV keeps the machine notation for values (ISO dates, plain numbers with a point): a CSV carries
no types, and a spreadsheet in another language reads "1.456" or "04/12/2026" differently from
the one that wrote it; ISO and plain digits read the same everywhere and import as they are.
Its header and labels are in the page's language like the XLSX's.

For programs and scripts, `columns=codes` writes the machine form instead: field names as the
header, codes for choices, no name columns, ISO dates (the import reads both).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from borderlink.core import dates
from borderlink.registers import links, personal, query
from borderlink.registers.columns import (
    NAME,
    Column,
    code_of,
    columns,
    header_cells,
    header_text,
    name_of,
)
from borderlink.registers.spec import Register
from borderlink.registers.tabular import XLSX_TYPE, Layout, cell_value, write_book, write_csv

SEPARATOR = "; "
# `?export=csv&columns=codes`: the same file for a program: field names, codes, ISO dates.
CODES = "codes"


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export(
    spec: Register, records: models.QuerySet, fmt: str, user: Any, params: QueryDict
) -> ExportFile:
    cols = columns(spec)
    machine = params.get("columns") == CODES
    cells = [(c, "") for c in cols] if machine else header_cells(cols)
    layout = Layout(
        header=[c.name if machine else header_text(c, role) for c, role in cells],
        kinds=[_kind(c, role) for c, role in cells],
        date_format="yyyy-mm-dd" if machine else dates.convention().hint,
    )
    rows = _rows(spec, _with_links(records, cols), cells, user, machine)
    stamp = timezone.localdate().isoformat()
    filename = f"{spec.slug}-{stamp}.{fmt}"
    if fmt == "csv":
        return ExportFile(write_csv(layout.header, rows), "text/csv; charset=utf-8", filename)
    content = write_book(
        spec.label,
        layout,
        rows,
        about=lambda count: about(spec, params, user, count),
        about_title=_("About this export"),
    )
    return ExportFile(content, XLSX_TYPE, filename)


def _kind(column: Column, role: str) -> str:
    if role == NAME:
        return "name"
    if column.kind == "id" or (column.kind == "number" and column.whole):
        return "whole"
    return column.kind


def _with_links(records: models.QuerySet, cols: list[Column]) -> models.QuerySet:
    """One query per linked table, not one per row (the names beside the codes need them)."""
    single = [c.name for c in cols if c.kind == "link"]
    several = [c.name for c in cols if c.kind == "links"]
    return records.select_related(*single).prefetch_related(*several)


def _rows(
    spec: Register,
    records: models.QuerySet,
    cells: list[tuple[Column, str]],
    user: Any,
    machine: bool = False,
) -> Iterator[list[Any]]:
    seen = links.Seen(user)
    if spec.personal is None:
        objs: Any = records.iterator(chunk_size=2000)
        shown: set[Any] | None = None
    else:  # who may see which identities is asked once for the whole list, and audited
        objs = list(records)
        shown = personal.revealed(spec, user, [obj.pk for obj in objs])
        personal.audit(spec, user, sorted(shown), "export", shown)
    for obj in objs:
        revealed = shown is None or obj.pk in shown
        yield [_cell(spec, obj, column, role, seen, revealed, machine) for column, role in cells]


def _cell(
    spec: Register,
    obj: Any,
    column: Column,
    role: str,
    seen: links.Seen,
    revealed: bool,
    machine: bool,
) -> Any:
    if column.kind == "id":
        return obj.pk
    if machine:
        value = cell_value(spec, obj, column.name)
        if column.kind == "bool":
            value = "true" if value else "false"
    else:
        value = _value(obj, column, role, seen)
    return personal.mask(spec, column.name, value, revealed)


def _value(obj: Any, column: Column, role: str, seen: links.Seen) -> Any:
    if column.kind == "links":
        items = list(getattr(obj, column.name).all())
        if role == NAME:
            return SEPARATOR.join(name_of(i) if seen(i) else personal.MASK for i in items)
        return SEPARATOR.join(code_of(i) for i in items)
    value = getattr(obj, column.name)
    if column.kind == "link":
        if value is None:
            return ""
        if role == NAME:
            return name_of(value) if seen(value) else personal.MASK
        return code_of(value)
    if column.kind in ("choice", "bool"):
        return column.label_of(value)
    if value is None:
        return ""
    return value


# ---- the sheet that says what was exported --------------------------------------------------


def about(spec: Register, params: QueryDict, user: Any, count: int) -> list[tuple[str, Any]]:
    language = get_language() or settings.LANGUAGE_CODE
    return [
        (_("Register"), capfirst(spec.label)),
        (_("Filters"), filters_in_words(spec, params, user)),
        (_("Exported on"), date_format(timezone.localtime(), "DATETIME_FORMAT")),
        (_("Exported by"), _who(user)),
        (_("Records"), count),
        (_("Language"), get_language_info(language)["name_local"]),
        (
            _("Reading this file"),
            _(
                "The ID column names each record. Columns ending in “— name” name the records "
                "whose codes are beside them; an import reads the codes. Import this file again "
                "and rows that match their records are skipped as nothing to change."
            ),
        ),
    ]


def _who(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else str(user.get_username())


def filters_in_words(spec: Register, params: QueryDict, user: Any) -> str:
    """The search, filters and order of the list as a person reads them."""
    parts = []
    text = params.get("q", "").strip()
    if text:
        parts.append(_("search “%(text)s”") % {"text": text})
    for flt in query.filters_for(spec, params):
        words = _filter_words(spec, flt, user)
        if words:
            parts.append(f"{capfirst(flt.label)}: {words}")
    order = query.sort_order(spec, params)[0]
    name = order.lstrip("-")
    if name in spec.fields:
        label = capfirst(spec.model_field(name).verbose_name)
        parts.append(
            (
                _("sorted by %(column)s, newest or largest first")
                if order.startswith("-")
                else _("sorted by %(column)s")
            )
            % {"column": label}
        )
    return "; ".join(str(p) for p in parts) or _("none: every record you may see")


def _filter_words(spec: Register, flt: query.Filter, user: Any) -> str:
    if flt.kind == "date":
        start, end = dates.parse_or(flt.value), dates.parse_or(flt.value_to)
        if start and end:
            return _("from %(start)s to %(end)s") % {"start": _day(start), "end": _day(end)}
        if start:
            return _("from %(start)s") % {"start": _day(start)}
        if end:
            return _("until %(end)s") % {"end": _day(end)}
        return ""
    if not flt.value:
        return ""
    if flt.kind == "choice":
        return dict(flt.choices).get(flt.value, flt.value)
    if flt.kind == "bool":
        return str(_("yes") if flt.value in ("1", "true", "yes") else _("no"))
    if flt.kind == "link":
        column = Column(flt.name, spec.model_field(flt.name))
        # Named only if the user could see it: a code typed in a filter is no oracle for names.
        record = links.of_model(column.link_model, user).filter(**{column.key: flt.value}).first()
        return f"{flt.value} ({name_of(record)})" if record is not None else flt.value
    return flt.value


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
