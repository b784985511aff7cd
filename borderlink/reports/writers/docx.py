"""DOCX in the layout of Decree 30/2020/NĐ-CP (Appendix I), the form every Vietnamese state body
files its reports in, so a generated report can be signed and sent without re-typing.

What the decree fixes, and where it is done here:

* A4, margins top and bottom 20 mm, left 30 mm, right 15 mm (`_page`);
* Times New Roman, body 14 pt justified, first-line indent 1 cm, 6 pt after each paragraph, line
  spacing between single and 1.5 lines (`_styles`; Chinese text falls back to SimSun);
* the title block, a borderless two-column table: the parent body (upper case, 13 pt), the
  issuing body (upper case, bold, 13 pt) with a rule a third to a half of its length under it,
  and the number and symbol (13 pt) on the left; the national title (upper case, bold, 13 pt),
  the motto (bold, 14 pt) with a rule as long as it under it, and the place and date (italic,
  14 pt) on the right (`_title_block`);
* the kind of document (upper case, bold) and the summary line (bold), centred;
* the recipients ("Nơi nhận", bold italic 12 pt, then "- item" in 11 pt) on the left and the
  signer (title upper case, bold; name bold) on the right (`_closing`);
* page numbers centred in the header, from the second page on (`_page_numbers`).

Every string comes from the `Document`: this module writes no words of its own.
"""

from __future__ import annotations

import datetime
import io

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from borderlink.reports.document import Chart, Document, Paragraph, Section, Table

FONT = "Times New Roman"
EAST_ASIAN_FONT = {"zh": "SimSun"}  # Chinese glyphs; Latin text stays in Times New Roman
LANGUAGE = {"vi": "vi-VN", "en": "en-GB", "zh": "zh-CN"}
BODY_PT = 14
TABLE_PT = 13
LINE_SPACING = 1.15
TEXT_WIDTH = Mm(210 - 30 - 15)
# Title and closing blocks: the decree's model puts the issuing body in about 6-7 cm on the left.
LEFT_COLUMN, RIGHT_COLUMN = Cm(6.8), Cm(9.7)
CELL_PADDING = Cm(0.19 * 2)  # Word's default left + right cell margins
CHART_WIDTH = Cm(16)
LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def _set_fonts(rpr: BaseOxmlElement, lang: str) -> None:
    """Times New Roman for every script slot of a run-properties element, and its language.

    Theme attributes (asciiTheme…) would win over the explicit names, so they are removed.
    """
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT.get(lang, FONT))
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), LANGUAGE.get(lang, "vi-VN"))
    if lang == "zh":
        language.set(qn("w:eastAsia"), LANGUAGE["zh"])


def _page(out: DocxDocument) -> None:
    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)


def _styles(out: DocxDocument, lang: str) -> None:
    defaults = out.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, lang)
    normal = out.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr(), lang)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent, fmt.space_before, fmt.space_after = Cm(1), Pt(0), Pt(6)
    fmt.line_spacing = LINE_SPACING
    fmt.widow_control = True
    # Section headings use Heading 1, so Word's navigation pane shows the report's outline; the
    # template's blue Calibri Light is replaced by the body font, bold and black.
    heading = out.styles["Heading 1"]
    _set_fonts(heading.element.get_or_add_rPr(), lang)
    heading.font.name, heading.font.size, heading.font.bold = FONT, Pt(BODY_PT), True
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(6), Pt(6)
    heading.paragraph_format.first_line_indent = Cm(1)
    heading.paragraph_format.keep_with_next = True


def _plain(paragraph: DocxParagraph, align: WD_ALIGN_PARAGRAPH, after: float = 0) -> None:
    """A paragraph outside the body text: no first-line indent, single spacing."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent, fmt.space_before, fmt.space_after = Cm(0), Pt(0), Pt(after)
    fmt.line_spacing = 1.0


def _cell_line(
    cell: _Cell,
    text: str,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = CENTER,
) -> DocxParagraph:
    """A line in a block cell; the cell's own first paragraph is used while still untouched."""
    first = cell.paragraphs[0]
    untouched = len(cell.paragraphs) == 1 and first._p.pPr is None and not first.runs
    paragraph = first if untouched else cell.add_paragraph()
    _plain(paragraph, align)
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _text_width(text: str, size: float, bold: bool) -> Length:
    """About how wide `text` sets in Times New Roman (average advance widths per kind of glyph)."""
    ems = 0.0
    for char in text:
        if char.isspace():
            ems += 0.25
        elif char.isupper():
            ems += 0.72 if bold else 0.68
        elif char.isalnum():
            ems += 1.0 if ord(char) > 0x2E80 else (0.52 if bold else 0.48)
        else:
            ems += 0.33
    return Pt(ems * size)


