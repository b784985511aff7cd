"""A rendered report, before it becomes a file: every string already in the report's language.

The report engine (`reports.compose`) fills a `Document` from a template, the statistics engine
and the gazetteer; the writers (`reports.writers`) turn it into DOCX, PDF or XLSX without knowing
anything about indicators or units. Keeping the two apart means each writer is tested on its own
and a new output format never touches the figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    # Footnote-style references to sources, e.g. ["seed-000"]; printed after the text.
    sources: list[str] = field(default_factory=list)


@dataclass
class Table:
    columns: list[str]
    # Cells as printed in the report's language (numbers already formatted).
    rows: list[list[str]]
    # The same cells as raw values for spreadsheets (numbers as int/Decimal/float, dates as date).
    values: list[list[object]] = field(default_factory=list)
    # Which columns hold numbers (right-aligned, numeric in XLSX).
    numeric: list[bool] = field(default_factory=list)
    caption: str = ""


@dataclass
class Chart:
    title: str
    png: bytes  # for documents
    svg: str  # for pages
    alt: str = ""


Block = Paragraph | Table | Chart


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    lang: str  # "vi", "en" or "zh"
    # Decree 30/2020/NĐ-CP title block: the issuing body under its parent body (left), the
    # national title and motto (right), the number and symbol, the place and date.
    parent_issuer: str  # e.g. "UBND TỈNH HÀ GIANG"
    issuer: str  # e.g. "SỞ NGOẠI VỤ"
    national_title: str  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str  # "Độc lập - Tự do - Hạnh phúc"
    number: str  # "Số: 01/BC-SNV"
    place_date: str  # "Hà Giang, ngày 30 tháng 6 năm 2021" (already in the language's form)
    kind: str  # "BÁO CÁO" / "REPORT" / "报告"
    title: str  # the summary line (trích yếu)
    sections: list[Section] = field(default_factory=list)
    # Closing block: recipients (Nơi nhận) on the left, the signer on the right.
    recipients_label: str = ""
    recipients: list[str] = field(default_factory=list)
    signer_title: str = ""
    signer_name: str = ""
    # Sources cited by paragraphs: key -> full citation, printed at the end.
    sources_label: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    issued_on: datetime.date | None = None
