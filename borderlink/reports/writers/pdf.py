"""PDF with fpdf2, laid out like the DOCX (Decree 30/2020/NĐ-CP): A4, margins top and bottom
20 mm, left 30 mm, right 15 mm, the title block in two columns, the kind and summary centred,
the sections, the recipients and the signer, the sources.

The PDF is the copy people read on screen and forward, so it must look the same everywhere and
keep its text searchable and copyable: Liberation Serif (Times New Roman's metrics, as in the
DOCX; Latin and Vietnamese, regular, bold, italic) and Noto Sans CJK (Chinese, as a per-glyph
fallback, in its Simplified-Chinese forms) are embedded as subsets, and fpdf2 writes a ToUnicode
map for each. Text is normalised to NFC first: fpdf2 does not compose combining marks,
so a decomposed "ủ" would print its accent beside the letter.

Every string comes from the `Document`: this module writes no words of its own.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from borderlink.reports import fonts
from borderlink.reports.document import Chart, Document, Paragraph, Section, Table
from borderlink.reports.writers.docx import fit_widths

LANGUAGE = {"vi": "vi-VN", "en": "en-GB", "zh": "zh-CN"}
FONT, CJK = "serif", "cjk"
# Liberation Serif has Times New Roman's widths: the DOCX's sizes (body 14 pt, tables 13 pt).
BODY_PT, TABLE_PT, SMALL_PT = 14.0, 13.0, 11.0
SIGNATURE_SPACE = 24.0  # mm between the signer's title and name: signature and seal
LINE = 1.45  # line height, as a multiple of the font size
LEFT_COLUMN = 68.0  # mm: the issuing body / recipients column, as in the DOCX
INDENT = 10.0  # mm: first-line indent of body paragraphs
CHART_WIDTH = 160.0  # mm
CELL_PADDING = 1.5  # mm


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _simplified(font: Any, forms: dict[str, str]) -> None:
    """Point the CJK font's characters at their Simplified-Chinese glyphs (fonts.simplified_forms)
    before any text is set, so widths and the embedded subset follow.

    Noto Sans CJK's SC and TC fonts hold the same glyphs and differ only in which of them the
    characters map to, which is exactly this mapping: the subset embedded is then the SC face's,
    and it is named so (a reader's "fonts" list shows NotoSansCJKSC, not TC)."""
    if not forms:
        return
    font.name = re.sub(r"CJK(TC|HK|JP|KR)", "CJKSC", font.name, flags=re.I)
    metrics = font.ttfont["hmtx"].metrics
    for char, glyph in list(font.cmap.items()):
        simplified = forms.get(glyph)
        if simplified is None or simplified not in metrics:
            continue
        font.cmap[char] = simplified
        font.cw[char] = round(font.scale * metrics[simplified][0] + 0.001)
        font.glyph_ids[char] = font.ttfont.getGlyphID(simplified)


class _PDF(FPDF):
    """FPDF with a centred "n/N" page number in the footer, and a guard for fallback fonts."""

    def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> Any:
        # fpdf2 <= 2.8.9: when the first glyph of the first line after a font change or a page
        # break comes from the fallback font (a line starting with Chinese), the main font is
        # selected inside that line's q/Q only, and the next line in the main font is drawn with
        # no font at all (py-pdf/fpdf2#1772: "2021" vanished). Selecting the main font for the
        # page before such a line is what fpdf2 does itself when the line starts in it.
        if self.page and self.current_font is not None and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
        return super()._render_styled_text_line(*args, **kwargs)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 9)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align=Align.C)


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        pdf = _PDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(left=30, top=20, right=15)
        pdf.set_auto_page_break(True, margin=20)
        pdf.add_font(FONT, "", fonts.serif())
        pdf.add_font(FONT, "B", fonts.serif_bold())
        pdf.add_font(FONT, "I", fonts.serif_italic())
        pdf.add_font(FONT, "BI", fonts.serif_bold_italic())
        cjk = fonts.cjk()
        pdf.add_font(CJK, "", cjk, collection_font_number=fonts.cjk_index(cjk))
        _simplified(pdf.fonts[CJK], fonts.simplified_forms(cjk))
        # Chinese glyphs in bold or italic runs come from the one CJK face there is.
        pdf.set_fallback_fonts([CJK], exact_match=False)
        pdf.set_title(_nfc(doc.title))
        pdf.set_subject(_nfc(doc.kind))
        pdf.set_author(_nfc(doc.issuer))
        pdf.set_lang(LANGUAGE.get(doc.lang, doc.lang))
        pdf.set_display_mode("fullwidth")
        self.pdf = pdf
        # Chinese has no spaces between words: break lines between any two characters.
        self.wrap = WrapMode.CHAR if doc.lang == "zh" else WrapMode.WORD

    # -- helpers -------------------------------------------------------------------------------

    def font(self, style: str = "", size: float = BODY_PT) -> None:
        self.pdf.set_font(FONT, style, size)

    def line_height(self) -> float:
        return self.pdf.font_size * LINE

    def room(self) -> float:
        """Height left on the page above the bottom margin, in mm."""
        return self.pdf.page_break_trigger - self.pdf.get_y()

    def need(self, height: float) -> None:
        """Start a new page unless `height` mm still fit (keeps a heading with what follows)."""
        if self.room() < height:
            self.pdf.add_page()

    def lines(self, text: str, width: float, align: Align = Align.C) -> None:
        self.pdf.multi_cell(
            width,
            self.line_height(),
            _nfc(text),
            align=align,
            wrapmode=self.wrap,
            new_x=XPos.LEFT,
            new_y=YPos.NEXT,
        )

    def rule(self, x: float, width: float, length: float) -> None:
        """A centred horizontal rule `length` mm long under the current line."""
        length = min(length, width)
        y = self.pdf.get_y() + 1.0
        self.pdf.set_line_width(0.3)
        self.pdf.line(x + (width - length) / 2, y, x + (width + length) / 2, y)
        self.pdf.set_y(y + 1.2)

    # -- parts ---------------------------------------------------------------------------------

    def title_block(self) -> None:
        pdf, doc = self.pdf, self.doc
        top, left = pdf.get_y(), pdf.l_margin
        right_w = pdf.epw - LEFT_COLUMN
        pdf.set_xy(left, top)
        if doc.parent_issuer:
            self.font("", 11)
            self.lines(doc.parent_issuer.upper(), LEFT_COLUMN)
        if doc.issuer:
            self.font("B", 11)
            self.lines(doc.issuer.upper(), LEFT_COLUMN)
            longest = max(_nfc(doc.issuer.upper()).split("\n"), key=len)
            self.rule(left, LEFT_COLUMN, 0.4 * pdf.get_string_width(longest))
        if doc.number:
            pdf.set_xy(left, pdf.get_y() + 2)
            self.font("", 11)
            self.lines(doc.number, LEFT_COLUMN)
        end_left = pdf.get_y()
        pdf.set_xy(left + LEFT_COLUMN, top)
        if doc.national_title:
            self.font("B", 11)
            self.lines(doc.national_title.upper(), right_w)
        if doc.motto:
            self.font("B", 12)
            self.lines(doc.motto, right_w)
            self.rule(left + LEFT_COLUMN, right_w, pdf.get_string_width(_nfc(doc.motto)))
        if doc.place_date:
            pdf.set_xy(left + LEFT_COLUMN, pdf.get_y() + 2)
            self.font("I", 12)
            self.lines(doc.place_date, right_w)
        pdf.set_xy(left, max(end_left, pdf.get_y()) + 8)
        self.font("B", 13)
        for text in (doc.kind.upper(), doc.title):
            if text:
                self.lines(text, pdf.epw)
        pdf.ln(5)

    def section(self, part: Section) -> None:
        if part.heading:
            self.font("B", BODY_PT)
            self.need(4 * self.line_height())
            self.lines(part.heading, self.pdf.epw, Align.L)
            self.pdf.ln(1.5)
        for item in part.blocks:
            if isinstance(item, Paragraph):
                self.paragraph(item)
            elif isinstance(item, Table):
                self.table(item)
            elif isinstance(item, Chart):
                self.chart(item)

    def paragraph(self, item: Paragraph) -> None:
        pdf = self.pdf
        self.font("", BODY_PT)
        with (
            pdf.text_columns(text_align=Align.J, line_height=LINE, wrapmode=self.wrap) as columns,
            columns.paragraph(first_line_indent=INDENT, bottom_margin=2) as paragraph,
        ):
            paragraph.write(_nfc(item.text))
            if item.sources:  # the numbers of the list of sources, as superscripts
                pdf.char_vpos = "SUP"
                paragraph.write(",".join(_nfc(key) for key in item.sources))
                pdf.char_vpos = "LINE"

    def widths(self, item: Table, columns: int, numeric: list[bool]) -> tuple[float, ...]:
        """Column widths (mm) filling the text width, as in the DOCX."""
        pdf = self.pdf
        natural = []
        for index in range(columns):
            self.font("B", TABLE_PT)
            widest = pdf.get_string_width(_nfc(item.columns[index]))
            self.font("", TABLE_PT)
            for row in item.rows:
                if index < len(row):
                    widest = max(widest, pdf.get_string_width(_nfc(row[index])))
            natural.append(widest + 2 * CELL_PADDING + 1)
        return tuple(fit_widths(natural, numeric, pdf.epw))

    def table(self, item: Table) -> None:
        pdf = self.pdf
        columns = len(item.columns)
        if not columns:
            return
        numeric = [*item.numeric[:columns], *[False] * (columns - len(item.numeric))]
        self.font("B", 11)
        self.need(self.line_height() + 3 * 8)
        if item.caption:
            self.lines(item.caption, pdf.epw)
            pdf.ln(1)
        widths = self.widths(item, columns, numeric)
        self.font("", TABLE_PT)
        with pdf.table(
            width=pdf.epw,
            col_widths=widths,
            text_align=tuple(Align.R if n else Align.L for n in numeric),
            line_height=TABLE_PT * 0.3528 * 1.35,
            padding=CELL_PADDING,
            headings_style=FontFace(emphasis="BOLD"),
            wrapmode=self.wrap,
        ) as table:
            header = table.row()
            for title in item.columns:
                header.cell(_nfc(title))
            for row in item.rows:
                cells = table.row()
                for text in [*row[:columns], *[""] * (columns - len(row))]:
                    cells.cell(_nfc(text))
        pdf.ln(4)

    def chart(self, item: Chart) -> None:
        pdf = self.pdf
        pixels_w, pixels_h = struct.unpack(">II", item.png[16:24])  # the PNG's IHDR chunk
        width = min(CHART_WIDTH, pdf.epw)
        height = width * pixels_h / pixels_w
        self.font("I", SMALL_PT)
        self.need(height + self.line_height() + 2)
        y = pdf.get_y()
        pdf.image(
            io.BytesIO(item.png),
            x=pdf.l_margin + (pdf.epw - width) / 2,
            y=y,
            w=width,
            h=height,
            alt_text=_nfc(item.alt or item.title),
        )
        pdf.set_xy(pdf.l_margin, y + height + 1)
        if item.title:
            self.lines(item.title, pdf.epw)
        pdf.ln(3)

    def closing(self) -> None:
        pdf, doc = self.pdf, self.doc
        if not (doc.recipients_label or doc.recipients or doc.signer_title or doc.signer_name):
            return
        right_w = pdf.epw - LEFT_COLUMN
        pdf.ln(4)
        self.need(max(8 + 5.5 * len(doc.recipients), 45))
        top, left = pdf.get_y(), pdf.l_margin
        pdf.set_xy(left, top)
        if doc.recipients_label:
            self.font("BI", 11)
            self.lines(doc.recipients_label, LEFT_COLUMN, Align.L)
        self.font("", SMALL_PT)
        for recipient in doc.recipients:
            self.lines(f"- {recipient}", LEFT_COLUMN, Align.L)
        end_left = pdf.get_y()
        pdf.set_xy(left + LEFT_COLUMN, top)
        self.font("B", BODY_PT)
        if doc.signer_title:
            self.lines(doc.signer_title.upper(), right_w)
            # Room for the signature and the seal, whether or not the name is known yet.
            pdf.set_xy(left + LEFT_COLUMN, pdf.get_y() + SIGNATURE_SPACE)
        if doc.signer_name:
            self.lines(doc.signer_name, right_w)
        pdf.set_xy(left, max(end_left, pdf.get_y()) + 6)

    def sources(self) -> None:
        pdf, doc = self.pdf, self.doc
        if not doc.sources:
            return
        self.font("B", BODY_PT)
        self.need(3 * self.line_height())
        if doc.sources_label:
            self.lines(doc.sources_label, pdf.epw, Align.L)
            pdf.ln(1)
        for key, citation in doc.sources.items():
            with (
                pdf.text_columns(text_align=Align.L, line_height=1.3, wrapmode=self.wrap) as cols,
                cols.paragraph(indent=8, first_line_indent=-8, bottom_margin=1) as paragraph,
            ):
                self.font("B", SMALL_PT)
                paragraph.write(f"{_nfc(key)}. ")
                self.font("", SMALL_PT)
                paragraph.write(_nfc(citation))

    def write(self) -> bytes:
        self.pdf.add_page()
        self.title_block()
        for part in self.doc.sections:
            self.section(part)
        self.closing()
        self.sources()
        return bytes(self.pdf.output())


def write(doc: Document) -> bytes:
    """The report as a PDF file (bytes), fonts embedded."""
    return _Writer(doc).write()
