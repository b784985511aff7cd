"""PDF with fpdf2: the same layout as the DOCX, with DejaVu Serif for Latin and Vietnamese and
Noto Sans CJK as the fallback for Chinese, both embedded (subsets) so every viewer shows them
and the text can be extracted."""

from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from borderlink.reports import fonts
from borderlink.reports.document import Chart, Document, Paragraph, Table

BODY = 12.5
LINE = 6.5


class _PDF(FPDF):
    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("serif", size=9)
        self.cell(0, 8, f"{self.page_no()}/{{nb}}", align="C")


def write(doc: Document) -> bytes:
    pdf = _PDF(format="A4")
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("serif", "", str(fonts.serif()))
    pdf.add_font("serif", "B", str(fonts.serif_bold()))
    pdf.add_font("serif", "I", str(fonts.serif()))
    pdf.add_font("cjk", "", str(fonts.cjk()))
    pdf.set_fallback_fonts(["cjk"], exact_match=False)
    pdf.set_title(doc.title)
    pdf.set_lang({"vi": "vi-VN", "en": "en-GB", "zh": "zh-CN"}[doc.lang])
    pdf.set_creator("BorderLink")
    pdf.add_page()
    width = pdf.epw
    top = pdf.get_y()

    def block(x: float, w: float, lines: list[tuple[str, str, float]]) -> float:
        pdf.set_xy(x, top)
        for text, style, size in lines:
            pdf.set_x(x)
            pdf.set_font("serif", style, size)
            pdf.multi_cell(w, 5.5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return pdf.get_y()

    left_w = width * 0.4
    end_left = block(
        pdf.l_margin,
        left_w,
        [
            (doc.parent_issuer.upper(), "", 11),
            (doc.issuer.upper(), "B", 11),
            ("———", "", 9),
            (doc.number, "", 11),
        ],
    )
    end_right = block(
        pdf.l_margin + left_w,
        width - left_w,
        [
            (doc.national_title.upper(), "B", 11),
            (doc.motto, "B", 12),
            ("—————", "", 9),
            (doc.place_date, "I", 12),
        ],
    )
    pdf.set_y(max(end_left, end_right) + 6)
    for text in (doc.kind.upper(), doc.title):
        pdf.set_font("serif", "B", 13)
        pdf.multi_cell(0, LINE, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for part in doc.sections:
        pdf.set_font("serif", "B", BODY)
        pdf.multi_cell(0, LINE, part.heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for item in part.blocks:
            if isinstance(item, Paragraph):
                pdf.set_font("serif", "", BODY)
                marks = "".join(f" [{key}]" for key in item.sources)
                pdf.multi_cell(
                    0, LINE, item.text + marks, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT
                )
                pdf.ln(1.5)
            elif isinstance(item, Table):
                if item.caption:
                    pdf.set_font("serif", "I", 11)
                    pdf.multi_cell(0, LINE, item.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.set_font("serif", "", 10.5)
                align = tuple("RIGHT" if n else "LEFT" for n in item.numeric) or None
                with pdf.table(
                    col_widths=(5, 2, 2), text_align=align, first_row_as_headings=True
                ) as table:
                    header = table.row()
                    for title in item.columns:
                        header.cell(title)
                    for row in item.rows:
                        cells = table.row()
                        for text in row:
                            cells.cell(text)
                pdf.ln(2)
            elif isinstance(item, Chart):
                pdf.image(io.BytesIO(item.png), w=min(160, width))
                pdf.set_font("serif", "I", 10.5)
                pdf.multi_cell(0, LINE, item.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    top = pdf.get_y()
    if top > pdf.h - 60:
        pdf.add_page()
        top = pdf.get_y()
    pdf.set_xy(pdf.l_margin, top)
    pdf.set_font("serif", "B", 11)
    pdf.cell(left_w, 5.5, doc.recipients_label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("serif", "", 10)
    for recipient in doc.recipients:
        pdf.multi_cell(left_w, 5, f"- {recipient};", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font("serif", "B", 12)
    pdf.multi_cell(width - left_w, 6, doc.signer_title.upper(), align="C")
    if doc.sources:
        pdf.set_y(max(pdf.get_y(), top + 30))
        pdf.set_font("serif", "B", 11)
        pdf.cell(0, 6, doc.sources_label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("serif", "", 9.5)
        for key, citation in doc.sources.items():
            pdf.multi_cell(0, 5, f"[{key}] {citation}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
