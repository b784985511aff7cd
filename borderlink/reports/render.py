"""Rendering a report to a file: compose the Document, then hand it to a writer.

`render()` is what the command line calls; `start()` runs the same in a background thread for
the web page (unless REPORTS_IN_BACKGROUND is off, as in tests) and records progress on the job.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from borderlink.places.models import Unit
from borderlink.reports.compose import Progress, compose
from borderlink.reports.models import ReportJob
from borderlink.reports.writers import WRITERS
from borderlink.stats.engine import Window

log = logging.getLogger(__name__)
FORMATS = tuple(WRITERS)


def render(
    template: str,
    unit: Unit,
    window: Window,
    lang: str,
    fmt: str,
    clearance: int,
    progress: Progress | None = None,
) -> bytes:
    document = compose(template, unit, window, lang, clearance, progress)
    return WRITERS[fmt](document)


def _memory_database() -> bool:
    """SQLite in memory is one database per connection: a thread would not see it."""
    name = str(connection.settings_dict.get("NAME", ""))
    return connection.vendor == "sqlite" and (name in ("", ":memory:") or "mode=memory" in name)


def start(job: ReportJob, clearance: int) -> None:
    def progress(percent: int, step: str) -> None:
        ReportJob.objects.filter(pk=job.pk).update(percent=min(percent, 99), step=step[:200])

    def work() -> None:
        try:
            window = Window(job.period_from, job.period_to, job.as_of)
            content = render(
                job.template, job.unit, window, job.lang, job.format, clearance, progress
            )
            ReportJob.objects.filter(pk=job.pk).update(
                content=content,
                status=ReportJob.Status.DONE,
                percent=100,
                finished_at=timezone.now(),
            )
        except Exception as exc:
            log.exception("report job %s failed", job.pk)
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportJob.Status.FAILED,
                error=str(exc)
                if isinstance(exc, ValueError)
                else _("Internal error; see the log."),
                finished_at=timezone.now(),
            )
        finally:
            if threading.current_thread() is not threading.main_thread():
                close_old_connections()

    if getattr(settings, "REPORTS_IN_BACKGROUND", True) and not _memory_database():
        threading.Thread(target=work, name=f"report-{job.pk}", daemon=True).start()
    else:
        work()
