"""Scheduled work of the statistics engine: the rollup is kept in step with the ledger in each
saving transaction (stats/rollup.py); once a day a worker checks it and rebuilds it should
anything have drifted (a write outside the application, a restored backup), as
`borderlink stats-rebuild --check` then `borderlink stats-rebuild` would."""

from __future__ import annotations

import logging

from django_tasks import task

from borderlink.core import jobs
from borderlink.stats import rollup

log = logging.getLogger(__name__)


@task()
def check_rollup() -> int:
    """Returns the number of rollup rows that differed from the ledger (rebuilt if any)."""
    differences = len(rollup.differences())
    if differences:
        log.warning("rollup: %s rows differ from the ledger; rebuilding", differences)
        rollup.rebuild()
    return differences


jobs.daily("rollup-check", check_rollup)
