"""Reports rendered from the demo records: real DOCX, PDF and XLSX files, checked by reading them."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command

from borderlink.places.models import Unit
from borderlink.reports.render import render
from borderlink.stats.engine import Window

if TYPE_CHECKING:
    from docx.shared import Length

pytestmark = pytest.mark.django_db
WINDOW = Window(None, datetime.date(2021, 6, 30), datetime.date(2021, 6, 30))


def _render(lang: str, fmt: str, template: str = "foreign-relations") -> bytes:
    return render(template, Unit.objects.get(code="VN-P02"), WINDOW, lang, fmt, clearance=1)


def near_mm(length: Length | None, mm: float) -> bool:
    """Within half a millimetre of `mm` (a length the document leaves unset is not)."""
    from docx.shared import Mm

    return length is not None and abs(length - Mm(mm)) < Mm(0.5)


def test_docx_follows_decree_30() -> None:
    import docx

    document = docx.Document(io.BytesIO(_render("vi", "docx")))
    section = document.sections[0]
    assert near_mm(section.page_width, 210) and near_mm(section.page_height, 297)
    for margin, mm in (
        (section.top_margin, 20),
        (section.bottom_margin, 20),
        (section.left_margin, 30),
        (section.right_margin, 15),
    ):
        assert near_mm(margin, mm)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    title_block = document.tables[0].rows[0].cells
    assert "UBND TỈNH HÀ GIANG" in title_block[0].text and "SỞ NGOẠI VỤ" in title_block[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in title_block[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in title_block[1].text
    assert "Hà Giang, ngày 30 tháng 6 năm 2021" in title_block[1].text
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1.456" in text and "2.693" in text and "34/34" in text
    assert "hơn 42" in text  # "more than 42 billion VND", never "1,8 billion USD"
    figures = [row.cells[1].text for row in document.tables[1].rows]
    assert "1.456" in figures and "322" in figures


def test_pdf_embeds_fonts_and_renders_vietnamese_and_chinese() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    for lang, words in (
        ("vi", ["Thanh Thủy", "Độc lập", "云南省"]),
        ("zh", ["河江省", "天保边境检查站", "1,456"]),
        ("en", ["Yunnan", "1,456", "1.8 million USD"]),
    ):
        content = _render(lang, "pdf")
        assert content.startswith(b"%PDF") and (
            b"/FontFile2" in content or b"/FontFile3" in content
        )
        pdf = pdfium.PdfDocument(content)
        text = (
            "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
            .replace("\r\n", " ")
            .replace("\n", " ")
        )
        for word in words:
            assert word in text, (lang, word)
        image = pdf[0].render(scale=0.5).to_pil().convert("L")
        assert image.getextrema()[0] < 60  # ink on the page


def test_english_report_corrects_the_seed() -> None:
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(_render("en", "docx"))).paragraphs)
    assert "1,456" in text and "Malypho" not in text and "Thien Bao" not in text
    assert "1.8 million USD" in text and "1,8 billion" not in text
    assert "Guangxi Zhuang Autonomous Region (广西壮族自治区)" in text
    # Numbers agree with their nouns: one exchange, many exchanges.
    assert "held 322 talks, 1 political exchange and 107 unscheduled exchanges" in text


def test_xlsx_holds_numbers() -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(_render("zh", "xlsx")))
    values = [
        cell.value for sheet in book.worksheets[1:] for row in sheet.iter_rows() for cell in row
    ]
    assert 1456 in values and 2693 in values and "1456" not in values


def test_report_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    call_command(
        "report",
        "border-management",
        "--unit",
        "VN-P02",
        "--to",
        "2021-06-30",
        "--lang",
        "vi",
        "--format",
        "docx",
        "-o",
        str(out),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert out.read_bytes()[:2] == b"PK"
