"""XLSX for people who work with the figures: the report's text on a first sheet, then one sheet
per table with the numbers as numbers and the dates as dates, so they can be summed, filtered and
charted without retyping.

The printed cells of a `Table` are already formatted for the report's language ("1.456" in
Vietnamese), which a spreadsheet would read as text or as 1.456; the writer therefore takes the
raw `values`, and only when a table has none does it read numbers back from the printed cells
with the language's separators. Excel shows a number format's separators in the reader's own
locale, so one format ("#,##0") serves every language.

Every string comes from the `Document`; the only words of the writer's own are the name of the
first sheet, "Report", and the numbered names it falls back on for untitled table sheets.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from borderlink.registers.tabular import put_text
from borderlink.reports.document import Chart, Document, Paragraph, Table

LANGUAGE = {"vi": "vi-VN", "en": "en-GB", "zh": "zh-CN"}
REPORT_SHEET = "Report"
SHEET_NAME_MAX = 31
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
TEXT_WIDTH = 110  # characters: the text column of the report sheet
MAX_DECIMALS = 3
# Printed numbers, per language: thousands separator, decimal separator.
SEPARATORS = {"vi": (".", ","), "en": (",", "."), "zh": (",", ".")}
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
HEADER_BORDER = Border(bottom=Side(style="thin"))
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRED = Alignment(horizontal="center", wrap_text=True, vertical="top")


def sheet_name(text: str, taken: set[str], fallback: str) -> str:
    """A valid sheet name for `text`: no []:*?/\\, no edge apostrophes, at most 31 characters,
    unique ignoring case (as Excel compares them). `taken` holds the lower-cased names in use."""
    base = " ".join(BAD_SHEET_CHARS.sub(" ", text).split()).strip("'").strip()
    base = base[:SHEET_NAME_MAX].strip() or fallback
    name, n = base, 2
    while name.lower() in taken or name.lower() == "history":  # "History" is reserved
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix, n + 1
    taken.add(name.lower())
    return name


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", text))


def _put(cell: Cell, value: object) -> None:
    """Store `value` as its own kind: text stays text even when it starts with "=" (no formula;
    registers/tabular.put_text, shared by every XLSX the application writes)."""
    if isinstance(value, str):
        put_text(cell, _clean(value))
    elif isinstance(value, float) and not math.isfinite(value):
        cell.value = None
    elif isinstance(value, datetime.datetime):
        if value.tzinfo is not None:  # Excel has no time zones: keep the UTC wall time
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif value is None or isinstance(value, int | float | Decimal):
        cell.value = value
    else:
        put_text(cell, _clean(str(value)))


def parse_number(text: str, lang: str) -> int | Decimal | None:
    """A number printed in the report's language ("1.456", "1,5" in vi; "1,456.5" in en/zh)."""
    thousands, point = SEPARATORS.get(lang, SEPARATORS["en"])
    raw = text.strip().replace("\u00a0", "").replace(" ", "").replace("−", "-")
    t, p = re.escape(thousands), re.escape(point)
    if not re.fullmatch(rf"[-+]?(\d{{1,3}}({t}\d{{3}})+|\d+)({p}\d+)?", raw):
        return None
    plain = raw.replace(thousands, "").replace(point, ".")
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return None
    return int(number) if point not in raw else number


