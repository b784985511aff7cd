"""Imports as tasks: a worker checks the file, and later commits it (core/jobs.py: claim,
heartbeat, retries). The commit is one transaction that also marks the job done
(imports.commit, jobs.fence): it happens once, however often the task runs."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from borderlink.core import jobs
from borderlink.registers import checked, imports
from borderlink.registers.models import ImportJob

log = logging.getLogger(__name__)


@task()
def check_import(job_id: int) -> None:
    _work(job_id, imports.check)


@task()
def commit_import(job_id: int) -> None:
    _work(job_id, imports.commit)


def _work(job_id: int, step: Any) -> None:
    with jobs.claim(ImportJob, job_id) as job:
        if job is None:
            return  # done, failed or gone: nothing is owed
        try:
            step(job)
        except jobs.Superseded:
            log.info("import job %s: a newer attempt has it", job_id)
        except Exception:
            log.exception("import job %s failed", job_id)
            give_up(job, _("The import stopped on an internal error; nothing was imported."))


def give_up(job: ImportJob, reason: str) -> None:
    ImportJob.objects.filter(pk=job.pk, attempts=job.attempts, status__in=RUNNING).update(
        status=ImportJob.Status.FAILED,
        errors=[{"row": 0, "field": "", "message": reason}],
        finished_at=timezone.now(),
    )


RUNNING = (ImportJob.Status.CHECKING, ImportJob.Status.WRITING)


def _task_for(job: ImportJob) -> Any:
    return commit_import if job.status == ImportJob.Status.WRITING else check_import


jobs.register(
    jobs.Kind(
        model=ImportJob,
        running=RUNNING,
        task_for=_task_for,
        give_up=give_up,
        interrupted=gettext_lazy(
            "The import was interrupted %(attempts)d times (its worker stopped); "
            "nothing was imported."
        ),
    )
)


@task()
def forget_kept_batches() -> int:
    """The rows a check kept for its commit (registers/checked.py), once no commit can use
    them: they hold what the file held, so they go as soon as they are of no use."""
    return checked.forget_unusable()


jobs.daily("forget-kept-import-batches", forget_kept_batches)
