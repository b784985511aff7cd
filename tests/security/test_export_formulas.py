"""Formula injection (issue 16, item 6): no exported cell is a live formula, in CSV or XLSX, from
any writer; numbers and dates keep their kind; an exported file imports as the same records."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.core.context import acting_as
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers.models import ImportJob
from borderlink.registers.tabular import (
    formula_safe,
    formula_unsafe,
    read_table,
    write_csv,
    write_xlsx,
)
from borderlink.reports.document import Document, Paragraph, Section, Table
from borderlink.reports.writers import xlsx as report_xlsx

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
FORMULA = '=HYPERLINK("http://x","zqxinert")'
DANGEROUS = [FORMULA, "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


@pytest.fixture(autouse=True)
def inline_imports(settings: Settings) -> None:
    settings.IMPORTS_IN_BACKGROUND = False


def test_every_formula_start_is_neutralised_and_comes_back_unchanged() -> None:
    for text in DANGEROUS:
        assert formula_safe(text) == "'" + text
    for text in ["-5", "+3.25", "1e3", "-0.5", "plain", "", "'abc", "'"]:
        assert formula_safe(text) == text  # plain numbers, plain text: as they are
    for text in ["'=x", "''", "'-x"]:
        assert formula_safe(text) == "'" + text  # else the importer would take one off
    for text in [*DANGEROUS, "'=x", "''", "'", "'abc", "'-x", "plain", "-5", "+3.25", ""]:
        assert formula_unsafe(formula_safe(text)) == text, text


def test_a_csv_cell_is_text_and_a_number_stays_a_number() -> None:
    rows = [[text, -5, Decimal("-5.50"), 2.5, datetime.date(2024, 1, 2)] for text in DANGEROUS]
    body = write_csv(["a", "b", "c", "d", "e"], rows).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(body, newline="")))
    for text, line in zip(DANGEROUS, parsed[1:], strict=True):
        assert line[0] == "'" + text  # the apostrophe: a spreadsheet shows the rest as text
        assert line[1:] == ["-5", "-5.50", "2.5", "2024-01-02"]
    raw = body.splitlines()[1]
    assert ',-5,"-5.50",2.5,' in raw  # numbers unquoted and unmarked; text always quoted
    _header, back = read_table("x.csv", body.encode())
    # The importer strips the blanks round every value, as the forms do.
    assert [row["a"] for row in back] == [text.strip() for text in DANGEROUS]
    assert {row["b"] for row in back} == {"-5"}


def test_an_xlsx_cell_is_a_string_never_a_formula_and_numbers_and_dates_keep_their_kind() -> None:
    rows = [[text, -5, Decimal("-5.5"), datetime.date(2024, 1, 2)] for text in DANGEROUS]
    book = load_workbook(io.BytesIO(write_xlsx("t", ["a", "b", "c", "d"], rows)))
    sheet = book.worksheets[0]
    for text, cells in zip(DANGEROUS, list(sheet.iter_rows())[1:], strict=True):
        title, number, decimal, day = cells
        assert title.data_type == "s" and title.value == text and title.quotePrefix
        assert number.data_type == "n" and number.value == -5
        assert decimal.data_type == "n" and decimal.value == -5.5
        assert day.is_date and day.value == datetime.datetime(2024, 1, 2)


def test_the_reports_workbook_writes_text_the_same_way() -> None:
    doc = Document(
        lang="en",
        parent_issuer="",
        issuer="",
        national_title="",
        motto="",
        number="",
        place_date="",
        kind="Report",
        title=FORMULA,
        sections=[
            Section(
                heading="@heading",
                blocks=[
                    Paragraph(text="-2+3+cmd|' /C calc'!A0"),
                    Table(columns=["=name", "n"], rows=[["=1+1", "-5"]], numeric=[False, True]),
                ],
            )
        ],
    )
    book = load_workbook(io.BytesIO(report_xlsx.write(doc)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value: c for c in cells if c.data_type == "s"}
    assert texts[FORMULA].quotePrefix and texts["=1+1"].quotePrefix
    assert [c.value for c in cells if c.data_type == "n"] == [-5]


def test_a_record_titled_as_a_formula_exports_inert_and_imports_back_the_same(
    editor: User, client_of: Login
) -> None:
    with acting_as(None, reason="test"):
        record = Activity.objects.create(
            kind="letter",
            occurred_on=datetime.date(2020, 1, 5),
            title=FORMULA,
            home_unit=Unit.objects.get(code="VN-02-BGS-THANHTHUY"),
            counterpart=Unit.objects.get(code="CN-532624-BGS-TIANBAO"),
            channel="letter",
            diplomacy="state",
            direction="sent",
            count=3,
        )
    client = client_of(editor)
    exported = {}
    for fmt in ("csv", "xlsx"):
        # Keyed by field name (`columns=codes`); tests/registers/test_exports.py reads the
        # labelled file people download, back through the import the same way.
        response = client.get(
            "/r/activities/", {"q": "zqxinert", "export": fmt, "columns": "codes"}
        )
        assert response.status_code == 200
        exported[fmt] = response.content
    rows = list(csv.DictReader(io.StringIO(exported["csv"].decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["'" + FORMULA]
    sheet = load_workbook(io.BytesIO(exported["xlsx"])).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows())]
    title = list(sheet.iter_rows())[1][header.index("title")]
    assert title.data_type == "s" and title.value == FORMULA
    count = list(sheet.iter_rows())[1][header.index("count")]
    assert count.data_type == "n" and count.value == 3

    for fmt, content in exported.items():
        with acting_as(None, reason="test"):
            Activity.objects.filter(title=FORMULA).delete()
        client.post("/r/activities/import/", {"file": SimpleUploadedFile(f"back.{fmt}", content)})
        job = ImportJob.objects.latest("pk")
        assert job.status == ImportJob.Status.PREVIEW, job.errors
        client.post(f"/r/activities/import/{job.pk}/")
        back = Activity.objects.get(title=FORMULA)
        assert (back.occurred_on, back.count, back.kind) == (
            record.occurred_on,
            record.count,
            record.kind,
        ), fmt
