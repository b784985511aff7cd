"""Reading and writing the spreadsheets staff keep: CSV (UTF-8) and XLSX, one header row.

Exports are inert: a text cell that a spreadsheet would run as a formula (it starts with =, +, -,
@, a tab or a carriage return: OWASP's CSV-injection list) is written as text — in CSV behind an
apostrophe, which the importer takes off again so an exported file imports as the same records;
in XLSX as a string cell marked "quote prefix" (Excel's own "this is text"), its value unchanged.
Numbers stay numbers, dates stay dates.

Imports are bounded before anything is parsed: an XLSX is a zip, and its declared unpacked size
(which Python's zip reader never exceeds) and packing ratio are checked first; then the rows and
columns are counted in a streaming pass and refused past the limits in settings. The rows are
read again, one at a time, on each pass over them, so memory holds one row, not the file.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO, Protocol

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from borderlink.registers.fields import SEPARATOR, linked_model, natural_key_field
from borderlink.registers.spec import Register

FORMULA_STARTS = frozenset("=+-@\t\r")
TEXT_MARK = "'"  # what Excel and LibreOffice read as "the rest is text"
# A signed plain number ("-5", "+3.25", "1e3") is not a formula: it stays as it is.
PLAIN_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
# openpyxl holds every shared string in memory while it reads: their part gets its own limit.
SHARED_STRINGS_MAX_BYTES = 64 * 1024 * 1024
# A bomb packs hundreds of times; real sheets pack tens of times. Small files are never refused.
RATIO_FREE_BYTES = 16 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableError(ValueError):
    """The file as a whole cannot be read (format, encoding, header, size)."""


def cell_value(spec: Register, obj: models.Model, name: str) -> Any:
    """A field's value as it stands in a spreadsheet: codes for links, ISO dates, raw choices,
    numbers as numbers (a Decimal stays a Decimal; a CSV writes it as its digits)."""
    field = spec.model_field(name)
    if field.many_to_many:
        key = natural_key_field(linked_model(field))
        return f"{SEPARATOR} ".join(str(getattr(o, key)) for o in getattr(obj, name).all())
    value = getattr(obj, name)
    if field.many_to_one or field.one_to_one:
        return "" if value is None else str(getattr(value, natural_key_field(type(value))))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


# ---- writing -------------------------------------------------------------------------------


def formula_safe(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows as text: an apostrophe before a formula's first
    character, and before an apostrophe that would otherwise be taken off on import."""
    if _needs_mark(text) or (text[:1] == TEXT_MARK and _unmarks(text)):
        return TEXT_MARK + text
    return text


def formula_unsafe(text: str) -> str:
    """The inverse of `formula_safe`, for values read from a CSV file."""
    return text[1:] if _unmarks(text) else text


def _needs_mark(text: str) -> bool:
    return text[:1] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(text)


def _unmarks(text: str) -> bool:
    return text[:1] == TEXT_MARK and len(text) > 1 and (text[1] in FORMULA_STARTS or text[1] == "'")


def put_text(cell: Cell, text: str) -> None:
    """An XLSX text cell: always a string (never a formula), marked as text when it looks like
    one, so a spreadsheet keeps it as text even when someone edits the cell."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)  # control characters cannot be stored
    cell.data_type = "s"
    if _needs_mark(text):
        cell.quotePrefix = True


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str):
        return formula_safe(value)
    return value


def write_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([formula_safe(h) for h in header])  # plain, as typed by hand
    # Values in quotes: where the list separator is ";" an unquoted "a;=1+2" would be two cells.
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def _xlsx_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    if value is None or isinstance(value, bool | int | float | decimal.Decimal):
        cell.value = value
    elif isinstance(value, datetime.datetime):
        put_text(cell, value.isoformat())  # Excel has no time zones: the exact text instead
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        put_text(cell, str(value))
    return cell


def write_xlsx(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "data")
    sheet.append([_xlsx_cell(sheet, h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- a workbook people read: labelled, typed, sized, with a sheet saying what it holds --------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WIDTH_SAMPLE = 200  # rows looked at to size the columns; the rest stream through
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass
class Layout:
    """How a sheet's columns are written: header text, and per column its kind ("text", "date",
    "number", "whole", "name") for the cell's type and format."""

    header: list[str]
    kinds: list[str]
    date_format: str = "yyyy-mm-dd"  # as the page's language writes a date (core/dates.py)


def text_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (Han) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(layout: Layout, sample: list[list[Any]]) -> list[float]:
    widths: list[float] = []
    for index, title in enumerate(layout.header):
        longest = text_width(title) + 2  # the header's bold and filter button
        for row in sample:
            value = row[index] if index < len(row) else None
            shown = (
                "00/00/0000"
                if isinstance(value, datetime.date)
                else f"{value:,}"
                if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)
                else str(value or "")
            )
            longest = max(longest, text_width(shown.split("\n")[0]))
        widths.append(min(max(longest + 1, MIN_WIDTH), MAX_WIDTH))
    return widths


