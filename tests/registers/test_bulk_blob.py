"""An import reads its file from the database in pieces (registers/blob.py), never whole."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from borderlink.accounts.models import User
from borderlink.registers import blob
from borderlink.registers.models import ImportJob
from borderlink.registers.tabular import read_table

pytestmark = pytest.mark.django_db

HEADER = "kind,occurred_on,title,home_unit,counterpart,channel,diplomacy,direction,sensitivity"
ROW = "letter,2020-01-05,Thư số {i},VN-02-BGS-THANHTHUY,CN-532624-BGS-TIANBAO,letter,state,sent,1"


def stored(name: str, content: bytes) -> ImportJob:
    user = User.objects.create_user(f"t-blob-{name}")
    return ImportJob.objects.create(
        register="activities", user=user, filename=name, content=content, status="checking"
    )


def test_a_csv_read_in_pieces_gives_the_rows_read_whole(monkeypatch: Any) -> None:
    content = ("\n".join([HEADER, *(ROW.format(i=i) for i in range(300))]) + "\n").encode()
    job = stored("log.csv", content)
    monkeypatch.setattr(blob, "PIECE", 1000)  # a piece ends inside a row, inside a letter
    pieces = blob.StoredBytes(ImportJob, job.pk)
    assert len(pieces) == len(content)
    with pieces.open() as opened:
        assert opened.read() == content
    with CaptureQueriesContext(connection) as captured:
        header, rows = read_table("log.csv", pieces)
        got = list(rows)
    assert (header, got) == (
        read_table("log.csv", content)[0],
        list(read_table("log.csv", content)[1]),
    )
    assert got[299]["title"] == "Thư số 299"
    # Two passes (count, rows), a piece per query: the file was never fetched whole.
    assert len(captured.captured_queries) >= 2 * len(content) // 1000


def test_an_xlsx_read_in_pieces_seeks_like_a_file(monkeypatch: Any) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for i in range(50):
        sheet.append(ROW.format(i=i).split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    job = stored("log.xlsx", buffer.getvalue())
    monkeypatch.setattr(blob, "PIECE", 4096)
    header, rows = read_table("log.xlsx", blob.StoredBytes(ImportJob, job.pk))
    assert header == HEADER.split(",") and [r["title"] for r in rows][-1] == "Thư số 49"


def test_jobs_are_read_without_their_file() -> None:
    job = stored("log.csv", b"x" * 10_000)
    loaded = ImportJob.objects.get(pk=job.pk)
    assert "content" in loaded.get_deferred_fields()
    assert bytes(loaded.content) == b"x" * 10_000  # still there when asked for
