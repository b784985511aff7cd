"""The two seed-article reports, rendered once per test module, and their text as a reader gets it:
python-docx for the DOCX (paragraphs and every table cell), pypdfium2 for the PDF."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from borderlink.places.models import Unit
from borderlink.reports.compose import compose
from borderlink.reports.writers import WRITERS
from borderlink.stats.engine import Window

LANGS = ("vi", "en", "zh")
# Each template at its seed's date (demo/data/sources.yaml; the portal's articles use the same).
SEED_DATES = {
    "foreign-relations": datetime.date(2021, 6, 30),
    "border-management": datetime.date(2020, 12, 31),
}
INTERNAL = 1  # an officer's clearance: the report as a department sends it


@dataclass
class Rendered:
    docx: bytes
    pdf: bytes

    @property
    def docx_text(self) -> str:
        return docx_text(self.docx)

    def pdf_text(self, lang: str) -> str:
        return pdf_text(self.pdf, lang)


def render(template: str, lang: str, signer: str = "") -> Rendered:
    day = SEED_DATES[template]
    document = compose(
        template,
        Unit.objects.get(code="VN-P02"),
        Window(None, day, day),
        lang,
        INTERNAL,
        signer=signer,
    )
    return Rendered(docx=WRITERS["docx"](document), pdf=WRITERS["pdf"](document))


def docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def pdf_text(content: bytes, lang: str) -> str:
    """The PDF's text with its line breaks undone: a space in Vietnamese and English, nothing in
    Chinese (lines break between any two characters there)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(content)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    text = text.replace("\r\n", "\n").replace("\ufffe", "").replace("\x02", "")
    return text.replace("\n", "" if lang == "zh" else " ")
