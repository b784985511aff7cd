"""The import template: a workbook a person can fill in without the documentation beside them.

- The data sheet: the columns as the page names them (an import also takes the codes), the
  header frozen, an example row (its ID cell reads "example", so an import skips it if it is
  left in), drop-down lists of the allowed values on every choice column, a date check with the
  language's format on date columns.
- A sheet explaining each column: its name and code, required or not, the format, the allowed
  values (label and code), what it means.
- The lists behind the drop-downs sit on a hidden sheet: a list typed into the validation itself
  may hold 255 characters, fewer than an activity's eighteen kinds in Vietnamese.

The CSV template has the same header and example row (a CSV has no second sheet: the import
page links docs/import-formats.md for the rest).
"""

from __future__ import annotations

import datetime
import io
import itertools
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from borderlink.core import dates
from borderlink.registers import entry, links
from borderlink.registers.columns import ID, Column, columns, example_mark
from borderlink.registers.forms import form_class
from borderlink.registers.spec import Register
from borderlink.registers.tabular import put_text, text_width, write_csv

ROWS = 2000  # rows a drop-down and date check cover below the header
LISTS = "lists"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
EXAMPLE_FONT = Font(italic=True, color="666666")


def example_row(spec: Register, user: Any, today: datetime.date) -> dict[str, Any]:
    """A record as the user would enter one today: what a new form would start with (their
    unit, today's date, the register's defaults), the first allowed value of other choices,
    a record they may link to where a link is required."""
    initial = entry.initial_for(spec, user, QueryDict(), today)
    form = form_class(spec)()
    row: dict[str, Any] = {ID: example_mark()}
    for column in columns(spec)[1:]:
        field = column.field
        assert field is not None
        required = bool(getattr(form.fields.get(column.name), "required", False))
        value = initial.get(column.name)
        if value is None and field.has_default() and not callable(field.default):
            value = field.default
        if column.kind in ("choice", "bool"):
            if value is None or value == "":
                value = column.choices()[0][0] if column.choices() else ""
            row[column.name] = column.label_of(value)
        elif column.kind in ("link", "links"):
            if value is None and required:
                first = links.of_model(column.link_model, user).order_by("pk").first()
                value = getattr(first, column.key) if first is not None else ""
            row[column.name] = "" if value is None else str(value)
        elif column.kind == "date":
            row[column.name] = (
                value if isinstance(value, datetime.date) else (today if required else None)
            )
        elif column.kind == "number":
            row[column.name] = value if value not in (None, "") else (1 if required else None)
        elif required and column.kind == "text":
            limit = getattr(field, "max_length", None) or 200
            row[column.name] = (_("(example) %(column)s") % {"column": column.label})[:limit]
        else:
            row[column.name] = value if isinstance(value, str) else ""
    return row


def describe(column: Column) -> str:
    """The format of a column's values, in words."""
    kind = column.kind
    if kind == "id":
        return _(
            "Leave empty for a new record. An export of this register fills it with each "
            "record's ID; such rows are matched to their records, not added again."
        )
    if kind == "date":
        return _("A date: %(format)s or YYYY-MM-DD.") % {"format": dates.convention().hint}
    if kind == "datetime":
        return _("A date and time: YYYY-MM-DD HH:MM.")
    if kind == "number":
        if column.whole:
            return _("A whole number.")
        return _("A number; a point before decimals, no thousands separators in a CSV file.")
    if kind in ("choice", "bool"):
        return _("One of the allowed values: its label in any language, or its code.")
    if kind == "link":
        return _("The code of a %(record)s.") % {"record": column.link_model._meta.verbose_name}
    if kind == "links":
        return _("Codes of %(records)s, separated by “;”.") % {
            "records": column.link_model._meta.verbose_name_plural
        }
    limit = getattr(column.field, "max_length", None)
    if limit:
        return _("Text, at most %(count)s characters.") % {"count": limit}
    return _("Text.")


def allowed(column: Column) -> str:
    return "\n".join(f"{label} ({code})" for code, label in column.choices())


