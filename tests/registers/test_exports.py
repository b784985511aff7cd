"""Exports in the user's language: labelled headers, names beside codes, choice labels, typed
cells, widths, a frozen header, a sheet saying what was exported; the import reads them back."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.ledger.models import Activity
from borderlink.places.models import Unit
from borderlink.registers.columns import (
    choice_code,
    columns,
    fields_of,
    header_cells,
    header_text,
    read_header,
)
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import get_register, registers

pytestmark = pytest.mark.django_db

HOME = "VN-02-BGS-THANHTHUY"
FILTER = f"?home_unit={HOME}&occurred_on=01/01/2019&occurred_on__to=31/12/2019"


@pytest.fixture(autouse=True)
def inline_imports(settings: Settings) -> None:
    settings.IMPORTS_IN_BACKGROUND = False


@pytest.fixture
def letters() -> list[Activity]:
    """Two records of 2019 under one station: a letter and a meeting, one with a quantity."""
    home = Unit.objects.get(code=HOME)
    other = Unit.objects.get(code="CN-532624-BGS-TIANBAO")
    return [
        Activity.objects.create(
            kind="letter",
            occurred_on=datetime.date(2019, 3, 5),
            title="Thư chúc Tết",
            home_unit=home,
            counterpart=other,
            channel="letter",
            diplomacy="state",
            direction="sent",
            sensitivity=1,
            count=1,
        ),
        Activity.objects.create(
            kind="meeting",
            occurred_on=datetime.date(2019, 11, 20),
            title="Hội đàm",
            home_unit=home,
            counterpart=other,
            diplomacy="state",
            count=2,
            persons=1234,
        ),
    ]


def export(client: Client, language: str, fmt: str = "xlsx", query: str = FILTER) -> bytes:
    client.cookies["django_language"] = language
    response = client.get(f"/r/activities/{query}&export={fmt}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content


def book_sheets(content: bytes) -> tuple[Worksheet, Worksheet]:
    book = load_workbook(io.BytesIO(content))
    return book.worksheets[0], book.worksheets[1]


def header(sheet: Worksheet) -> list[str]:
    return [c.value for c in next(sheet.iter_rows(max_row=1))]


def by_title(sheet: Worksheet) -> dict[str, dict[str, object]]:
    names = header(sheet)
    rows = [dict(zip(names, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    title = header_text(columns(get_register("activities"))[4], "")
    return {str(r[title]): r for r in rows}


def expected_header(language: str) -> list[str]:
    with translation.override(language):
        return [
            header_text(c, role) for c, role in header_cells(columns(get_register("activities")))
        ]


def test_the_xlsx_speaks_the_pages_language(
    editor: User, client_of: Callable[[User], Client], letters: list[Activity]
) -> None:
    client = client_of(editor)
    for language in ("vi", "zh-hans"):
        data, _about = book_sheets(export(client, language))
        names = header(data)
        assert names == expected_header(language)
        with translation.override(language):
            kind = capfirst(Activity._meta.get_field("kind").verbose_name)
            home = capfirst(Activity._meta.get_field("home_unit").verbose_name)
            letter_label = str(Activity._meta.get_field("kind").flatchoices[1][1])
            rows = by_title_in(data, language)
            letter = rows["Thư chúc Tết"]
            assert letter[str(kind)] == dict(Activity._meta.get_field("kind").flatchoices)["letter"]
            assert letter_label  # a label, not the code
            assert letter[str(home)] == HOME  # the code, which an import reads
            name_column = names[names.index(str(home)) + 1]
            assert letter[name_column] == Unit.objects.get(code=HOME).display_name(language)[0]
            # Choices as labels: neither the code nor the stored number.
            assert letter[str(kind)] != "letter"
            sensitivity = capfirst(Activity._meta.get_field("sensitivity").verbose_name)
            assert letter[str(sensitivity)] == str(
                dict(Activity._meta.get_field("sensitivity").flatchoices)[1]
            )


def by_title_in(sheet: Worksheet, language: str) -> dict[str, dict[str, object]]:
    with translation.override(language):
        return by_title(sheet)


def test_vietnamese_and_chinese_files_differ_in_headers_and_labels(
    editor: User, client_of: Callable[[User], Client], letters: list[Activity]
) -> None:
    client = client_of(editor)
    vi, _ = book_sheets(export(client, "vi"))
    zh, _ = book_sheets(export(client, "zh-hans"))
    assert header(vi) != header(zh)
    kind_vi = [r[1].value for r in vi.iter_rows(2)]
    kind_zh = [r[1].value for r in zh.iter_rows(2)]
    assert kind_vi != kind_zh and len(kind_vi) == 2


def test_cells_are_typed_sized_and_the_header_frozen(
    editor: User, client_of: Callable[[User], Client], letters: list[Activity]
) -> None:
    client = client_of(editor)
    for language, date_format in (("vi", "dd/mm/yyyy"), ("zh-hans", "yyyy-mm-dd")):
        data, _about = book_sheets(export(client, language))
        assert data.freeze_panes == "A2"
        names = header(data)
        with translation.override(language):
            date_at = names.index(
                str(capfirst(Activity._meta.get_field("occurred_on").verbose_name))
            )
            persons_at = names.index(
                str(capfirst(Activity._meta.get_field("persons").verbose_name))
            )
        cells = {row[0].value: row for row in data.iter_rows(2)}
        meeting = cells[letters[1].pk]
        assert meeting[date_at].value == datetime.datetime(2019, 11, 20)
        assert meeting[date_at].is_date and meeting[date_at].number_format == date_format
        assert meeting[persons_at].value == 1234 and meeting[persons_at].data_type == "n"
        assert meeting[persons_at].number_format == "#,##0"
        assert meeting[0].value == letters[1].pk  # the ID, a number
        assert data["A1"].font.bold
        widths = [data.column_dimensions[c].width for c in ("B", "E", "F")]
        assert all(w and w >= 8 for w in widths)
        title_width = data.column_dimensions["E"].width
        assert title_width > data.column_dimensions["A"].width  # sized to the content


def test_the_second_sheet_says_what_was_exported(
    editor: User, client_of: Callable[[User], Client], letters: list[Activity]
) -> None:
    _data, about = book_sheets(export(client_of(editor), "en", query=FILTER + "&kind=letter"))
    with translation.override("en"):
        lines = {row[0].value: row[1].value for row in about.iter_rows()}
        assert lines["Register"] == "Activities"
        assert lines["Records"] == 1
        assert lines["Exported by"] == "t-editor"
        filters = str(lines["Filters"])
        assert HOME in filters and "Letter" in filters
        assert "05/03/2019" not in filters and "01/01/2019" in filters and "31/12/2019" in filters
        assert lines["Exported on"]


def test_csv_has_labels_in_the_header_and_iso_dates(
    editor: User, client_of: Callable[[User], Client], letters: list[Activity]
) -> None:
    text = export(client_of(editor), "vi", "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == expected_header("vi")
    with translation.override("vi"):
        date_at = rows[0].index(str(capfirst(Activity._meta.get_field("occurred_on").verbose_name)))
    assert sorted(r[date_at] for r in rows[1:]) == ["2019-03-05", "2019-11-20"]


# ---- the import reads the export back ---------------------------------------------------------


def upload(client: Client, name: str, content: bytes, language: str = "vi") -> ImportJob:
    client.cookies["django_language"] = language
    response = client.post(
        "/r/activities/import/",
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    job = ImportJob.objects.latest("pk")
    job.refresh_from_db()
    return job


@pytest.mark.parametrize(
    ("exported_in", "imported_in", "fmt"),
    [
        ("vi", "vi", "xlsx"),
        ("zh-hans", "zh-hans", "xlsx"),
        ("zh-hans", "vi", "xlsx"),
        ("vi", "en", "csv"),
    ],
)
def test_an_export_imported_unchanged_is_nothing_to_change(
    editor: User,
    client_of: Callable[[User], Client],
    letters: list[Activity],
    exported_in: str,
    imported_in: str,
    fmt: str,
) -> None:
    client = client_of(editor)
    content = export(client, exported_in, fmt)
    before = Activity.objects.count()
    job = upload(client, f"export.{fmt}", content, imported_in)
    assert job.errors == [] and job.status == ImportJob.Status.PREVIEW
    assert job.unchanged_count == 2 and job.new_rows == 0
    page = client.get(f"/r/activities/import/{job.pk}/").content.decode()
    assert 'id="import-nothing"' in page and 'id="commit-import"' not in page
    client.post(f"/r/activities/import/{job.pk}/")  # even if it is sent anyway
    assert Activity.objects.count() == before


def test_an_export_with_a_new_row_adds_only_that_row(
    editor: User, client_of: Callable[[User], Client], letters: list[Activity]
) -> None:
    client = client_of(editor)
    book = load_workbook(io.BytesIO(export(client, "vi")))
    data = book.worksheets[0]
    last = [c.value for c in list(data.iter_rows(2))[-1]]
    title_at = 4 + 1  # ID, kind, date, until, title
    new = [None, *last[1:]]
    new[title_at - 1] = "Thư mới"
    data.append(new)
    buffer = io.BytesIO()
    book.save(buffer)
    before = Activity.objects.count()
    job = upload(client, "export.xlsx", buffer.getvalue())
    assert job.errors == [] and job.unchanged_count == 2 and job.new_rows == 1
    client.post(f"/r/activities/import/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 1
    assert Activity.objects.count() == before + 1
    assert Activity.objects.filter(title="Thư mới", home_unit__code=HOME).count() == 1


def test_an_exported_row_changed_is_refused_naming_the_columns(
    editor: User, client_of: Callable[[User], Client], letters: list[Activity]
) -> None:
    client = client_of(editor)
    book = load_workbook(io.BytesIO(export(client, "en")))
    data = book.worksheets[0]
    names = header(data)
    row = next(r for r in data.iter_rows(2) if r[0].value == letters[0].pk)
    row[names.index("Title")].value = "Changed"
    buffer = io.BytesIO()
    book.save(buffer)
    before = Activity.objects.count()
    job = upload(client, "export.xlsx", buffer.getvalue(), "en")
    assert job.status == ImportJob.Status.INVALID
    [error] = job.errors
    assert error["field"] == "Title" and str(letters[0].pk) in error["message"]
    assert Activity.objects.count() == before
    assert Activity.objects.get(pk=letters[0].pk).title == "Thư chúc Tết"


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_every_registers_headers_and_labels_read_back_in_every_language(language: str) -> None:
    """What an export writes, the import reads as the same column and the same code, for every
    register: no two columns share a header, no two choices a label (in any language)."""
    for spec in registers():
        with translation.override(language):
            cells = header_cells(columns(spec))
            texts = [header_text(c, role) for c, role in cells]
            assert len(set(texts)) == len(texts), spec.slug
            for (column, role), text in zip(cells, texts, strict=True):
                assert read_header(spec, text) == (column.name, role), (spec.slug, text)
            for column in fields_of(spec):
                for code, label in column.choices():
                    assert choice_code(spec, column.name, label) == code, (spec.slug, label)
                    assert column.label_of(code) == label
