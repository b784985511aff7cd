"""Document writers: each turns a `reports.document.Document` into the bytes of one file format.

The writers know nothing of indicators, templates or languages: every string arrives already
written in the `Document`. So a format is added here, in one module, without touching the
figures, and each writer is tested on a hand-made `Document` (tests/reports/test_writers.py).
"""

from __future__ import annotations

from collections.abc import Callable

from borderlink.reports.document import Document
from borderlink.reports.writers import docx, pdf, xlsx

Writer = Callable[[Document], bytes]

WRITERS: dict[str, Writer] = {
    "docx": docx.write,
    "pdf": pdf.write,
    "xlsx": xlsx.write,
}
# The MIME type to serve each format with (IANA / Office Open XML registrations).
CONTENT_TYPES: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = ["CONTENT_TYPES", "WRITERS", "Writer"]
