"""The writers and the chart module on hand-made documents: each file is reopened with an
independent reader (python-docx, pypdfium2, openpyxl) and checked for what a reader would see.

No database: the documents are built here, in Vietnamese (diacritics and Chinese names), English
and Chinese, so these tests fail on a writer's fault and never on a figure's.
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from borderlink.reports import charts, fonts
from borderlink.reports.document import Chart, Document, Paragraph, Section, Table
from borderlink.reports.writers import CONTENT_TYPES, WRITERS, docx, pdf, xlsx

if TYPE_CHECKING:
    import pypdfium2
    from docx.shared import Length

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
POST = "Đồn Biên phòng cửa khẩu quốc tế Thanh Thủy"
CHINESE = ("天保 Tianbao", "麻栗坡县")


@pytest.fixture(scope="module")
def chart_vi() -> Chart:
    return charts.bar_chart(
        "Lượt người qua lại cửa khẩu Thanh Thủy – 天保",
        ["2019", "2020", "2021"],
        {"Xuất cảnh": [1456, 322, 87], "Nhập cảnh": [1398, 301.5, 90]},
        lang="vi",
        y_label="lượt người",
    )


def _document(lang: str, chart: Chart) -> Document:
    texts: dict[str, Any] = {
        "vi": dict(
            parent_issuer="UBND tỉnh Hà Giang",
            issuer="Sở Ngoại vụ",
            national_title="Cộng hòa xã hội chủ nghĩa Việt Nam",
            motto="Độc lập - Tự do - Hạnh phúc",
            number="Số: 01/BC-SNV",
            place_date="Hà Giang, ngày 30 tháng 6 năm 2021",
            kind="Báo cáo",
            title="Tình hình công tác đối ngoại 6 tháng đầu năm 2021",
            heading="I. Quản lý biên giới",
            text=f"{POST} phối hợp với Trạm kiểm soát biên phòng {CHINESE[0]} huyện {CHINESE[1]} "
            "(tỉnh Vân Nam, Trung Quốc) kiểm soát 1.456 lượt người xuất cảnh.",
            caption="Bảng 1: Lượt người qua lại cửa khẩu",
            columns=["Cửa khẩu", "Xuất cảnh", "Nhập cảnh"],
            rows=[["Thanh Thủy", "1.456", "1.398"], ["Xín Mần", "322", "301,5"]],
            recipients_label="Nơi nhận:",
            recipients=["Bộ Ngoại giao", "Lưu: VT, SNV"],
            signer_title="Giám đốc",
            signer_name="Nguyễn Văn A",
            sources_label="Nguồn",
        ),
        "en": dict(
            parent_issuer="Ha Giang Provincial People's Committee",
            issuer="Department of Foreign Affairs",
            national_title="Socialist Republic of Viet Nam",
            motto="Independence - Freedom - Happiness",
            number="No. 01/BC-SNV",
            place_date="Ha Giang, 30 June 2021",
            kind="Report",
            title="External affairs in the first half of 2021",
            heading="I. Border management",
            text=f"The Thanh Thuy international border gate station worked with the {CHINESE[0]} "
            f"checkpoint of {CHINESE[1]} (Yunnan, China) and checked 1,456 departures.",
            caption="Table 1: Border crossings",
            columns=["Border gate", "Departures", "Arrivals"],
            rows=[["Thanh Thuy", "1,456", "1,398"], ["Xin Man", "322", "301.5"]],
            recipients_label="Recipients:",
            recipients=["Ministry of Foreign Affairs", "Archive"],
            signer_title="Director",
            signer_name="Nguyen Van A",
            sources_label="Sources",
        ),
        "zh": dict(
            parent_issuer="河江省人民委员会",
            issuer="外事厅",
            national_title="越南社会主义共和国",
            motto="独立－自由－幸福",
            number="编号：01/BC-SNV",
            place_date="河江，2021年6月30日",
            kind="报告",
            title="2021年上半年外事工作情况",
            heading="一、边境管理",
            text="清水国际口岸边防站与麻栗坡县天保边境检查站合作，共检查出境人员1,456人次。",
            caption="表1：口岸出入境人次",
            columns=["口岸", "出境", "入境"],
            rows=[["清水", "1,456", "1,398"], ["新曼", "322", "301.5"]],
            recipients_label="抄送：",
            recipients=["外交部", "存档"],
            signer_title="厅长",
            signer_name="阮文甲",
            sources_label="资料来源",
        ),
    }[lang]
    return Document(
        lang=lang,
        parent_issuer=texts["parent_issuer"],
        issuer=texts["issuer"],
        national_title=texts["national_title"],
        motto=texts["motto"],
        number=texts["number"],
        place_date=texts["place_date"],
        kind=texts["kind"],
        title=texts["title"],
        sections=[
            Section(
                heading=texts["heading"],
                blocks=[
                    Paragraph(texts["text"], sources=["1"]),
                    Table(
                        columns=texts["columns"],
                        rows=texts["rows"],
                        values=[["Thanh Thủy", 1456, 1398], ["Xín Mần", 322, Decimal("301.5")]],
                        numeric=[False, True, True],
                        caption=texts["caption"],
                    ),
                    chart,
                ],
            )
        ],
        recipients_label=texts["recipients_label"],
        recipients=texts["recipients"],
        signer_title=texts["signer_title"],
        signer_name=texts["signer_name"],
        sources_label=texts["sources_label"],
        sources={"1": "Báo cáo số 12/BC-BĐBP, Bộ đội Biên phòng tỉnh Hà Giang, 2021"},
        issued_on=datetime.date(2021, 6, 30),
    )


@pytest.fixture(scope="module")
def documents(chart_vi: Chart) -> dict[str, Document]:
    return {lang: _document(lang, chart_vi) for lang in ("vi", "en", "zh")}


@pytest.fixture(scope="module")
def pdfs(documents: dict[str, Document]) -> dict[str, bytes]:
    return {lang: pdf.write(doc) for lang, doc in documents.items()}


# -- registry -------------------------------------------------------------------------------------


def test_every_format_has_a_writer_and_a_content_type() -> None:
    assert set(WRITERS) == set(CONTENT_TYPES) == {"docx", "pdf", "xlsx"}
    assert CONTENT_TYPES["pdf"] == "application/pdf"
    assert CONTENT_TYPES["docx"].endswith("wordprocessingml.document")
    assert CONTENT_TYPES["xlsx"].endswith("spreadsheetml.sheet")


# -- fonts ----------------------------------------------------------------------------------------


def test_fonts_are_found_offline() -> None:
    for path in (fonts.serif(), fonts.serif_bold(), fonts.cjk()):
        assert path.is_file() and path.stat().st_size > 100_000
    # Times New Roman's metrics, shipped with the project (reports/data/fonts, SIL OFL).
    assert fonts.serif().name == "LiberationSerif-Regular.ttf"
    assert (fonts.SHIPPED / "LICENSE-LiberationSerif.txt").is_file()
    assert fonts.cjk() is fonts.cjk()  # cached


# -- charts ---------------------------------------------------------------------------------------


def test_chart_svg_is_inline_ready_and_deterministic(chart_vi: Chart) -> None:
    svg = chart_vi.svg
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert 'width="100%"' in svg and "viewBox=" in svg
    links = set(re.findall(r"https?://[^\"'\s)]+", svg))
    assert links <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, links
    assert "<text" not in svg  # glyphs as paths: no font needed in the browser
    again = charts.bar_chart(
        "Lượt người qua lại cửa khẩu Thanh Thủy – 天保",
        ["2019", "2020", "2021"],
        {"Xuất cảnh": [1456, 322, 87], "Nhập cảnh": [1398, 301.5, 90]},
        lang="vi",
        y_label="lượt người",
    )
    assert again.svg == svg
    assert chart_vi.png.startswith(PNG_SIGNATURE) and len(chart_vi.png) > 5_000


def test_two_charts_in_one_page_share_no_id(chart_vi: Chart) -> None:
    other = charts.bar_chart("Khác", ["2020"], {"A": [1]}, lang="vi")
    ids = set(re.findall(r'\bid="([^"]+)"', chart_vi.svg))
    assert ids and not ids & set(re.findall(r'\bid="([^"]+)"', other.svg))
    for ref in re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', chart_vi.svg):
        assert (ref[0] or ref[1]) in ids


def test_chart_alt_text_and_axis_use_the_language_separators(chart_vi: Chart) -> None:
    assert chart_vi.title == "Lượt người qua lại cửa khẩu Thanh Thủy – 天保"
    assert chart_vi.alt.startswith(chart_vi.title + ": ")
    assert "Xuất cảnh: 2019 1.456, 2020 322, 2021 87" in chart_vi.alt
    assert "2020 301,5" in chart_vi.alt
    english = charts.bar_chart("Crossings", ["2019", "2020"], {"Out": [1456, 322]}, lang="en")
    assert english.alt == "Crossings: 2019 1,456, 2020 322"
    assert charts.format_number(1456, "vi") == "1.456"
    assert charts.format_number(1456, "en") == charts.format_number(1456, "zh") == "1,456"
    assert charts.format_number(1234567.5, "vi") == "1.234.567,5"
    assert charts.format_number(-0.001, "en") == "0"


def test_chinese_labels_render_without_missing_glyphs() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = charts.bar_chart(
            "出入境人次 Lượt qua lại",
            ["麻栗坡县", "天保口岸", "Thanh Thủy"],
            {"出境": [1456, 322, 5], "Nhập cảnh $": [1, 2, 3]},
            lang="zh",
            y_label="人次",
        )
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert not missing, missing
    assert chart.png.startswith(PNG_SIGNATURE)
    assert "出境: 麻栗坡县 1,456" in chart.alt


# -- DOCX -----------------------------------------------------------------------------------------


def near_mm(length: Length | None, mm: float) -> bool:
    """Within half a millimetre of `mm` (a length the document leaves unset is not)."""
    from docx.shared import Mm

    return length is not None and abs(length - Mm(mm)) < Mm(0.5)


def test_docx_follows_decree_30(documents: dict[str, Document]) -> None:
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    content = docx.write(documents["vi"])
    assert content[:2] == b"PK"
    out = python_docx.Document(io.BytesIO(content))
    section = out.sections[0]
    assert near_mm(section.page_width, 210)
    assert near_mm(section.page_height, 297)
    for margin, mm in (
        (section.top_margin, 20),
        (section.bottom_margin, 20),
        (section.left_margin, 30),
        (section.right_margin, 15),
    ):
        assert near_mm(margin, mm), (margin, mm)
    normal = out.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(normal.paragraph_format.first_line_indent - Mm(10)) < Mm(0.5)
    assert normal.paragraph_format.space_after.pt == 6
    assert 1.15 <= normal.paragraph_format.line_spacing <= 1.5

    left, right = out.tables[0].rows[0].cells
    assert "UBND TỈNH HÀ GIANG" in left.text and "SỞ NGOẠI VỤ" in left.text
    assert "Số: 01/BC-SNV" in left.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right.text
    assert "Độc lập - Tự do - Hạnh phúc" in right.text
    issuer = next(p for p in left.paragraphs if p.text == "SỞ NGOẠI VỤ")
    assert issuer.runs[0].bold and issuer.runs[0].font.size.pt == 13
    motto = next(p for p in right.paragraphs if p.text == "Độc lập - Tự do - Hạnh phúc")
    assert motto.runs[0].bold and motto.runs[0].font.size.pt == 14
    date = next(p for p in right.paragraphs if p.text.startswith("Hà Giang, ngày"))
    assert date.runs[0].italic
    rules = [p for p in (*left.paragraphs, *right.paragraphs) if "w:pBdr" in p._p.xml]
    assert len(rules) == 2  # under the issuer and under the motto

    texts = [p.text for p in out.paragraphs]
    assert "BÁO CÁO" in texts
    assert documents["vi"].title in texts
    body = next(p for p in out.paragraphs if p.text.startswith(POST))
    assert "麻栗坡县" in body.text and body.runs[-1].font.superscript
    assert body.text.endswith("Vân Nam, Trung Quốc) kiểm soát 1.456 lượt người xuất cảnh.1")
    assert body.runs[-1].text == "1"  # the source's number, as a superscript; no "[seed-000]"
    heading = next(p for p in out.paragraphs if p.text == "I. Quản lý biên giới")
    assert heading.style is not None
    assert heading.style.name == "Heading 1" and heading.style.font.bold

    figures = out.tables[1]
    assert [c.text for c in figures.rows[0].cells] == ["Cửa khẩu", "Xuất cảnh", "Nhập cảnh"]
    assert figures.style is not None and figures.style.name == "Table Grid"
    assert figures.rows[1].cells[1].text == "1.456" and figures.rows[2].cells[1].text == "322"
    assert figures.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert figures.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    widths = [column.width for column in figures.columns]
    assert widths[0] > widths[1] and abs(sum(widths) - Mm(165)) < Mm(1)  # text gets the room

    assert len(out.inline_shapes) == 1
    assert abs(out.inline_shapes[0].width - Mm(160)) < Mm(1)
    assert 'descr="Lượt người qua lại' in out.inline_shapes[0]._inline.xml

    recipients, signer = out.tables[2].rows[0].cells
    label = recipients.paragraphs[0]
    assert label.text == "Nơi nhận:" and label.runs[0].bold and label.runs[0].italic
    assert label.runs[0].font.size.pt == 12
    assert [p.text for p in recipients.paragraphs[1:]] == ["- Bộ Ngoại giao", "- Lưu: VT, SNV"]
    assert recipients.paragraphs[1].runs[0].font.size.pt == 11
    assert signer.paragraphs[0].text == "GIÁM ĐỐC" and signer.paragraphs[-1].text == "Nguyễn Văn A"
    # Title, room to sign and seal, name.
    assert [p.text for p in signer.paragraphs[1:-1]] == ["", "", "", ""]
    assert "1. Báo cáo số 12/BC-BĐBP" in "\n".join(texts)

    assert out.core_properties.title == documents["vi"].title
    assert out.core_properties.language == "vi-VN"


def test_table_columns_share_the_width_by_need() -> None:
    # A long text column wraps; short text and number columns keep their natural width.
    assert docx.fit_widths([100, 20, 30, 25], [False, False, False, True], 165) == [90, 20, 30, 25]
    # Everything fits: the room left over goes to the text column.
    assert docx.fit_widths([10, 20, 30], [False, True, True], 165) == [115, 20, 30]
    # Numbers alone overflow: every column shrinks in proportion.
    assert sum(docx.fit_widths([100, 100, 100], [True, True, True], 165)) == pytest.approx(165)


def test_docx_fonts_cover_chinese(documents: dict[str, Document]) -> None:
    import docx as python_docx

    out = python_docx.Document(io.BytesIO(docx.write(documents["zh"])))
    fonts_xml = out.styles["Normal"].element.xml
    assert 'w:eastAsia="SimSun"' in fonts_xml and 'w:ascii="Times New Roman"' in fonts_xml
    assert "asciiTheme" not in out.styles["Heading 1"].element.xml
    assert "越南社会主义共和国" in out.tables[0].rows[0].cells[1].text
    assert out.core_properties.language == "zh-CN"


# -- PDF ------------------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> tuple[str, pypdfium2.PdfDocument]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(content)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    return re.sub(r"\s+", " ", text), document


def test_pdf_shows_vietnamese_and_chinese(
    pdfs: dict[str, bytes], documents: dict[str, Document]
) -> None:
    import pypdfium2 as pdfium

    content = pdfs["vi"]
    assert content.startswith(b"%PDF")
    assert b"/FontFile2" in content or b"/FontFile3" in content
    document = pdfium.PdfDocument(content)
    first = re.sub(r"\s+", " ", document[0].get_textpage().get_text_range())
    for words in ("Thanh Thủy", "Độc lập", "麻栗坡", "天保", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert words in first, words
    assert "1.456" in first and "322" in first
    image = document[0].render(scale=1).to_pil().convert("L")
    low, high = image.getextrema()
    assert low < 60 and high > 200  # ink on paper
    dark = sum(image.histogram()[:100])
    assert dark > 2_000  # text and a chart, not a stray line
    assert document.get_metadata_dict()["Title"] == documents["vi"].title


def test_pdf_has_every_part_and_page_numbers(pdfs: dict[str, bytes]) -> None:
    text, document = _pdf_text(pdfs["vi"])
    for words in (
        "SỞ NGOẠI VỤ",
        "Số: 01/BC-SNV",
        "Hà Giang, ngày 30 tháng 6 năm 2021",
        "BÁO CÁO",
        "I. Quản lý biên giới",
        "xuất cảnh.1",
        "Bảng 1: Lượt người qua lại cửa khẩu",
        "Nơi nhận:",
        "- Bộ Ngoại giao",
        "GIÁM ĐỐC",
        "Nguyễn Văn A",
        "1. Báo cáo số 12/BC-BĐBP",
    ):
        assert words in text, words
    pages = len(document)
    assert f"1/{pages}" in text


def test_pdf_in_english_and_chinese(pdfs: dict[str, bytes]) -> None:
    english, _ = _pdf_text(pdfs["en"])
    assert "SOCIALIST REPUBLIC OF VIET NAM" in english and "1,456" in english
    assert "天保 Tianbao" in english
    chinese, _ = _pdf_text(pdfs["zh"])
    for words in (
        "越南社会主义共和国",
        "2021年上半年外事工作情况",  # digits after a line that ends in Chinese (fpdf2#1772)
        "麻栗坡县天保边境检查站",
        "1,456",
        "阮文甲",
    ):
        assert words in chinese.replace(" ", ""), words
    assert b"/Lang (zh-CN)" in pdfs["zh"] or b"/Lang(zh-CN)" in pdfs["zh"]


def test_pdf_keeps_every_line_across_pages() -> None:
    """Lines starting in Chinese, at the top of a page or after a font change, lose no text."""
    lines = [
        f"{n}年 麻栗坡县 Thanh Thủy {n * 1000:,} 人次" if n % 2 else f"第{n}条：天保口岸 {n}"
        for n in range(60)
    ]
    doc = Document(
        lang="zh",
        parent_issuer="河江省",
        issuer="外事厅",
        national_title="越南社会主义共和国",
        motto="独立－自由－幸福",
        number="01",
        place_date="河江",
        kind="报告",
        title="2021年",
        sections=[
            Section(f"{n}、边境", [Paragraph(line) for line in lines[n::3]]) for n in range(3)
        ],
    )
    text, document = _pdf_text(pdf.write(doc))
    pages = len(document)
    assert pages >= 2
    flat = text.replace(" ", "")
    for line in [*lines, "2021年", "0、边境", "2、边境"]:
        assert line.replace(" ", "") in flat, line
    assert f"{pages}/{pages}" in text


# -- XLSX -----------------------------------------------------------------------------------------


def test_xlsx_holds_numbers(documents: dict[str, Document]) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx.write(documents["vi"])))
    assert book.sheetnames[0] == "Report"
    report = [c.value for row in book["Report"].iter_rows() for c in row if c.value]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in report and "BÁO CÁO" in report
    assert any(str(v).startswith(POST) and str(v).endswith(" [1]") for v in report)
    sheet = book.worksheets[1]
    assert sheet.title == "Bảng 1 Lượt người qua lại cửa k"
    assert [c.value for c in sheet[1]] == ["Cửa khẩu", "Xuất cảnh", "Nhập cảnh"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet["B2"].value == 1456 and isinstance(sheet["B2"].value, int)
    assert sheet["B3"].value == 322 and isinstance(sheet["B3"].value, int)
    assert sheet["C3"].value == pytest.approx(301.5)
    assert sheet["B2"].number_format.startswith("#,##0")
    assert sheet["C3"].number_format == "#,##0.0"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len("Thanh Thủy")


def test_xlsx_reads_numbers_back_from_printed_cells_when_no_values() -> None:
    table = Table(
        columns=["Cửa khẩu", "Lượt", "Ngày"],
        rows=[["Thanh Thủy", "1.456", "30/6/2021"], ["=cmd|'/c calc'!A1", "1,5", "x"]],
        numeric=[False, True, False],
        caption="A/B: [thử]*?",
    )
    doc = Document(
        lang="vi",
        parent_issuer="",
        issuer="",
        national_title="",
        motto="",
        number="",
        place_date="",
        kind="",
        title="",
        sections=[Section("", [table]), Section("", [table])],
    )
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx.write(doc)))
    names = book.sheetnames
    assert names[1] == "A B thử" and names[2] == "A B thử (2)"
    sheet = book[names[1]]
    assert sheet["B2"].value == 1456 and sheet["B3"].value == pytest.approx(1.5)
    assert sheet["A3"].data_type == "s"  # text, not a formula
    assert xlsx.parse_number("1.456", "vi") == 1456 and xlsx.parse_number("1,456", "en") == 1456
    assert xlsx.parse_number("1.45", "vi") is None  # not a Vietnamese number


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = {"report"}
    long = "Bảng 12: Lượt người qua lại các cửa khẩu biên giới Việt Nam – Trung Quốc"
    first = xlsx.sheet_name(long, taken, "2")
    second = xlsx.sheet_name(long, taken, "3")
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set("[]:*?/\\") & set(first + second)
    assert xlsx.sheet_name("REPORT", taken, "4") == "REPORT (2)"
    assert xlsx.sheet_name("[]", taken, "5") == "5"


def test_every_writer_handles_every_language(documents: dict[str, Document]) -> None:
    for lang, doc in documents.items():
        for fmt, write in WRITERS.items():
            if fmt != "pdf":  # the PDFs are built once, in the pdfs fixture
                assert len(write(doc)) > 2_000, (lang, fmt)
