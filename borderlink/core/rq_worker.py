"""The worker class of the RQ backend (`TASKS_BACKEND=rq`, core/worker.py)."""

from __future__ import annotations

from typing import Any

from django.db import close_old_connections
from rq.worker import SimpleWorker


class InProcessWorker(SimpleWorker):
    """Tasks run in this process, not in a forked work-horse: the caretaker thread runs beside
    them (core/worker.py), and a fork taken while that thread holds a lock (logging, the
    database driver) left the horse waiting on it for good. Connections are taken fresh for
    each task, as a request takes them."""

    def perform_job(self, job: Any, queue: Any, execution: Any) -> bool:
        close_old_connections()
        try:
            return bool(super().perform_job(job, queue, execution))
        finally:
            close_old_connections()
