"""Rendering a report to a file: compose the Document, then hand it to a writer.

`render()` is what the command line calls; `start()` queues the same for a worker on behalf of
the web page (reports/tasks.py: the worker records progress on the job), or runs it in the
request when REPORTS_IN_BACKGROUND is off, as in tests.
"""

from __future__ import annotations

from borderlink.core import jobs
from borderlink.places.models import Unit
from borderlink.reports.compose import Progress, compose
from borderlink.reports.models import ReportJob
from borderlink.reports.writers import WRITERS
from borderlink.stats.engine import Window

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


def start(job: ReportJob) -> None:
    """Hands the job to a worker (reports/tasks.py), or renders it here and now when reports are
    not written in the background (REPORTS_IN_BACKGROUND off, or SQLite in memory)."""
    from borderlink.reports.tasks import render_report

    jobs.enqueue(job, render_report, job.pk, setting="REPORTS_IN_BACKGROUND")
