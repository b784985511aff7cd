"""The write of an import is one transaction; on PostgreSQL its progress is still seen by the
page polling the job (registers/progress.py), and the count never outlives the job's end."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from borderlink.accounts.models import User
from borderlink.registers.models import ImportJob
from borderlink.registers.progress import SideProgress

pytestmark = pytest.mark.django_db(transaction=True)


def polled(job_id: int) -> int:
    """What the polling page reads: another connection, outside the import's transaction."""
    seen: list[int] = []

    def read() -> None:
        try:
            seen.append(ImportJob.objects.get(pk=job_id).processed)
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen[0]


def test_the_count_of_rows_written_is_seen_while_the_transaction_is_open() -> None:
    user = User.objects.create_user("t-progress")
    job = ImportJob.objects.create(
        register="activities", user=user, filename="x.csv", content=b"", status="writing"
    )
    with transaction.atomic():
        User.objects.create_user("t-written-in-the-import")  # not seen until the commit
        progress = SideProgress(job.pk)
        if connection.vendor != "postgresql":
            # SQLite has one writer at a time: no second writer, the page shows no count.
            assert progress._thread is None
            progress.report(400)
            progress.close()
            return
        progress.report(200)
        progress.report(400)
        progress.close()
        progress.close()  # twice is harmless
        assert polled(job.pk) == 400
        transaction.set_rollback(True)
    job.refresh_from_db()
    assert job.processed == 400
    assert not User.objects.filter(username="t-written-in-the-import").exists()


def test_a_busy_row_never_holds_the_import_up() -> None:
    user = User.objects.create_user("t-progress-busy")
    job = ImportJob.objects.create(
        register="activities", user=user, filename="x.csv", content=b"", status="writing"
    )
    with transaction.atomic():
        ImportJob.objects.select_for_update().get(pk=job.pk)  # the row is locked
        progress = SideProgress(job.pk)
        assert (progress._thread is not None) == (connection.vendor == "postgresql")
        progress.report(300)
        progress.close()  # returns once the writer gives up (lock_timeout), not never
    job.refresh_from_db()
    assert job.processed == 0
