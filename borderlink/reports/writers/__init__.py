"""Document writers: each turns a reports.document.Document into the bytes of one file format."""

from __future__ import annotations

from collections.abc import Callable

from borderlink.reports.document import Document
from borderlink.reports.writers import docx, pdf, xlsx

WRITERS: dict[str, Callable[[Document], bytes]] = {
    "docx": docx.write,
    "pdf": pdf.write,
    "xlsx": xlsx.write,
}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
