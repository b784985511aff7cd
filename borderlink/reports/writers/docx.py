"""DOCX in the layout of Decree 30/2020/NĐ-CP (Vietnamese administrative documents): A4, margins
top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 pt body; the title block of the
issuing body (left) and the national title and motto (right); number and symbol; place and date;
the recipients (left) and the signer (right) at the end."""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from borderlink.reports.document import Chart, Document, Paragraph, Table

FONT = "Times New Roman"
EAST_ASIAN = {"zh": "SimSun"}


def _set_east_asian(run_or_style: object, lang: str) -> None:
    element = run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN.get(lang, FONT))


def _line_under(paragraph: DocxParagraph) -> None:
    """A short rule under a title-block line, as the decree's model shows."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def _cell_line(
    cell: _Cell,
    text: str,
    size: float,
    bold: bool = False,
    italic: bool = False,
    first: bool = False,
) -> DocxParagraph:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _no_borders(table: object) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    pr = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    pr.append(borders)


def write(doc: Document) -> bytes:
    out = new_document()
    section = out.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = out.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    _set_east_asian(normal, doc.lang)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent, fmt.space_after, fmt.line_spacing = Cm(1), Pt(6), 1.15
    out.core_properties.title = doc.title
    out.core_properties.language = {"vi": "vi-VN", "en": "en-GB", "zh": "zh-CN"}[doc.lang]

    block = out.add_table(rows=1, cols=2)
    _no_borders(block)
    left, right = block.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    _cell_line(left, doc.parent_issuer.upper(), 13, first=True)
    _line_under(_cell_line(left, doc.issuer.upper(), 13, bold=True))
    _cell_line(left, doc.number, 13)
    _cell_line(right, doc.national_title.upper(), 13, bold=True, first=True)
    _line_under(_cell_line(right, doc.motto, 14, bold=True))
    _cell_line(right, doc.place_date, 14, italic=True)

    for text, bold in ((doc.kind.upper(), True), (doc.title, True)):
        paragraph = out.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Cm(0)
        paragraph.add_run(text).bold = bold

    for part in doc.sections:
        heading = out.add_paragraph()
        heading.add_run(part.heading).bold = True
        for item in part.blocks:
            if isinstance(item, Paragraph):
                paragraph = out.add_paragraph(item.text)
                for key in item.sources:
                    paragraph.add_run(f"[{key}]").font.superscript = True
            elif isinstance(item, Table):
                if item.caption:
                    caption = out.add_paragraph()
                    caption.paragraph_format.first_line_indent = Cm(0)
                    caption.add_run(item.caption).italic = True
                table = out.add_table(rows=1, cols=len(item.columns))
                table.style = "Table Grid"
                table.alignment = WD_TABLE_ALIGNMENT.CENTER
                for cell, title in zip(table.rows[0].cells, item.columns, strict=True):
                    cell.paragraphs[0].add_run(title).bold = True
                for row in item.rows:
                    cells = table.add_row().cells
                    for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
                        paragraph = cell.paragraphs[0]
                        paragraph.paragraph_format.first_line_indent = Cm(0)
                        paragraph.add_run(text).font.size = Pt(13)
                        if item.numeric and item.numeric[index]:
                            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                        else:
                            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            elif isinstance(item, Chart):
                picture = out.add_paragraph()
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.paragraph_format.first_line_indent = Cm(0)
                picture.add_run().add_picture(io.BytesIO(item.png), width=Cm(16))
                caption = out.add_paragraph()
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption.add_run(item.title).italic = True

    closing = out.add_table(rows=1, cols=2)
    _no_borders(closing)
    left, right = closing.rows[0].cells
    first = left.paragraphs[0]
    first.paragraph_format.first_line_indent = Cm(0)
    run = first.add_run(doc.recipients_label)
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for recipient in doc.recipients:
        line = left.add_paragraph()
        line.paragraph_format.first_line_indent = Cm(0)
        line.paragraph_format.space_after = Pt(0)
        line.add_run(f"- {recipient};").font.size = Pt(11)
    _cell_line(right, doc.signer_title.upper(), 14, bold=True, first=True)
    if doc.signer_name:
        _cell_line(right, "\n\n\n" + doc.signer_name, 14, bold=True)

    if doc.sources:
        out.add_paragraph().add_run(doc.sources_label).bold = True
        for key, citation in doc.sources.items():
            line = out.add_paragraph(f"[{key}] {citation}")
            line.paragraph_format.first_line_indent = Cm(0)
            for run in line.runs:
                run.font.size = Pt(12)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