def _rule(cell: _Cell, cell_width: Length, length: Length) -> None:
    """A short centred horizontal rule: the bottom border of an empty, narrow, 2 pt paragraph."""
    paragraph = cell.add_paragraph()
    _plain(paragraph, CENTER)
    room = int(cell_width) - int(CELL_PADDING)
    length = Length(max(int(Cm(1)), min(int(length), room)))
    side = Length(max(0, (room - int(length)) // 2))
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = side, side
    fmt.line_spacing = Pt(2)
    mark = paragraph._p.get_or_add_pPr()
    mark_rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")  # half-points: a 2 pt paragraph mark
    mark_rpr.append(size)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Schema order in w:pPr: ... pBdr before spacing/ind/jc; rPr last.
    anchor = mark.find(qn("w:spacing"))
    if anchor is None:
        anchor = mark.find(qn("w:ind"))
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        mark.append(borders)
    mark.append(mark_rpr)


def _borderless(table: DocxTable, widths: tuple[Length, Length]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    # Schema order in w:tblPr: ... tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook.
    later = [pr.find(qn(f"w:{tag}")) for tag in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    following = next((element for element in later if element is not None), None)
    if following is not None:
        following.addprevious(borders)
    else:
        pr.append(borders)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _keep_row_together(table: DocxTable, header: bool = False) -> None:
    for index, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if header and index == 0:
            trpr.append(OxmlElement("w:tblHeader"))  # repeated on every page


def _title_block(out: DocxDocument, doc: Document) -> None:
    block = out.add_table(rows=1, cols=2)
    _borderless(block, (LEFT_COLUMN, RIGHT_COLUMN))
    _keep_row_together(block)
    left, right = block.rows[0].cells
    if doc.parent_issuer:
        _cell_line(left, doc.parent_issuer.upper(), 13)
    issuer = doc.issuer.upper()
    _cell_line(left, issuer, 13, bold=True)
    if issuer:
        # 1/3 to 1/2 of the line above: 40 % of the longest line of the issuer's name.
        longest = max(issuer.split("\n"), key=len)
        _rule(left, LEFT_COLUMN, Length(int(_text_width(longest, 13, True) * 0.4)))
    if doc.number:
        _cell_line(left, doc.number, 13).paragraph_format.space_before = Pt(6)
    _cell_line(right, doc.national_title.upper(), 13, bold=True)
    _cell_line(right, doc.motto, 14, bold=True)
    if doc.motto:
        _rule(right, RIGHT_COLUMN, _text_width(doc.motto, 14, True))
    if doc.place_date:
        _cell_line(right, doc.place_date, 14, italic=True).paragraph_format.space_before = Pt(6)
    spacer = out.add_paragraph()
    _plain(spacer, CENTER, after=6)
    for text in (doc.kind.upper(), doc.title):
        if text:
            paragraph = out.add_paragraph()
            _plain(paragraph, CENTER, after=0)
            paragraph.paragraph_format.keep_with_next = True
            paragraph.add_run(text).bold = True
    out.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _paragraph(out: DocxDocument, item: Paragraph) -> None:
    paragraph = out.add_paragraph(item.text)
    if item.sources:  # the numbers of the list of sources, as superscripts
        paragraph.add_run(",".join(item.sources)).font.superscript = True


def fit_widths(natural: list[float], numeric: list[bool], total: float) -> list[float]:
    """Column widths summing to `total` (shared with the PDF writer, so both lay tables out alike).

    Number columns keep their natural width. Text columns that fit in a fair share of the rest
    keep theirs too; the wider ones split what remains equally (and wrap), or, when everything
    fits, the room left over goes to the text columns by their need.
    """
    columns = list(range(len(natural)))
    text = [i for i in columns if not numeric[i]] or columns
    widths = {i: natural[i] for i in columns if i not in text}
    room = total - sum(widths.values())
    if room < 0.15 * total:  # numbers alone nearly fill the width: share it by need
        return [w * total / sum(natural) for w in natural]
    pending = sorted(text, key=lambda i: natural[i])
    while pending and natural[pending[0]] <= room / len(pending):
        index = pending.pop(0)
        widths[index] = natural[index]
        room -= natural[index]
    if pending:
        widths.update({i: room / len(pending) for i in pending})
    else:
        need = sum(natural[i] for i in text)
        widths.update({i: natural[i] + room * natural[i] / need for i in text})
    return [widths[i] for i in columns]


def _column_widths(item: Table, numeric: list[bool]) -> list[Length]:
    natural = []
    for index in range(len(item.columns)):
        cells = [row[index] for row in item.rows if index < len(row)]
        widest = max(
            [_text_width(item.columns[index], TABLE_PT, True)]
            + [_text_width(text, TABLE_PT, False) for text in cells]
        )
        natural.append(float(int(widest) + int(CELL_PADDING) + int(Cm(0.2))))
    return [Length(int(w)) for w in fit_widths(natural, numeric, float(TEXT_WIDTH))]


def _table(out: DocxDocument, item: Table) -> None:
    width = len(item.columns)
    if not width:
        return
    if item.caption:
        caption = out.add_paragraph()
        _plain(caption, CENTER, after=3)
        caption.paragraph_format.keep_with_next = True
        caption.add_run(item.caption).bold = True
    numeric = [*item.numeric[:width], *[False] * (width - len(item.numeric))]
    table = out.add_table(rows=1, cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _column_widths(item, numeric)
    for cell, title in zip(table.rows[0].cells, item.columns, strict=True):
        paragraph = cell.paragraphs[0]
        _plain(paragraph, CENTER, after=2)
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run(title)
        run.bold, run.font.size = True, Pt(TABLE_PT)
    for row in item.rows:
        texts = [*row[:width], *[""] * (width - len(row))]
        for cell, text, is_number in zip(table.add_row().cells, texts, numeric, strict=True):
            paragraph = cell.paragraphs[0]
            align = RIGHT if is_number else LEFT
            _plain(paragraph, align, after=2)
            paragraph.add_run(text).font.size = Pt(TABLE_PT)
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
        for cell in column.cells:
            cell.width = column_width
    _keep_row_together(table, header=True)
    after = out.add_paragraph()
    _plain(after, LEFT, after=0)


def _chart(out: DocxDocument, item: Chart) -> None:
    picture = out.add_paragraph()
    _plain(picture, CENTER, after=3)
    picture.paragraph_format.keep_with_next = True
    shape = picture.add_run().add_picture(io.BytesIO(item.png), width=min(CHART_WIDTH, TEXT_WIDTH))
    properties = shape._inline.docPr
    properties.set("descr", item.alt or item.title)  # alt text for screen readers
    if item.title:
        properties.set("title", item.title)
        caption = out.add_paragraph()
        _plain(caption, CENTER, after=6)
        caption.add_run(item.title).italic = True


def _section(out: DocxDocument, part: Section) -> None:
    if part.heading:
        out.add_paragraph(part.heading, style="Heading 1")
    for item in part.blocks:
        if isinstance(item, Paragraph):
            _paragraph(out, item)
        elif isinstance(item, Table):
            _table(out, item)
        elif isinstance(item, Chart):
            _chart(out, item)


def _closing(out: DocxDocument, doc: Document) -> None:
    if not (doc.recipients_label or doc.recipients or doc.signer_title or doc.signer_name):
        return
    closing = out.add_table(rows=1, cols=2)
    _borderless(closing, (LEFT_COLUMN, RIGHT_COLUMN))
    _keep_row_together(closing)
    left, right = closing.rows[0].cells
    if doc.recipients_label:
        _cell_line(left, doc.recipients_label, 12, bold=True, italic=True, align=LEFT)
    for recipient in doc.recipients:
        _cell_line(left, f"- {recipient}", 11, align=LEFT)
    if doc.signer_title:
        _cell_line(right, doc.signer_title.upper(), BODY_PT, bold=True)
        # Room for the signature and the seal, whether or not the name is known yet.
        for _ in range(4):
            _cell_line(right, "", BODY_PT)
    if doc.signer_name:
        _cell_line(right, doc.signer_name, BODY_PT, bold=True)


def _sources(out: DocxDocument, doc: Document) -> None:
    if not doc.sources:
        return
    out.add_paragraph(doc.sources_label, style="Heading 1").paragraph_format.space_before = Pt(18)
    for key, citation in doc.sources.items():
        line = out.add_paragraph()
        _plain(line, LEFT, after=3)
        line.paragraph_format.left_indent = Cm(1)
        line.paragraph_format.first_line_indent = Cm(-1)  # hanging: the keys stand out
        line.add_run(f"{key}. ").bold = True
        line.add_run(citation)
        for run in line.runs:
            run.font.size = Pt(12)


def _page_numbers(out: DocxDocument) -> None:
    """The page number centred in the header, from page 2 on (the first page has none)."""
    section = out.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    _plain(paragraph, CENTER)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(BODY_PT * 2))
    rpr.append(size)
    text = OxmlElement("w:t")
    text.text = "2"  # shown until the field is updated; Word updates PAGE on open
    run.append(rpr)
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _properties(out: DocxDocument, doc: Document) -> None:
    props = out.core_properties
    props.title = doc.title
    props.subject = doc.kind
    props.author = props.last_modified_by = doc.issuer
    props.language = LANGUAGE.get(doc.lang, doc.lang)
    props.comments = props.keywords = ""
    props.revision = 1
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now


def write(doc: Document) -> bytes:
    """The report as a .docx file (bytes)."""
    out = new_document()
    _page(out)
    _styles(out, doc.lang)
    _properties(out, doc)
    _page_numbers(out)
    _title_block(out, doc)
    for part in doc.sections:
        _section(out, part)
    _closing(out, doc)
    _sources(out, doc)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
