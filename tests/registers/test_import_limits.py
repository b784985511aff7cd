"""Imports bounded before parsing (issue 16, item 8): what an XLSX unpacks to, rows and columns;
rows read one at a time, so memory does not grow with the file."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.registers import tabular
from borderlink.registers.models import ImportJob
from borderlink.registers.tabular import TableError, read_table


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are matched in English (the catalogues translate them on a Vietnamese page)."""
    with translation.override("en"):
        yield


Login = Callable[[User], Client]


def workbook(rows: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name_vi"])
    for i in range(rows):
        sheet.append([f"t-{i}", f"Chương trình {i}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bomb(padding: int) -> bytes:
    """A valid workbook whose sheet XML is padded with `padding` blanks: it packs a thousandfold."""
    source = zipfile.ZipFile(io.BytesIO(workbook(2)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as packed:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
            packed.writestr(info.filename, data)
    return buffer.getvalue()


@pytest.fixture
def never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(tabular, "load_workbook", refuse)


def test_a_workbook_that_unpacks_a_thousandfold_is_refused_before_parsing(
    never_parsed: None,
) -> None:
    content = bomb(40 * 1024 * 1024)
    assert len(content) < 200 * 1024  # 40 MB of sheet in a small file
    with pytest.raises(TableError, match="unpacks to 40 MB"):
        read_table("bomb.xlsx", content)


def test_a_workbook_larger_unpacked_than_the_limit_is_refused_before_parsing(
    settings: Settings, never_parsed: None
) -> None:
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    with pytest.raises(TableError, match="more than the 1 MB an import may read"):
        read_table("big.xlsx", bomb(2 * 1024 * 1024))


def test_a_good_workbook_passes_the_packing_check() -> None:
    header, rows = read_table("ok.xlsx", workbook(3))
    assert header == ["code", "name_vi"] and len(rows) == 3
    assert [r["code"] for r in rows] == ["t-0", "t-1", "t-2"]
    assert [r["code"] for r in rows] == ["t-0", "t-1", "t-2"]  # read again, the same


@pytest.mark.parametrize("name", ["many.csv", "many.xlsx"])
def test_more_rows_than_the_limit_are_refused(settings: Settings, name: str) -> None:
    settings.IMPORT_MAX_ROWS = 5
    csv = ("code,name_vi\n" + "".join(f"t-{i},x\n" for i in range(6))).encode()
    content = csv if name.endswith(".csv") else workbook(6)
    with pytest.raises(TableError, match="more than 5 rows"):
        read_table(name, content)
    settings.IMPORT_MAX_ROWS = 6
    assert len(read_table(name, content)[1]) == 6


def test_more_columns_than_the_limit_are_refused(settings: Settings) -> None:
    settings.IMPORT_MAX_COLUMNS = 10
    wide = (",".join(f"c{i}" for i in range(11)) + "\n" + "x," * 10 + "x\n").encode()
    with pytest.raises(TableError, match="more than 10 columns"):
        read_table("wide.csv", wide)


def test_rows_are_read_one_at_a_time() -> None:
    rows = 50_000
    content = "code,name_vi,name_en\n" + "".join(f"t-{i},Tên {i},Name {i}\n" for i in range(rows))
    encoded = content.encode()
    del content
    tracemalloc.start()
    try:
        _header, table = read_table("many.csv", encoded)
        seen = sum(1 for _row in table)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(table) == seen == rows
    # Holding the rows would take tens of megabytes (about 150 MB for 200,000 such rows).
    assert peak < 2 * 1024 * 1024, peak


@pytest.mark.django_db
def test_a_refused_file_is_a_clear_error_on_the_import_page(
    settings: Settings, editor: User, client_of: Login
) -> None:
    settings.IMPORTS_IN_BACKGROUND = False
    client = client_of(editor)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/r/activities/import/", {"file": SimpleUploadedFile("bomb.xlsx", bomb(40 * 1024 * 1024))}
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.INVALID
    assert "unpacks to 40 MB" in job.errors[0]["message"]
    assert "unpacks to 40 MB" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_history_written_in_batches_still_goes_with_a_failed_import(settings: Settings) -> None:
    from borderlink.core.bulk import HISTORY_BATCH
    from borderlink.core.models import ChangeRecord
    from borderlink.registers import imports
    from borderlink.ties.models import Programme

    settings.IMPORTS_IN_BACKGROUND = False
    admin = User.objects.create_superuser("t-history-batch")
    rows = HISTORY_BATCH + 5  # more rows than one batch of history: a batch is written early
    lines = ["code,name_vi", *(f"t-batch-{i},Chương trình {i}" for i in range(rows))]
    lines.append("t-batch-0,Trùng mã")  # the last row repeats the first one's code
    job = ImportJob.objects.create(
        register="programmes",
        user=admin,
        filename="p.csv",
        content=("\n".join(lines) + "\n").encode(),
        status=ImportJob.Status.WRITING,
    )
    history_before = ChangeRecord.objects.count()
    imports.commit(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not Programme.objects.filter(code__startswith="t-batch-").exists()
    assert ChangeRecord.objects.count() == history_before  # the early batch went too
