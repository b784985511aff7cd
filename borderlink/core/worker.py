"""The worker process (`borderlink worker`): the configured backend's own worker loop, plus a
caretaker thread that sweeps stalled jobs (core/jobs.sweep) and enqueues the day's scheduled
work (core/jobs.enqueue_due) every JOBS_SWEEP_SECONDS.

Several workers may run at once, on one machine or many: the backend hands each task to one of
them, a job's row is claimed under a lock, and a day's scheduled work is enqueued by whichever
worker first writes its ScheduledRun row.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils.crypto import get_random_string

from borderlink.core import jobs

log = logging.getLogger(__name__)


def care_once() -> list[str]:
    """One round of the caretaker: stalled jobs retried or settled, due work enqueued."""
    done: list[str] = []
    try:
        done += jobs.sweep()
        done += jobs.enqueue_due()
    except DatabaseError:
        log.warning("caretaker: database unavailable, trying again later", exc_info=True)
    for line in done:
        log.warning("caretaker: %s", line)
    return done


class Caretaker:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="jobs-caretaker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while True:
            care_once()
            connections.close_all()  # this thread's own; a database restart is survived
            if self._stop.wait(float(settings.JOBS_SWEEP_SECONDS)):
                return

    def stop(self) -> None:
        self._stop.set()


def run(*, batch: bool = False, interval: float = 1.0, caretaker: bool = True) -> None:
    """Work until stopped (SIGTERM/SIGINT finish the task at hand first); with `batch`, work
    through what is queued and return."""
    keeper = Caretaker() if caretaker and not batch else None
    if batch and caretaker:
        care_once()
    if keeper is not None:
        keeper.start()
    try:
        if settings.TASKS_BACKEND == "rq":
            _run_rq(batch)
        else:
            _run_database(batch, interval)
    finally:
        if keeper is not None:
            keeper.stop()


def _run_database(batch: bool, interval: float) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{jobs.worker_name()}:{get_random_string(6)}"[:64],
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()


def _run_rq(batch: bool) -> None:
    import django_rq

    worker: Any = django_rq.get_worker(
        "default",
        job_class="django_tasks_rq.Job",
        worker_class="borderlink.core.rq_worker.InProcessWorker",
    )
    worker.work(burst=batch, with_scheduler=True)