def _typed_cell(sheet: Any, value: Any, kind: str, layout: Layout) -> WriteOnlyCell:
    # The cell made with its value (openpyxl binds a value with some work: once, not twice);
    # a style set per cell costs a look-up in the book's style list, so only where it tells.
    if value is None or value == "":
        return WriteOnlyCell(sheet)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet)
        put_text(cell, value)
        return cell
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = layout.date_format
        return cell
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value)
        # Grouped as the reader's own spreadsheet groups digits (1.456 or 1,456).
        cell.number_format = "#,##0" if kind == "whole" else "#,##0.##########"
        return cell
    return _xlsx_cell(sheet, value)


def _header_cell(sheet: Any, text: str) -> WriteOnlyCell:
    cell = _xlsx_cell(sheet, text)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    return cell


def write_book(
    title: str,
    layout: Layout,
    rows: Iterable[list[Any]],
    about: Callable[[int], list[tuple[str, Any]]] | None = None,
    about_title: str = "",
) -> bytes:
    """An XLSX of `rows` under `layout`: header bold and frozen, columns sized to their content,
    dates and numbers typed; then, given `about`, a second sheet of (label, value) lines built
    from the number of rows written (what was exported, by whom, when)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    iterator = iter(rows)
    sample = list(itertools.islice(iterator, WIDTH_SAMPLE))
    for index, width in enumerate(_widths(layout, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, h) for h in layout.header])
    count = 0
    for row in itertools.chain(sample, iterator):
        sheet.append(
            [_typed_cell(sheet, v, k, layout) for v, k in zip(row, layout.kinds, strict=True)]
        )
        count += 1
    if about is not None:
        lines = about(count)
        info = book.create_sheet(title=_sheet_title(about_title or "about"))
        info.column_dimensions["A"].width = max(text_width(str(k)) for k, _v in lines) + 2
        info.column_dimensions["B"].width = MAX_WIDTH + 20
        for label, value in lines:
            head = _xlsx_cell(info, label)
            head.font = HEADER_FONT
            cell = _typed_cell(info, value, "whole" if isinstance(value, int) else "text", layout)
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
            info.append([head, cell])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """A valid sheet name: at most 31 characters, none of Excel's forbidden ones."""
    return re.sub(r"[\\/*?:\[\]]", " ", title)[:31].strip() or "data"


# ---- reading -------------------------------------------------------------------------------


class Rows:
    """The data rows of a file: counted once, then read afresh on every pass, one at a time."""

    def __init__(self, read: Callable[[], Iterator[dict[str, str]]], count: int) -> None:
        self._read = read
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict[str, str]]:
        return self._read()


class Readable(Protocol):
    """A file opened afresh for each pass: bytes in memory, or a stored upload read in pieces
    (registers/blob.py), so that an import's memory does not grow with its file."""

    def __len__(self) -> int: ...

    def open(self) -> BinaryIO: ...


def _readable(content: bytes | Readable) -> Readable:
    if isinstance(content, bytes | bytearray | memoryview):
        return _InMemory(bytes(content))
    return content


class _InMemory:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def __len__(self) -> int:
        return len(self.content)

    def open(self) -> BinaryIO:
        return io.BytesIO(self.content)


def read_table(name: str, content: bytes | Readable) -> tuple[list[str], Rows]:
    """Header and rows of a CSV or XLSX file; every value as text, blank cells as ''."""
    content = _readable(content)
    lower = name.lower()
    lines: Callable[[], Generator[Any]]
    to_row: Callable[[list[str], Any], dict[str, str] | None]
    if lower.endswith(".xlsx"):
        _check_packing(content)
        lines, to_row = _xlsx_lines(content), _xlsx_row
    elif lower.endswith(".csv"):
        lines, to_row = _csv_lines(content), _csv_row
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    limit = settings.IMPORT_MAX_ROWS
    first = lines()
    try:  # one pass: the header, then the rows counted (and refused past the limit)
        try:
            header = _header(next(first))
        except StopIteration:
            raise TableError(_("The file is empty.")) from None
        counts = _csv_counts(header) if to_row is _csv_row else None
        count = 0
        for values in first:
            if counts(values) if counts else to_row(header, values) is not None:
                count += 1
                if count > limit:
                    raise TableError(
                        _("The file has more than %(limit)s rows; split it into smaller files.")
                        % {"limit": f"{limit:,}"}
                    )
    finally:
        first.close()

    def read() -> Iterator[dict[str, str]]:
        # A CSV line made a row by what the header lets be worked out once, not per row.
        row_of = _csv_rows(header) if to_row is _csv_row else partial(to_row, header)
        again = lines()
        try:
            next(again, None)  # the header
            for values in again:
                row = row_of(values)
                if row is not None:
                    yield row
        finally:
            again.close()

    return header, Rows(read, count)


