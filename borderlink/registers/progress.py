"""The progress of a write that is one transaction, told from outside it.

An import writes all its rows in one transaction (all or nothing), so a count written on the
same connection would stay invisible to the page polling it until the end. On PostgreSQL a
second connection, held by a small thread, writes the count as the write goes; it touches only
the job's row, which the import's transaction never locks. SQLite allows one writer at a time,
so there the page says "Writing" without a count until the end.
"""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, connection, connections, transaction

from borderlink.registers.models import ImportJob

log = logging.getLogger(__name__)
LOCK_TIMEOUT_MS = 2000


class SideProgress:
    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._latest: int | None = None
        self._closing = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        if connection.vendor == "postgresql":
            self._thread = threading.Thread(
                target=self._run, name=f"import-progress-{job_id}", daemon=True
            )
            self._thread.start()

    def report(self, processed: int) -> None:
        if self._thread is None:
            return
        with self._changed:
            self._latest = processed
            self._changed.notify()

    def close(self) -> None:
        """Stops the writer after its last count; the job's final state is written after this."""
        if self._thread is None or not self._thread.is_alive():
            return
        with self._changed:
            self._closing = True
            self._changed.notify()
        self._thread.join()

    def _run(self) -> None:
        try:
            while True:
                with self._changed:
                    self._changed.wait_for(lambda: self._latest is not None or self._closing)
                    latest, self._latest = self._latest, None
                    closing = self._closing
                if latest is not None:
                    self._write(latest)
                if closing:
                    return
        finally:
            connections.close_all()

    def _write(self, processed: int) -> None:
        """This thread's own connection: committed at once, so the polling page sees it. The
        count is a courtesy: should the row be locked, it waits a moment, then gives up rather
        than hold the import up."""
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'")
                ImportJob.objects.filter(pk=self.job_id).update(processed=processed)
        except DatabaseError:
            log.info("import %s: progress not written (row busy)", self.job_id)
