"""XLSX with the figures: a sheet with the report's text, then one sheet per table, numbers as
numbers so they can be summed and charted."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from borderlink.reports.document import Document, Paragraph, Table

BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(text: str, taken: set[str]) -> str:
    base = BAD.sub(" ", text).strip()[:28] or "Table"
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:26]} {n}", n + 1
    taken.add(name)
    return name


def write(doc: Document) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Report"
    taken = {"Report"}
    for line in (doc.parent_issuer, doc.issuer, doc.number, doc.place_date, doc.kind, doc.title):
        sheet.append([line])
    sheet["F1"] = doc.national_title
    sheet.column_dimensions["A"].width = 120
    for part in doc.sections:
        sheet.append([])
        sheet.append([part.heading])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for item in part.blocks:
            if isinstance(item, Paragraph):
                sheet.append([item.text])
                sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True)
            elif isinstance(item, Table):
                table = book.create_sheet(_sheet_name(item.caption or part.heading, taken))
                table.append(item.columns)
                for cell in table[1]:
                    cell.font = Font(bold=True)
                rows: list[list[object]] = item.values or list(item.rows)  # type: ignore[arg-type]
                for index, row in enumerate(rows):
                    table.append(
                        [v if isinstance(v, int | float) or v is None else str(v) for v in row]
                    )
                    for col, numeric in enumerate(item.numeric):
                        cell = table.cell(index + 2, col + 1)
                        if numeric and isinstance(cell.value, int | float):
                            cell.number_format = "#,##0.##"
                            cell.alignment = Alignment(horizontal="right")
                table.freeze_panes = "A2"
                for col, title in enumerate(item.columns):
                    letter = table.cell(1, col + 1).column_letter
                    width = max([len(str(title))] + [len(str(r[col])) for r in item.rows])
                    table.column_dimensions[letter].width = min(60, width + 2)
    if doc.sources:
        sheet.append([])
        sheet.append([doc.sources_label])
        for key, citation in doc.sources.items():
            sheet.append([f"[{key}] {citation}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
