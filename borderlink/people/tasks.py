"""Scheduled work of the people registers: the daily retention run (people/retention.py), the
same as `borderlink anonymise-people`, enqueued once a day by a worker (core/jobs.daily)."""

from __future__ import annotations

import logging

from django_tasks import task

from borderlink.core import jobs
from borderlink.people import retention

log = logging.getLogger(__name__)


@task()
def anonymise_people() -> int:
    """Returns how many records were anonymised (record numbers in the log, never identities)."""
    report = retention.anonymise()
    for line in report:
        if line.pks:
            log.info("anonymised %s: no. %s", line.label, ", ".join(map(str, line.pks)))
    return sum(len(line.pks) for line in report)


jobs.daily("anonymise-people", anonymise_people)
