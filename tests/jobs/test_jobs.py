"""The job machinery in one process (core/jobs.py): queueing through the database backend, the
claim and its fence, the sweep that retries or fails a job whose worker went quiet, the day's
scheduled work enqueued once. Worker processes killed for real: test_worker_process.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from borderlink.accounts.models import User
from borderlink.core import jobs
from borderlink.core.jobs import ScheduledRun
from borderlink.ledger.models import Activity
from borderlink.registers import tasks as import_tasks
from borderlink.registers.models import ImportJob
from borderlink.reports.models import ReportJob
from tests.safety.crash_worker import csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def worker_keeps_the_tests_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database worker recycles its connection between tasks; in-process, inside the test's
    transaction, that would close the test's own."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def import_job(user: User, tag: str, rows: int = 3, **fields: object) -> ImportJob:
    values: dict[str, object] = {
        "register": "activities",
        "user": user,
        "filename": f"{tag}.csv",
        "content": csv_rows(tag, rows),
        "status": ImportJob.Status.WRITING,
        "total": rows,
        **fields,
    }
    return ImportJob.objects.create(**values)


def imported(tag: str) -> int:
    return Activity.objects.filter(title__startswith=f"crash {tag} #").count()


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def test_a_report_asked_for_on_the_page_is_queued_then_rendered_by_a_worker(
    editor: User, client_of: Callable[[User], Client], settings: Settings
) -> None:
    settings.REPORTS_IN_BACKGROUND = True
    client = client_of(editor)
    data = {
        "template": "foreign-relations",
        "unit": "VN-P02",
        "period_from": "2020-01-01",
        "period_to": "2020-12-31",
        "lang": "en",
        "format": "xlsx",
    }
    response = client.post("/reports/", data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    job = ReportJob.objects.latest("pk")
    if jobs.memory_database():
        # SQLite in memory: no worker could see the job, so it was rendered in the request.
        assert job.status == ReportJob.Status.DONE and job.attempts == 1
        return
    assert job.status == ReportJob.Status.RUNNING and job.waiting
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    with translation.override("en"):
        page = client.get(f"/reports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for a worker to begin." in page
    call_command("worker", "--batch")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.attempts == 1 and job.content and job.worker
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_an_uploaded_file_waits_for_a_worker_and_its_page_says_so(
    editor: User, client_of: Callable[[User], Client], settings: Settings
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.IMPORTS_IN_BACKGROUND = True
    client = client_of(editor)
    upload = SimpleUploadedFile("queued.csv", csv_rows("queued", 3))
    response = client.post("/r/activities/import/", {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    if jobs.memory_database():
        assert job.status == ImportJob.Status.PREVIEW  # checked in the request
        return
    assert job.status == ImportJob.Status.CHECKING and job.waiting
    with translation.override("en"):
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for a worker to begin." in page
    call_command("worker", "--batch", "--no-caretaker")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and not job.waiting, job.errors


def test_each_step_counts_its_own_attempts(editor: User, settings: Settings) -> None:
    from borderlink.registers import imports

    settings.IMPORTS_IN_BACKGROUND = False

    job = import_job(editor, "steps", status=ImportJob.Status.CHECKING)
    imports.run(job.pk, "check", "en")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and job.attempts == 1
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.WRITING)
    imports.run(job.pk, "commit", "en")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 1
    assert imported("steps") == 3 and job.language == "en"


def test_a_committed_import_run_again_writes_nothing(editor: User) -> None:
    job = import_job(editor, "once")
    import_tasks.commit_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 1
    assert imported("once") == 3
    import_tasks.commit_import.call(job.pk)  # a duplicate delivery of the task
    job.refresh_from_db()
    assert imported("once") == 3 and job.attempts == 1


def test_an_attempt_overtaken_by_a_newer_one_rolls_its_effect_back(editor: User) -> None:
    job = import_job(editor, "fenced")
    with jobs.claim(ImportJob, job.pk, beat=False) as mine:
        assert mine is not None and mine.attempts == 1
        # The sweep thought this worker dead and a second attempt claimed the job.
        ImportJob.objects.filter(pk=job.pk).update(attempts=2)
        with pytest.raises(jobs.Superseded), transaction.atomic():
            User.objects.create_user("t-fenced-effect")  # the effect, in the job's transaction
            jobs.fence(mine, status=ImportJob.Status.DONE)
    assert not User.objects.filter(username="t-fenced-effect").exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.WRITING


def test_a_job_whose_worker_went_quiet_is_queued_again(editor: User) -> None:
    job = import_job(editor, "quiet", attempts=1, heartbeat_at=ago(120), worker="gone:1")
    busy = import_job(editor, "busy", attempts=1, heartbeat_at=ago(1), worker="here:2")
    done = jobs.sweep()
    assert [line.split(":")[0] for line in done] == [f"registers.ImportJob {job.pk}"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.WRITING and job.waiting and job.attempts == 1
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "READY" and task.task_path.endswith("registers.tasks.commit_import")
    busy.refresh_from_db()
    assert busy.heartbeat_at is not None and not busy.task_id
    # Queued and waiting for a worker: not stalled, however long it waits.
    ImportJob.objects.filter(pk=busy.pk).update(status=ImportJob.Status.DONE)
    assert jobs.sweep(timezone.now() + datetime.timedelta(hours=1)) == []
    if not jobs.memory_database():
        call_command("worker", "--batch", "--no-caretaker")
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE and job.attempts == 2
        assert imported("quiet") == 3


def test_a_job_whose_task_was_lost_before_any_worker_began_it_is_queued_again(
    editor: User,
) -> None:
    job = import_job(editor, "lost", status=ImportJob.Status.CHECKING, queued_at=ago(120))
    assert len(jobs.sweep()) == 1
    job.refresh_from_db()
    assert DBTaskResult.objects.get(id=job.task_id).task_path.endswith("check_import")


def test_a_task_begun_by_a_worker_that_has_not_claimed_its_job_yet_is_not_lost(
    editor: User,
) -> None:
    """An RQ worker forks for the task and the child is still starting (or waiting for
    SQLite's write lock) when the job has been queued longer than the dead-after period: that
    is no dead worker. Begun and never claimed for three periods, it is."""
    job = import_job(editor, "begun", attempts=0, heartbeat_at=None)
    jobs.sweep()  # queued (it has no task yet): the sweep gives it one
    job.refresh_from_db()
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    dead = jobs.dead_after()
    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - 2 * dead)
    assert jobs.sweep() == []
    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - 4 * dead)
    assert len(jobs.sweep()) == 1


def test_after_the_last_attempt_the_job_fails_with_a_reason_in_its_language(
    editor: User,
) -> None:
    job = import_job(editor, "dead", attempts=3, heartbeat_at=ago(120), language="en", task_id="x")
    report = ReportJob.objects.create(
        user=editor,
        template="foreign-relations",
        unit=editor.memberships.get().unit,
        period_to=datetime.date(2020, 12, 31),
        as_of=datetime.date(2020, 12, 31),
        lang="en",
        format="pdf",
        status=ReportJob.Status.RUNNING,
        attempts=3,
        heartbeat_at=ago(120),
        language="vi",
    )
    with translation.override("zh-hans"):
        assert len(jobs.sweep()) == 2
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at
    assert job.errors[0]["message"] == (
        "The import was interrupted 3 times (its worker stopped); nothing was imported."
    )
    report.refresh_from_db()
    assert report.status == ReportJob.Status.FAILED
    with translation.override("vi"):
        assert report.error == str(jobs.kind_of(ReportJob).interrupted) % {"attempts": 3}
    assert jobs.sweep() == []


def test_the_days_scheduled_work_is_enqueued_once(settings: Settings) -> None:
    settings.JOBS_NIGHTLY_HOUR = 2
    night = timezone.make_aware(datetime.datetime(2026, 3, 1, 1, 0))
    assert jobs.enqueue_due(night) == []
    morning = night + datetime.timedelta(hours=2)
    first = jobs.enqueue_due(morning)
    assert {line.split(":")[0] for line in first} >= {"anonymise-people", "rollup-check"}
    assert jobs.enqueue_due(morning + datetime.timedelta(hours=5)) == []
    runs = ScheduledRun.objects.filter(day=datetime.date(2026, 3, 1))
    assert runs.count() == len(first)
    assert all(DBTaskResult.objects.filter(id=run.task_id).exists() for run in runs)
    assert len(jobs.enqueue_due(morning + datetime.timedelta(days=1))) == len(first)


def test_jobs_run_inline_where_no_worker_could_see_them(settings: Settings) -> None:
    settings.IMPORTS_IN_BACKGROUND = True
    assert jobs.inline("IMPORTS_IN_BACKGROUND") == (
        connection.vendor == "sqlite" and jobs.memory_database()
    )
    settings.IMPORTS_IN_BACKGROUND = False
    assert jobs.inline("IMPORTS_IN_BACKGROUND")
