"""Report rendering as a task: the worker composes and writes the file, and records progress on
the ReportJob the page polls (core/jobs.py: claim, heartbeat, retries)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from borderlink.core import jobs
from borderlink.core.permissions import clearance
from borderlink.reports.models import ReportJob
from borderlink.reports.render import render
from borderlink.stats.engine import Window

log = logging.getLogger(__name__)


@task()
def render_report(job_id: int) -> None:
    with jobs.claim(ReportJob, job_id) as job:
        if job is None:
            return

        def progress(percent: int, step: str) -> None:
            ReportJob.objects.filter(pk=job_id, attempts=job.attempts).update(
                percent=min(percent, 99), step=step[:200]
            )

        try:
            window = Window(job.period_from, job.period_to, job.as_of)
            # The clearance of the user as it is when the work is done: a role taken away while
            # the job waited is not used.
            content = render(
                job.template,
                job.unit,
                window,
                job.lang,
                job.format,
                clearance(job.user),
                progress,
            )
            with transaction.atomic():
                jobs.fence(
                    job,
                    content=content,
                    status=ReportJob.Status.DONE,
                    percent=100,
                    finished_at=timezone.now(),
                )
        except jobs.Superseded:
            log.info("report job %s: a newer attempt has it", job_id)
        except Exception as exc:
            log.exception("report job %s failed", job_id)
            give_up(
                job, str(exc) if isinstance(exc, ValueError) else _("Internal error; see the log.")
            )


def give_up(job: ReportJob, reason: str) -> None:
    ReportJob.objects.filter(
        pk=job.pk, attempts=job.attempts, status=ReportJob.Status.RUNNING
    ).update(status=ReportJob.Status.FAILED, error=reason, finished_at=timezone.now())


def _task_for(job: Any) -> Any:
    return render_report


jobs.register(
    jobs.Kind(
        model=ReportJob,
        running=(ReportJob.Status.RUNNING,),
        task_for=_task_for,
        give_up=give_up,
        interrupted=gettext_lazy(
            "Rendering was interrupted %(attempts)d times (its worker stopped); try again later."
        ),
    )
)