def _header(cells: Iterable[Any]) -> list[str]:
    header = [_text(c) for c in cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise TableError(_("The file is empty."))
    limit = settings.IMPORT_MAX_COLUMNS
    if len(header) > limit:
        raise TableError(
            _("The file has more than %(limit)s columns; a register has far fewer.")
            % {"limit": limit}
        )
    return header


def _xlsx_lines(content: Readable) -> Callable[[], Generator[tuple[Any, ...]]]:
    def lines() -> Generator[tuple[Any, ...]]:
        try:
            book = load_workbook(content.open(), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise TableError(_("The file is not a readable XLSX workbook.")) from error
        try:
            # At most one column past the limit: a forged sheet size cannot widen every row.
            yield from book.worksheets[0].iter_rows(
                values_only=True, max_col=settings.IMPORT_MAX_COLUMNS + 1
            )
        except TableError:
            raise
        except Exception as error:
            raise TableError(_("The file is not a readable XLSX workbook.")) from error
        finally:
            book.close()

    return lines


def _xlsx_row(header: list[str], values: Any) -> dict[str, str] | None:
    if values is None or all(v is None or str(v).strip() == "" for v in values):
        return None
    return _row(header, [_text(v) for v in values])


def _check_packing(content: Readable) -> None:
    """Refuse, before parsing, a workbook that unpacks to more than the limits allow."""
    try:
        members = zipfile.ZipFile(content.open()).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise TableError(_("The file is not a readable XLSX workbook.")) from error
    unpacked = sum(m.file_size for m in members)
    shared = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    ratio = settings.IMPORT_MAX_PACKING_RATIO
    if (
        unpacked > settings.IMPORT_MAX_UNPACKED_BYTES
        or shared > SHARED_STRINGS_MAX_BYTES
        or (unpacked > RATIO_FREE_BYTES and unpacked > ratio * len(content))
    ):
        raise TableError(
            _(
                "The workbook unpacks to %(size)s MB, more than the %(limit)s MB an import may "
                "read. Split it into smaller files, or save it as CSV."
            )
            % {
                "size": f"{unpacked / 2**20:,.0f}",
                "limit": f"{settings.IMPORT_MAX_UNPACKED_BYTES / 2**20:,.0f}",
            }
        )


def _csv_lines(content: Readable) -> Callable[[], Generator[list[str]]]:
    def lines() -> Generator[list[str]]:
        # Decoded as it is read: the text of the whole file is never held at once.
        text = io.TextIOWrapper(content.open(), encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            yield from reader
        except UnicodeDecodeError:
            raise TableError(_("The CSV file is not UTF-8 text.")) from None
        except csv.Error as error:  # found by the fuzzer: a stray line break inside a field
            raise TableError(
                _("The CSV file is malformed near line %(line)s: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from None

    return lines


def _csv_row(header: list[str], values: Any) -> dict[str, str] | None:
    return _csv_rows(header)(values)


def _csv_rows(header: list[str]) -> Callable[[Any], dict[str, str] | None]:
    """`_csv_row` for one header: a line's cells by column name, stripped, their text marks
    taken off; None for a line with nothing under a named column."""
    width = len(header)
    # Every column named: a line at least as wide is the header's names zipped with its cells
    # (the same dict as `_row`'s: a name given twice keeps its first place and last value).
    zipped = all(header)

    def row_of(values: Any) -> dict[str, str] | None:
        texts = [v.strip() for v in values]
        if TEXT_MARK in "".join(texts):  # rarely: most files mark no cell
            texts = [formula_unsafe(t).strip() if t[:1] == TEXT_MARK else t for t in texts]
        if zipped and len(texts) >= width:  # cells past the header go
            row = dict(zip(header, texts, strict=False))
        else:
            row = _row(header, texts)
        return row if any(row.values()) else None

    return row_of


def _csv_counts(header: list[str]) -> Callable[[Any], bool]:
    """Is a line a row `_csv_row` keeps, without making it: a cell under a named column that is
    not blank (taking a text mark off never leaves a cell blank)."""
    named = list({h: i for i, h in enumerate(header) if h}.values())  # a name's last column

    def counts(values: Any) -> bool:
        width = len(values)
        return any(values[i].strip() for i in named if i < width)

    return counts


def _row(header: list[str], texts: list[str]) -> dict[str, str]:
    """A row by column name; a short row's missing cells are blank, cells past the header go."""
    return {h: texts[i] if i < len(texts) else "" for i, h in enumerate(header) if h}


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
