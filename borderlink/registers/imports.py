"""Bulk import: every row is checked by the register's own form before anything is written, and
the write is one transaction — a file with one bad row imports nothing.

Checking and writing are tasks a worker runs (registers/tasks.py, core/jobs.py); the page polls
the job's progress.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.core import jobs
from borderlink.core.bulk import bulk_mode
from borderlink.core.context import acting_as
from borderlink.registers import checked, columns, write
from borderlink.registers.blob import StoredBytes
from borderlink.registers.bulk_write import RowChecker, RowWriter, batches
from borderlink.registers.models import ImportChunk, ImportJob
from borderlink.registers.progress import SideProgress
from borderlink.registers.reimport import Matched
from borderlink.registers.spec import Register, get_register
from borderlink.registers.tabular import TableError, read_table

log = logging.getLogger(__name__)


def header_errors(spec: Register, header: list[str]) -> list[dict[str, Any]]:
    """Row-1 errors: headers are read as labels in any language or codes (registers/columns.py)."""
    return columns.header_errors(spec, header)


def check_row(
    spec: Register, user: Any, row: dict[str, str], number: int
) -> tuple[Any, list[dict[str, Any]]]:
    """The bound form for a row and its errors (with the row number as the spreadsheet shows it),
    checked as a page or the API would check the record (registers/write.py)."""
    outcome = write.check(spec, user, row, action="import")
    return outcome.form, _row_errors(outcome, number)


def _row_errors(outcome: write.Outcome, number: int) -> list[dict[str, Any]]:
    return [
        {"row": number, "field": field if field != "__all__" else "", "message": message}
        for field, messages in outcome.errors.items()
        for message in messages
    ]


def _save(job: ImportJob, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def check(job: ImportJob) -> None:
    spec = get_register(job.register)
    began = timezone.now()
    _save(job, check_basis={})
    try:
        header, rows = read_table(job.filename, StoredBytes(ImportJob, job.pk))
    except TableError as error:
        _save(
            job,
            status=ImportJob.Status.INVALID,
            errors=[{"row": 0, "field": "", "message": str(error)}],
            finished_at=timezone.now(),
        )
        return
    errors = header_errors(spec, header)
    _save(job, total=len(rows), processed=0)
    unchanged = 0
    basis: dict[str, Any] = {}
    if not errors:
        # Labels or codes in, field names and codes out; an export's rows that are their
        # records as they stand are skipped (registers/columns.py, registers/reimport.py).
        matched = Matched(spec, job.user, columns.MachineRows(spec, header, rows))
        # What the form makes of each row is kept for the commit (registers/checked.py).
        keeper = checked.Keeper(job, spec) if checked.keeps(spec) else None
        with bulk_mode():
            checker = RowChecker(spec, job.user)
            for batch in batches(matched.numbered()):  # (row number in the file, row)
                checker.prefetch(row for _number, row in batch)
                for number, row in batch:
                    outcome = checker.check(row)
                    if not outcome.ok:
                        errors.extend(_row_errors(outcome, number))
                    elif keeper is not None and not errors:
                        keeper.add(number, outcome.form)
                if keeper is not None:
                    keeper.drop() if errors else keeper.close_batch()
                _save(job, processed=batch[-1][0] - 1)
        errors = sorted([*errors, *matched.errors], key=lambda e: e["row"])
        unchanged = matched.unchanged
        if keeper is not None:
            if errors:
                keeper.drop()
            else:
                basis = checked.basis(
                    job,
                    spec,
                    checker.form,
                    began=began,
                    chunks=keeper.number,
                    matched=matched.unchanged > 0,
                )
    status = ImportJob.Status.INVALID if errors else ImportJob.Status.PREVIEW
    _save(
        job,
        status=status,
        errors=errors[:1000],
        processed=len(rows),
        unchanged_count=unchanged,
        check_basis=basis,
        finished_at=timezone.now(),
    )


def commit(job: ImportJob) -> None:
    """The rows written in batches, in one transaction: the records the check kept, while what
    it rested on holds (registers/checked.py); otherwise every row checked again in batches
    (the records it names may have changed since the preview). The first row refused, or a
    conflict the database finds, and nothing is kept."""
    spec = get_register(job.register)
    _save(job, status=ImportJob.Status.WRITING, processed=0)
    errors: list[dict[str, Any]] = []
    written = False
    try:
        with transaction.atomic():
            if checked.still_holds(job):
                _write_kept(job, spec, errors)
                written = True
            ImportChunk.objects.filter(job=job).delete()  # with the rows, or as stale
    except _Rollback:
        _save(job, status=ImportJob.Status.FAILED, errors=errors, finished_at=timezone.now())
        ImportChunk.objects.filter(job=job).delete()
        _forget_personal_data(spec, job)
        return
    if written:
        _forget_personal_data(spec, job)
    else:
        _check_and_write(job, spec)


def _write_kept(job: ImportJob, spec: Register, errors: list[dict[str, Any]]) -> None:
    """Write what the check kept, without binding a form again: inside the commit's
    transaction, whose `still_holds` found what the check rested on unchanged."""
    progress = SideProgress(job.pk)
    try:
        with acting_as(job.user, reason=f"import {job.filename}"), bulk_mode():
            writer = RowWriter(spec)
            done = 0
            for batch in checked.kept(job, spec):
                progress.report(done)
                for _number, record, links in batch:
                    writer.add_record(record, links)
                try:
                    writer.flush()
                except IntegrityError as error:
                    errors.append(_conflict(batch[0][0], error))
                    raise _Rollback from error
                done += len(batch)
            progress.report(done)
            progress.close()  # its last count before the job's final state
            jobs.fence(
                job,
                status=ImportJob.Status.DONE,
                processed=job.total,
                created_count=writer.written,
                finished_at=timezone.now(),
            )
    finally:
        progress.close()


def _check_and_write(job: ImportJob, spec: Register) -> None:
    """The commit that checks every row again, in batches, as it writes them."""
    header, rows = read_table(job.filename, StoredBytes(ImportJob, job.pk))
    matched = Matched(spec, job.user, columns.MachineRows(spec, header, rows))
    errors: list[dict[str, Any]] = []
    progress = SideProgress(job.pk)
    try:
        with (
            transaction.atomic(),
            acting_as(job.user, reason=f"import {job.filename}"),
            bulk_mode(),
        ):
            checker = RowChecker(spec, job.user)
            writer = RowWriter(spec)
            for batch in batches(matched.numbered()):  # (row number in the file, row)
                progress.report(batch[0][0] - 2)
                checker.prefetch(row for _number, row in batch)
                for number, row in batch:
                    try:
                        # A database error aborts the transaction: nothing is kept.
                        outcome = checker.check(row)
                        if outcome.ok:
                            writer.add(outcome.form)
                    except IntegrityError as error:
                        errors.append(_conflict(number, error))
                        break
                    if not outcome.ok:
                        errors.extend(_row_errors(outcome, number))
                        break
                if errors:
                    raise _Rollback
                try:
                    writer.flush()
                except IntegrityError as error:
                    # Written together, the batch's rows share the database's answer: the first
                    # row of the batch is named, the message says which value conflicts.
                    errors.append(_conflict(batch[0][0], error))
                    raise _Rollback from error
            if matched.errors:  # a record changed since the check
                errors.extend(matched.errors)
                raise _Rollback
            progress.report(len(rows))
            progress.close()  # its last count before the job's final state
            # The job is marked done in the rows' own transaction, and only while this attempt
            # holds it (core/jobs.fence): a commit killed mid-way leaves neither rows nor "done",
            # and a retry of a committed job finds it done and writes nothing.
            jobs.fence(
                job,
                status=ImportJob.Status.DONE,
                processed=len(rows),
                created_count=writer.written,
                unchanged_count=matched.unchanged,
                finished_at=timezone.now(),
            )
    except _Rollback:
        progress.close()  # its last count before the job's final state
        _save(job, status=ImportJob.Status.FAILED, errors=errors, finished_at=timezone.now())
        _forget_personal_data(spec, job)
        return
    finally:
        progress.close()
    _forget_personal_data(spec, job)


def _conflict(number: int, error: IntegrityError) -> dict[str, Any]:
    return {
        "row": number,
        "field": "",
        "message": _("Conflicts with an existing record: %(error)s") % {"error": error},
    }


def _forget_personal_data(spec: Any, job: ImportJob) -> None:
    if spec.personal is not None:  # the uploaded file holds identities in clear: not kept
        _save(job, content=b"")


class _Rollback(Exception):
    pass


def settle_interrupted(job: ImportJob) -> ImportJob:
    """The job as its page should show it: one whose worker died is retried (or failed) at
    once, without waiting for a worker's sweep (core/jobs.py)."""
    return jobs.settle_stalled(job)


def run(job_id: int, step: str, language: str) -> None:
    """Queue `check` or `commit` of a job for a worker (registers/tasks.py), or run it here
    when IMPORTS_IN_BACKGROUND is off or the database is SQLite in memory."""
    from borderlink.registers.tasks import check_import, commit_import

    job = ImportJob.objects.get(pk=job_id)
    job.language = language
    ImportJob.objects.filter(pk=job_id).update(language=language)
    task = check_import if step == "check" else commit_import
    jobs.enqueue(job, task, job_id, setting="IMPORTS_IN_BACKGROUND")
