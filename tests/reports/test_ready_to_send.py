"""A report in each language, checked for what an office needs to send it as it is: read back from
the DOCX (python-docx) and the PDF (pypdfium2: text, fonts, page 1 as an image).

Page 1 of each language's PDF is written to var/report-pages/<template>-<lang>.png, to be looked
at (the test checks that the page has ink and the title block where Decree 30 puts it).
"""

from __future__ import annotations

import ctypes
import io
import re
from pathlib import Path
from typing import Any

import pytest

from borderlink.reports import fonts
from borderlink.reports.writers import pdf as pdf_writer
from tests.reports.seed_reports import LANGS, Rendered, pdf_text, render

# The reports are rendered once per module from the demo; marked as database tests so that
# they run before the transactional tests, which leave the database empty when they end.
pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parents[2] / "var" / "report-pages"
HAN = "\u4e00-\u9fff"


@pytest.fixture(scope="module")
def reports(django_db_setup: None, django_db_blocker: Any) -> dict[str, Rendered]:
    with django_db_blocker.unblock():
        return {lang: render("foreign-relations", lang) for lang in LANGS}


def pdf_fonts(content: bytes) -> dict[str, str]:
    """Character -> the name of the font pdfium says it is drawn with (subset prefix removed)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(content)
    out: dict[str, str] = {}
    for index in range(len(document)):
        page = document[index].get_textpage()
        for i in range(page.count_chars()):
            char = chr(raw.FPDFText_GetUnicode(page.raw, i))
            buffer, flags = ctypes.create_string_buffer(256), ctypes.c_int()
            raw.FPDFText_GetFontInfo(page.raw, i, buffer, 256, ctypes.byref(flags))
            out.setdefault(char, buffer.value.decode().split("+")[-1])
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_the_title_block_carries_the_departments_abbreviation(
    reports: dict[str, Rendered], lang: str
) -> None:
    import docx

    cells = docx.Document(io.BytesIO(reports[lang].docx)).tables[0].rows[0].cells
    assert "/BC-SNgV" in cells[0].text and "BC-SNV" not in cells[0].text
    assert "/BC-SNgV" in reports[lang].pdf_text(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_sources_are_numbered_notes_in_the_reports_language(
    reports: dict[str, Rendered], lang: str
) -> None:
    import docx

    document = docx.Document(io.BytesIO(reports[lang].docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "[seed-" not in text and "seed-000" not in text
    overview = next(p for p in document.paragraphs if "1991" in p.text)
    assert overview.runs[-1].font.superscript and overview.runs[-1].text == "1,2"
    label = {"vi": "Nguồn", "en": "Sources", "zh": "来源"}[lang]
    kind = {"vi": "Bài báo", "en": "Article", "zh": "文章"}[lang]
    as_of = {"vi": "tính đến 30/06/2021", "en": "as of 30/06/2021", "zh": "截至2021年6月30日"}[lang]
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings[-1] == label
    annex = text[text.rindex(label) :]
    assert re.search(r"^2\. Báo Hà Giang \(English edition\), “Foreign relations", annex, re.M)
    assert kind in annex and as_of in annex
    visits = {"vi": "Hôm nay: 1.397", "en": "Today: 1,397", "zh": "今日: 1,397"}[lang]
    assert visits in annex


def test_vietnamese_writes_unit_types_in_lower_case_inside_a_sentence(
    reports: dict[str, Rendered],
) -> None:
    text = reports["vi"].docx_text
    assert "của tỉnh Hà Giang với các tỉnh biên giới" in text
    assert "với tỉnh Vân Nam (云南省)" in text and "sinh viên thành phố Bách Sắc" in text
    assert "của Tỉnh" not in text and "với Tỉnh" not in text
    assert "\nTỉnh Hà Giang có 7 huyện biên giới" in text  # a sentence starts with a capital
    assert "Đồn Biên phòng Cửa khẩu Quốc tế Thanh Thủy" in text  # a proper name keeps its own


def test_chinese_sets_numbers_without_spaces_and_says_the_nouns(
    reports: dict[str, Rendered], db: None
) -> None:
    pdf = reports["zh"].pdf_text("zh")
    # The DOCX's paragraphs (table cells are joined by " | "), the PDF's text up to the first
    # table (pdfium joins the cells of a row with spaces).
    for body in (reports["zh"].docx_text.split("来源")[0], pdf[: pdf.index("指标")]):
        assert not re.search(rf"[{HAN}] \d|\d [{HAN}]", body), re.findall(
            rf".{{4}}(?:[{HAN}] \d|\d [{HAN}]).{{4}}", body
        )
        assert "7个边境县、34个边境乡镇" in body and "边境县7 个县" not in body
    border = render("border-management", "zh").docx_text
    assert "落实14份省级合作文件和协议" in border and "落实14 份；" not in border


def test_english_table_units_agree_with_the_figure(reports: dict[str, Rendered]) -> None:
    text = reports["en"].docx_text
    assert "Political exchanges | 1 | political exchange\n" in text
    assert "Talks | 322 | talks" in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_signature_block_has_room_to_sign_and_the_name(lang: str, db: None) -> None:
    import docx

    signed = render("foreign-relations", lang, signer="Nguyễn Văn A")
    closing = docx.Document(io.BytesIO(signed.docx)).tables[-1].rows[0].cells[1]
    lines = [p.text for p in closing.paragraphs]
    assert lines[0] == {"vi": "GIÁM ĐỐC", "en": "DIRECTOR", "zh": "厅长"}[lang]
    assert lines[1:5] == ["", "", "", ""] and lines[-1] == "Nguyễn Văn A"
    text = signed.pdf_text(lang)
    assert "Nguyễn Văn A" in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_is_set_in_times_metrics_and_simplified_chinese(
    reports: dict[str, Rendered], lang: str
) -> None:
    used = pdf_fonts(reports[lang].pdf)
    assert used["3"].startswith("LiberationSerif")  # Times New Roman's metrics, as the DOCX
    if lang == "vi":
        assert used["ủ"].startswith("LiberationSerif") and used["Đ"].startswith("Liberation")
    chinese = {font for char, font in used.items() if re.match(rf"[{HAN}]", char)}
    assert chinese == {"NotoSansCJKSCRegular"}
    assert not any("DejaVu" in font for font in used.values())


def test_chinese_characters_take_their_simplified_forms() -> None:
    """The wheel's face is Traditional (NotoSansCJKtc); the writer maps 边 to the glyph the
    font's locl feature gives Simplified Chinese, and leaves characters alike in both alone."""
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

    path = fonts.cjk()
    traditional = FPDF()
    traditional.add_font("cjk", "", path)
    simplified = FPDF()
    simplified.add_font("cjk", "", path)
    simplified_cjk, traditional_cjk = simplified.fonts["cjk"], traditional.fonts["cjk"]
    assert isinstance(simplified_cjk, TTFFont) and isinstance(traditional_cjk, TTFFont)
    pdf_writer._simplified(simplified_cjk, fonts.simplified_forms(path))
    forms = fonts.simplified_forms(path)
    if path.name.lower().startswith("notosanscjktc"):
        assert len(forms) > 5000
        assert simplified_cjk.cmap[ord("边")] != traditional_cjk.cmap[ord("边")]
    assert simplified_cjk.cmap[ord("一")] == traditional_cjk.cmap[ord("一")]


