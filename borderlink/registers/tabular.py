"""Reading and writing the spreadsheets staff keep: CSV (UTF-8) and XLSX, one header row."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from borderlink.registers.fields import SEPARATOR, natural_key_field
from borderlink.registers.spec import Register


class TableError(ValueError):
    """The file as a whole cannot be read (format, encoding, header)."""


def cell_value(spec: Register, obj: models.Model, name: str) -> Any:
    """A field's value as it stands in a spreadsheet: codes for links, ISO dates, raw choices."""
    field = spec.model_field(name)
    if field.many_to_many:
        key = natural_key_field(field.related_model)  # type: ignore[arg-type]
        return f"{SEPARATOR} ".join(str(getattr(o, key)) for o in getattr(obj, name).all())
    value = getattr(obj, name)
    if field.many_to_one or field.one_to_one:
        return "" if value is None else str(getattr(value, natural_key_field(type(value))))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None:
        return ""
    return value


def write_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def write_xlsx(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "data")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_table(name: str, content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV or XLSX file; every value as text, blank cells as ''."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise TableError(_("The file is not a readable XLSX workbook.")) from error
        rows_iter = book.worksheets[0].iter_rows(values_only=True)
        try:
            header = [str(c).strip() if c is not None else "" for c in next(rows_iter)]
        except StopIteration:
            raise TableError(_("The file is empty.")) from None
        rows = []
        for values in rows_iter:
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            rows.append({h: _text(v) for h, v in zip(header, values, strict=False) if h})
        return header, rows
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TableError(_("The CSV file is not UTF-8 text.")) from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            header = [h.strip() for h in (reader.fieldnames or [])]
            if not header:
                raise TableError(_("The file is empty."))
            reader.fieldnames = header
            rows = [
                {k: (v or "").strip() for k, v in row.items() if k}
                for row in reader
                if any((v or "").strip() for v in row.values() if isinstance(v, str))
            ]
        except csv.Error as error:  # found by the fuzzer: a stray line break inside a field
            raise TableError(
                _("The CSV file is malformed near line %(line)s: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from None
        return header, rows
    raise TableError(_("Upload a .csv or .xlsx file."))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