def write_template_csv(spec: Register, user: Any) -> bytes:
    cols = columns(spec)
    example = example_row(spec, user, timezone.localdate())
    return write_csv([c.label for c in cols], [[example.get(c.name) for c in cols]])


def write_template_xlsx(spec: Register, user: Any) -> bytes:
    cols = columns(spec)
    example = example_row(spec, user, timezone.localdate())
    date_format = dates.convention().hint
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _title(spec.label)
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    guide = book.create_sheet(_title(_("Columns")))
    lists_column = itertools.count(1)
    for index, column in enumerate(cols, start=1):
        letter = get_column_letter(index)
        head = sheet.cell(row=1, column=index)
        put_text(head, column.label)
        head.font, head.fill = HEADER_FONT, HEADER_FILL
        head.alignment = Alignment(vertical="top", wrap_text=True)
        cell = sheet.cell(row=2, column=index)
        value = example.get(column.name)
        if isinstance(value, datetime.date):
            cell.value = value
            cell.number_format = date_format
        elif isinstance(value, int | float) and not isinstance(value, bool):
            cell.value = value
        elif value not in (None, ""):
            put_text(cell, str(value))
        cell.font = EXAMPLE_FONT
        width = max(text_width(column.label), text_width(str(value or ""))) + 3
        sheet.column_dimensions[letter].width = min(max(width, 10), 50)
        cells = f"{letter}2:{letter}{ROWS + 1}"
        choices = column.choices()
        if choices:
            slot = next(lists_column)
            at = get_column_letter(slot)
            for row, (_code, label) in enumerate(choices, start=1):
                put_text(lists.cell(row=row, column=slot), label)
            rule = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(LISTS)}!${at}$1:${at}${len(choices)}",
                allow_blank=True,
                showErrorMessage=False,  # a code typed instead of the label is fine too
                promptTitle=column.label[:32],
                prompt=_("Choose from the list.")[:255],
            )
            rule.add(cells)
            sheet.add_data_validation(rule)
        elif column.kind == "date":
            rule = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="1",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.label[:32],
                error=(_("Enter the date as %(format)s.") % {"format": date_format})[:255],
                promptTitle=column.label[:32],
                prompt=date_format,
            )
            rule.add(cells)
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    _write_guide(guide, spec)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Explained:
    """One column as the template's guide sheet and the import page explain it."""

    label: str
    code: str
    required: bool
    format: str
    allowed: str
    meaning: str


def explained(spec: Register) -> list[Explained]:
    form = form_class(spec)()
    result = []
    for column in columns(spec):
        field = form.fields.get(column.name)
        meaning = ""
        if column.field is not None:
            meaning = str(column.field.help_text or column.field.verbose_name)
        result.append(
            Explained(
                label=column.label,
                code=column.name,
                required=bool(field is not None and field.required),
                format=describe(column),
                allowed=allowed(column),
                meaning=meaning,
            )
        )
    return result


def _write_guide(guide: Any, spec: Register) -> None:
    header = [_("Column"), _("Code"), _("Required"), _("Format"), _("Allowed values"), _("Meaning")]
    for index, text in enumerate(header, start=1):
        cell = guide.cell(row=1, column=index)
        put_text(cell, str(text))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    rows = explained(spec)
    for row, item in enumerate(rows, start=2):
        values = [
            item.label,
            item.code,
            _("yes") if item.required else "",
            item.format,
            item.allowed,
            item.meaning,
        ]
        for index, text in enumerate(values, start=1):
            cell = guide.cell(row=row, column=index)
            put_text(cell, str(text))
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for letter, width in zip("ABCDEF", (24, 16, 10, 40, 40, 40), strict=True):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = "A2"
    if spec.import_help:
        put_text(guide.cell(row=len(rows) + 3, column=1), str(spec.import_help))


def _title(text: str) -> str:
    cleaned = "".join(" " if ch in "\\/*?:[]" else ch for ch in str(text))
    return cleaned[:31].strip() or "data"