def _decimals(value: object) -> int:
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        return min(MAX_DECIMALS, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        return min(MAX_DECIMALS, len(repr(value).split(".")[-1].split("e")[0]))
    return 0


def _display_width(text: str) -> int:
    """Width in character cells: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cells(item: Table, lang: str) -> list[list[object]]:
    """The table's cells as raw values: `values` if given, else numbers read from `rows`."""
    columns = len(item.columns)
    if item.values and len(item.values) == len(item.rows):
        rows = [list(row) for row in item.values]
    else:
        rows = []
        for printed in item.rows:
            row: list[object] = []
            for index, text in enumerate(printed):
                is_number = index < len(item.numeric) and item.numeric[index]
                number = parse_number(text, lang) if is_number else None
                row.append(text if number is None else number)
            rows.append(row)
    return [[*row[:columns], *[None] * (columns - len(row))] for row in rows]


def _table_sheet(sheet: Worksheet, item: Table, lang: str) -> None:
    columns = len(item.columns)
    numeric = [*item.numeric[:columns], *[False] * (columns - len(item.numeric))]
    for col, title in enumerate(item.columns, start=1):
        cell = sheet.cell(1, col)
        _put(cell, title)
        cell.font = Font(bold=True)
        cell.fill, cell.border = HEADER_FILL, HEADER_BORDER
        right = numeric[col - 1]
        cell.alignment = Alignment(
            horizontal="right" if right else "left", vertical="top", wrap_text=True
        )
    rows = _cells(item, lang)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            _put(sheet.cell(r, col), value)
    for col in range(1, columns + 1):
        letter = get_column_letter(col)
        column = [row[col - 1] for row in rows]
        if numeric[col - 1]:
            places = max((_decimals(v) for v in column), default=0)
            number_format = "#,##0" + ("." + "0" * places if places else "")
            for r, value in enumerate(column, start=2):
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    sheet.cell(r, col).number_format = number_format
                sheet.cell(r, col).alignment = Alignment(horizontal="right")
        printed = [row[col - 1] for row in item.rows if col - 1 < len(row)]
        shown = [*printed, *(str(v) for v in column if isinstance(v, str))]
        widest = max([_display_width(item.columns[col - 1]), *map(_display_width, shown)])
        sheet.column_dimensions[letter].width = max(8, min(60, widest + 3))
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet)


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


class _ReportSheet:
    """The first sheet: the report's text, one paragraph per row, in one wide wrapped column."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 0
        sheet.column_dimensions["A"].width = TEXT_WIDTH
        _print_setup(sheet)

    def line(
        self, text: str, bold: bool = False, italic: bool = False, centred: bool = False
    ) -> Cell:
        self.row += 1
        cell = self.sheet.cell(self.row, 1)
        _put(cell, text)
        cell.font = Font(bold=bold, italic=italic)
        cell.alignment = CENTRED if centred else WRAP
        return cell

    def gap(self) -> None:
        self.row += 1


def write(doc: Document) -> bytes:
    """The report as an .xlsx workbook (bytes)."""
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook always has one sheet
    first.title = REPORT_SHEET
    report = _ReportSheet(first)
    taken = {REPORT_SHEET.lower()}
    book.properties.title = _clean(doc.title)
    book.properties.subject = _clean(doc.kind)
    book.properties.creator = book.properties.lastModifiedBy = _clean(doc.issuer)
    book.properties.language = LANGUAGE.get(doc.lang, doc.lang)

    for text, bold, italic in (
        (doc.parent_issuer.upper(), False, False),
        (doc.issuer.upper(), True, False),
        (doc.number, False, False),
        (doc.national_title.upper(), True, False),
        (doc.motto, True, False),
        (doc.place_date, False, True),
    ):
        if text:
            report.line(text, bold=bold, italic=italic, centred=True)
    report.gap()
    for text in (doc.kind.upper(), doc.title):
        if text:
            report.line(text, bold=True, centred=True)

    tables = 0
    for part in doc.sections:
        report.gap()
        if part.heading:
            report.line(part.heading, bold=True)
        for item in part.blocks:
            if isinstance(item, Paragraph):
                # The numbers of the list of sources at the end ("[1]", "[1, 2]").
                marks = f" [{', '.join(item.sources)}]" if item.sources else ""
                report.line(item.text + marks)
            elif isinstance(item, Table) and item.columns:
                tables += 1
                name = sheet_name(item.caption or part.heading, taken, str(tables + 1))
                _table_sheet(book.create_sheet(name), item, doc.lang)
                link = report.line(item.caption or part.heading or name, italic=True)
                link.hyperlink = f"#'{name}'!A1"
                link.style = "Hyperlink"
                link.alignment = WRAP
            elif isinstance(item, Chart):
                report.line(item.alt or item.title, italic=True)

    if doc.recipients_label or doc.recipients or doc.signer_title or doc.signer_name:
        report.gap()
        if doc.recipients_label:
            report.line(doc.recipients_label, bold=True, italic=True)
        for recipient in doc.recipients:
            report.line(f"- {recipient}")
        for text in (doc.signer_title.upper(), doc.signer_name):
            if text:
                report.line(text, bold=True, centred=True)
    if doc.sources:
        report.gap()
        if doc.sources_label:
            report.line(doc.sources_label, bold=True)
        for key, citation in doc.sources.items():
            report.line(f"[{key}] {citation}")

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