def test_the_chart_shows_declared_totals_beside_the_recorded(
    reports: dict[str, Rendered],
) -> None:
    import docx

    document = docx.Document(io.BytesIO(reports["en"].docx))
    described = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    chart = next(d for d in described if d and d.startswith("Exchanges and activities"))
    # Recorded one by one per year (the demo without its sample ledger has none), and the
    # station's log declared for 2012 to mid-2021 as one total: 1,456 letters + 322 talks + 1 +
    # 107 + 144 phone calls + 31 checks + 384 hand-overs.
    assert "Per year" in chart and "Declared totals: 2012–2021 2,445" in chart


@pytest.mark.parametrize("template", ["foreign-relations", "border-management"])
@pytest.mark.parametrize("lang", LANGS)
def test_page_one_as_an_image(
    reports: dict[str, Rendered], lang: str, template: str, db: None
) -> None:
    import pypdfium2 as pdfium

    content = reports[lang].pdf if template == "foreign-relations" else render(template, lang).pdf
    PAGES.mkdir(parents=True, exist_ok=True)
    image = pdfium.PdfDocument(content)[0].render(scale=150 / 72).to_pil().convert("L")
    target = PAGES / f"{template}-{lang}.png"
    image.save(target)
    assert target.stat().st_size > 20_000
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01  # A4
    top = image.crop((0, 0, width, height // 6))
    assert top.getextrema()[0] < 60  # the title block is inked at the top of the page
    text = pdf_text(content, lang)
    assert {"vi": "BÁO CÁO", "en": "REPORT", "zh": "报告"}[lang] in text
