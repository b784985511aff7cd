"""Bulk import: template, preview with every row's errors, all-or-nothing commit, progress."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.ledger.models import Activity
from borderlink.registers.columns import columns
from borderlink.registers.models import ImportJob
from borderlink.registers.spec import get_register

pytestmark = pytest.mark.django_db

HEADER = (
    "kind,occurred_on,title,home_unit,counterpart,channel,diplomacy,direction,sensitivity,count"
)
GOOD = [
    "letter,2020-01-05,Thư số 1,VN-02-BGS-THANHTHUY,CN-532624-BGS-TIANBAO,letter,state,sent,1,1",
    "phone_call,2020-01-06,Điện thoại,VN-02-BGS-THANHTHUY,CN-532624-BGS-TIANBAO,phone,state,joint,1,2",
    "handover,2020-01-07,Trao trả,VN-02-BGS-THANHTHUY,CN-532624-BGS-TIANBAO,in_person,state,joint,1,1",
]


@pytest.fixture(autouse=True)
def inline_imports(settings: Settings) -> None:
    settings.IMPORTS_IN_BACKGROUND = False


def upload(client: Client, name: str, content: bytes) -> ImportJob:
    response = client.post("/r/activities/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    job = ImportJob.objects.latest("pk")
    assert client.get(response["Location"]).status_code == 200
    return job


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_the_template_has_the_registers_columns(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    """Named as the page names them (the ID first); tests/registers/test_templates.py has more."""
    with translation.override("vi"):
        labels = [c.label for c in columns(get_register("activities"))]
    client = client_of(editor)
    response = client.get("/r/activities/import/template.xlsx", HTTP_ACCEPT_LANGUAGE="vi")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows())] == labels
    response = client.get("/r/activities/import/template.csv", HTTP_ACCEPT_LANGUAGE="vi")
    assert next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == labels


def test_a_good_file_previews_then_imports_every_row(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    before = Activity.objects.count()
    job = upload(client, "log.csv", csv_bytes(HEADER, *GOOD))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and job.total == 3 and job.errors == []
    assert Activity.objects.count() == before  # nothing written by the preview
    client.post(f"/r/activities/import/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 3
    assert Activity.objects.count() == before + 3
    assert Activity.objects.filter(title="Điện thoại", count=2).exists()


def test_a_file_with_a_broken_row_names_it_and_imports_nothing(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    client = client_of(editor)
    before = Activity.objects.count()
    bad = [
        *GOOD[:2],
        "letter,2020-13-01,Bad date,VN-02-BGS-THANHTHUY,CN-532624-BGS-TIANBAO,letter,state,sent,1,1",
        "letter,2020-01-09,Same side,VN-02-BGS-THANHTHUY,VN-D030,letter,state,sent,1,-3",
    ]
    job = upload(client, "log.csv", csv_bytes(HEADER, *bad))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    rows = {(e["row"], e["field"]) for e in job.errors}
    assert (4, "occurred_on") in rows  # row 4 of the file: the header is row 1
    assert (5, "counterpart") in rows and (5, "count") in rows
    page = client.get(f"/r/activities/import/{job.pk}/").content.decode()
    assert "import-errors" in page and "commit-import" not in page
    client.post(f"/r/activities/import/{job.pk}/")  # a commit of a refused file does nothing
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert Activity.objects.count() == before


def test_a_wrong_or_missing_column_is_refused_before_any_row(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    job = upload(client_of(editor), "log.csv", csv_bytes(HEADER.replace("title", "titel"), *GOOD))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    messages = " ".join(e["message"] for e in job.errors)
    assert "titel" in messages and "title" in messages


def test_an_xlsx_file_imports_like_a_csv(editor: User, client_of: Callable[[User], Client]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for line in GOOD:
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_of(editor)
    job = upload(client, "log.xlsx", buffer.getvalue())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    client.post(f"/r/activities/import/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_a_file_that_is_not_a_table_gets_a_clear_message(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    job = upload(client_of(editor), "log.xlsx", b"not a workbook")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert "XLSX" in job.errors[0]["message"]


def test_rows_out_of_the_importers_scope_are_refused(client_of: Callable[[User], Client]) -> None:
    from borderlink.accounts.models import Membership
    from borderlink.core.roles import Role
    from borderlink.places.models import Unit

    viewer = User.objects.create_user("t-importer", password="pw-for-tests-only")
    Membership.objects.create(
        user=viewer, role=Role.FA_EDITOR, unit=Unit.objects.get(code="VN-D026")
    )
    job = upload(client_of(viewer), "log.csv", csv_bytes(HEADER, *GOOD))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert {e["field"] for e in job.errors} == {"home_unit"}


def test_the_import_formats_document_is_current() -> None:
    from pathlib import Path

    from borderlink.registers.docs import render

    document = Path(__file__).resolve().parents[2] / "docs" / "import-formats.md"
    assert document.read_text(encoding="utf-8") == render(), "run `borderlink import-formats`"


def test_a_job_whose_worker_died_is_retried_then_failed_never_waited_for(
    editor: User, client_of: Callable[[User], Client]
) -> None:
    """A job whose worker went quiet (core/jobs.py) is queued again, and after the last attempt
    failed with a reason; the page settles it at once on PostgreSQL, the workers' sweep does
    on SQLite (where a long commit's heartbeat waits for the one write lock)."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from borderlink.core import jobs

    job = ImportJob.objects.create(
        register="activities",
        user=editor,
        filename="x.csv",
        content=b"",
        status=ImportJob.Status.WRITING,
        attempts=1,
        heartbeat_at=timezone.now(),
    )
    client = client_of(editor)
    page = f"/r/activities/import/{job.pk}/"
    # Its worker is alive: the page waits.
    assert client.get(page).status_code == 200
    job.refresh_from_db()
    assert job.status == ImportJob.Status.WRITING and job.heartbeat_at is not None
    quiet = timezone.now() - datetime.timedelta(minutes=2)

    def visit_then_sweep() -> None:
        client.get(page, HTTP_ACCEPT_LANGUAGE="en")
        if connection.vendor == "postgresql":
            assert jobs.sweep() == [], "the page should have settled it already"
        else:
            jobs.sweep()
        job.refresh_from_db()

    # Its worker went quiet: queued again for another worker, not failed.
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=quiet)
    visit_then_sweep()
    assert job.status == ImportJob.Status.WRITING and job.waiting and job.task_id
    # The last attempt's worker went quiet too: failed, with the reason.
    ImportJob.objects.filter(pk=job.pk).update(attempts=3, heartbeat_at=quiet)
    visit_then_sweep()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["row"] == 0 and job.finished_at is not None
