"""Background jobs: work a page asks for and a worker process does (imports, report rendering,
scheduled work), through Django's tasks API (the `django_tasks` backport of Django 6's
`django.tasks`).

A job is a row of the asking app's own model (`registers.ImportJob`, `reports.ReportJob`) that
derives from `Job`; the task the backend carries names the row. The row, not the task, is what
the page polls and what decides whether work is still owed:

- `enqueue(job, task, *args)` hands the task to the configured backend (TASKS_BACKEND: the
  database, or RQ on Redis), or runs it here and now when jobs run inline (a setting off, or
  SQLite in memory, which another process cannot see).
- `claim(model, pk)` (a context manager, at the start of every task) takes the job for this
  attempt: `attempts` goes up by one, the worker's name is written, and a thread writes
  `heartbeat_at` every JOBS_HEARTBEAT_SECONDS while the work runs. A job that is no longer
  running (done, failed, or taken over by a newer attempt) is not claimed: re-running a finished
  job does nothing.
- `fence(job)` is the check an effect makes inside its own transaction: the job is still this
  attempt's. Where a worker was wrongly presumed dead and a second attempt began, the older one
  rolls back instead of writing twice.
- `sweep()` (run by `borderlink worker` every JOBS_SWEEP_SECONDS) finds jobs whose heartbeat is
  older than JOBS_DEAD_AFTER_SECONDS (their worker was killed, or lost its machine) and jobs
  whose task was lost before any worker began it, and enqueues them again, or after
  JOBS_MAX_ATTEMPTS attempts settles them as failed with a translated reason. With the defaults
  (10 s, 30 s, 15 s) a dead worker's job moves again within a minute.

Each app says what its jobs are with `register(Kind(...))` in its `tasks.py`, found at start-up
like the registers; `daily(name, task)` declares work the worker enqueues once a day.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_tasks import TaskResultStatus, task_backends
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

log = logging.getLogger(__name__)


class Job(models.Model):
    """What every background job row carries besides its own status and results."""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # host:pid of the process working on it, for the operator reading the table.
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    # The tasks API's id for the task last enqueued for this job.
    task_id = models.CharField(max_length=64, blank=True)
    # The language of the person who asked: the worker writes messages in it.
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        abstract = True

    @property
    def waiting(self) -> bool:
        """Queued, no worker has begun it yet (a page says "waiting for a worker")."""
        return self.heartbeat_at is None and not self.finished

    @property
    def finished(self) -> bool:  # each job model says which of its statuses are final
        raise NotImplementedError


J = TypeVar("J", bound=Job)


@dataclass(frozen=True)
class Kind:
    """One model of jobs: which statuses mean "a worker owes work on it", which task does that
    work for a job in a given status, and how a job that cannot be retried any more is settled
    (`give_up(job, reason)` writes the failure in the job's own fields)."""

    model: type[Job]
    running: tuple[str, ...]
    task_for: Callable[[Any], Task]
    give_up: Callable[[Any, str], None]
    # The reason given up with, formatted with %(attempts)d, translated in the job's language.
    interrupted: Any


_KINDS: dict[type[Job], Kind] = {}


def register(kind: Kind) -> Kind:
    _KINDS[kind.model] = kind
    return kind


def kinds() -> list[Kind]:
    autodiscover_modules("tasks")  # every app's tasks.py registers its kinds
    return list(_KINDS.values())


def kind_of(model: type[Job]) -> Kind:
    kinds()
    return _KINDS[model]


# Settings, read when used so tests can change them.


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOBS_HEARTBEAT_SECONDS", 10))


def dead_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=float(getattr(settings, "JOBS_DEAD_AFTER_SECONDS", 30)))


def max_attempts() -> int:
    return int(getattr(settings, "JOBS_MAX_ATTEMPTS", 3))


def memory_database() -> bool:
    """SQLite in memory is one database per connection: no other thread or process sees it."""
    name = str(connection.settings_dict.get("NAME", ""))
    return connection.vendor == "sqlite" and (name in ("", ":memory:") or "mode=memory" in name)


def inline(setting: str) -> bool:
    """Jobs run in the asking process when `setting` (IMPORTS_IN_BACKGROUND,
    REPORTS_IN_BACKGROUND) is off, as most tests have it, or when no worker could see them."""
    return not getattr(settings, setting, True) or memory_database()


# True while a task runs inline, in the asking process: no heartbeat thread (the asker is alive,
# and a test's transaction would hide the row from the thread's connection anyway).
_running_inline: ContextVar[bool] = ContextVar("running_inline", default=False)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# Enqueueing


def enqueue(job: Job, task: Task, *args: Any, setting: str) -> None:
    """Queue `task(*args)` for `job`, or run it here when jobs run inline (see `inline`)."""
    model = type(job)
    now = timezone.now()
    # A new step (an import's commit after its check) starts counting its own attempts.
    fields: dict[str, Any] = {
        "queued_at": now,
        "heartbeat_at": None,
        "worker": "",
        "task_id": "",
        "attempts": 0,
    }
    if not job.language:
        from django.utils.translation import get_language

        fields["language"] = get_language() or settings.LANGUAGE_CODE
    model._default_manager.filter(pk=job.pk).update(**fields)
    for key, value in fields.items():
        setattr(job, key, value)
    if inline(setting):
        token = _running_inline.set(True)
        try:
            task.call(*args)
        finally:
            _running_inline.reset(token)
        return
    result = task.enqueue(*args)
    model._default_manager.filter(pk=job.pk).update(task_id=result.id)
    job.task_id = result.id


# Working on a job


class Superseded(Exception):
    """The job moved on without this attempt (a newer attempt took it, or it finished)."""


class _Heartbeat:
    """A thread that writes the job's `heartbeat_at` on a connection of its own. A beat that
    cannot be written at once (the row or, on SQLite, the database is held by the job's own
    long transaction) is skipped: the sweep cannot write to a database held that way either."""

    def __init__(self, model: type[Job], pk: int, attempt: int) -> None:
        self.model, self.pk, self.attempt = model, pk, attempt
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{pk}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from django.db import connections

        try:
            while not self._stop.wait(heartbeat_seconds()):
                self.beat()
        finally:
            connections.close_all()

    def beat(self) -> None:
        try:
            with _short_waits():
                self.model._default_manager.filter(pk=self.pk, attempts=self.attempt).update(
                    heartbeat_at=timezone.now()
                )
        except DatabaseError:
            log.info("job %s: heartbeat skipped (database busy)", self.pk)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@contextlib.contextmanager
def _short_waits(milliseconds: int = 1000) -> Iterator[None]:
    """Writes on this connection wait at most a moment for a lock, then fail."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{milliseconds}ms'")
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")
        try:
            yield
        finally:
            timeout = int(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5) * 1000)
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {timeout}")
        return
    yield


@contextlib.contextmanager
def claim(model: type[J], pk: int, *, beat: bool = True) -> Iterator[J | None]:
    """Take job `pk` for this attempt and keep its heartbeat while the block runs. Yields the
    job, or None when there is nothing left to do (it finished, failed, or is gone)."""
    kind = kind_of(model)
    with transaction.atomic():
        job = model._default_manager.select_for_update().filter(pk=pk).first()
        if job is None or getattr(job, "status", None) not in kind.running:
            job = None
        else:
            job.attempts += 1
            job.heartbeat_at = timezone.now()
            job.worker = worker_name()
            job.save(update_fields=["attempts", "heartbeat_at", "worker"])
    if job is None:
        yield None
        return
    beating = beat and not _running_inline.get() and not memory_database()
    heart = _Heartbeat(model, pk, job.attempts) if beating else None
    try:
        with override(job.language or settings.LANGUAGE_CODE):
            yield job
    finally:
        if heart is not None:
            heart.stop()


def fence(job: Job, **fields: Any) -> None:
    """Inside the effect's transaction: write the job's final `fields` only if the job is still
    this attempt's and still running; otherwise raise Superseded, which rolls the effect back."""
    kind = kind_of(type(job))
    written = (
        type(job)
        ._default_manager.filter(Q(status__in=kind.running), pk=job.pk, attempts=job.attempts)
        .update(**fields)
    )
    if written != 1:
        raise Superseded(job.pk)
    for key, value in fields.items():
        setattr(job, key, value)


# The sweep


def _task_waiting(job: Job, now: datetime.datetime) -> bool:
    """Whether the job's task is still queued for a worker, or was just begun by one that has
    not claimed the job yet (a worker busy starting it, waiting for SQLite's write lock): not
    lost. A task begun but never claimed for three times the dead-after period is taken for
    lost (its worker died before it could claim)."""
    if not job.task_id:
        return False
    try:
        result = task_backends["default"].get_result(job.task_id)
    except (TaskResultDoesNotExist, NotImplementedError):
        return False
    if result.status == TaskResultStatus.READY:
        return True
    begun = result.status == TaskResultStatus.RUNNING
    return begun and job.queued_at is not None and job.queued_at >= now - 3 * dead_after()


def _forget_task(job: Job) -> None:
    """The database backend keeps a task its killed worker had begun as "running" forever:
    close it as failed, so its table says what happened."""
    backend = task_backends["default"]
    if not job.task_id or type(backend).__name__ != "DatabaseBackend":
        return
    from django_tasks_db.models import DBTaskResult

    try:
        task_id = uuid.UUID(job.task_id)
    except ValueError:
        return  # an id from another backend (TASKS_BACKEND changed): not in this table
    DBTaskResult._default_manager.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="borderlink.core.jobs.WorkerLost",
        traceback="The worker stopped without finishing (killed or lost); see the job's row.",
    )


def stalled(kind: Kind, now: datetime.datetime | None = None, **where: Any) -> list[Job]:
    """Jobs of `kind` a worker owes work on whose worker has gone quiet, or whose task was lost
    before any worker began it."""
    cutoff = (now or timezone.now()) - dead_after()
    quiet = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None) & (
        Q(queued_at__lt=cutoff) | Q(queued_at=None)
    )
    running = Q(status__in=kind.running)  # each job model has statuses of its own
    found = kind.model._default_manager.filter(quiet, running, **where).order_by("pk")
    moment = now or timezone.now()
    return [job for job in found if job.heartbeat_at is not None or not _task_waiting(job, moment)]


def settle_stalled(job: J) -> J:
    """For a page showing `job`: if its worker has gone quiet, retry or settle it now rather
    than at the next sweep. Not on SQLite: there a long commit holds the one write lock, its
    heartbeat waits with everything else, and only the workers' sweep (which may wait for the
    lock, as a page must not) decides."""
    if connection.vendor == "sqlite":
        return job
    kind = kind_of(type(job))
    for found in stalled(kind, pk=job.pk):
        with contextlib.suppress(DatabaseError):
            _settle(kind, found, None)
        job.refresh_from_db()
    return job


def sweep(now: datetime.datetime | None = None) -> list[str]:
    """Retry or settle every stalled job; returns what was done, one line per job."""
    done = []
    for kind in kinds():
        for job in stalled(kind, now):
            with contextlib.suppress(DatabaseError):  # busy: the next sweep tries again
                outcome = _settle(kind, job, now)
                if outcome:
                    done.append(f"{kind.model._meta.label} {job.pk}: {outcome}")
    return done


def _settle(kind: Kind, seen: Job, now: datetime.datetime | None) -> str:
    with _short_waits(2000), transaction.atomic():
        job = kind.model._default_manager.select_for_update().filter(pk=seen.pk).first()
        unchanged = (
            job is not None
            and getattr(job, "status", None) in kind.running
            and job.attempts == seen.attempts
            and job.heartbeat_at == seen.heartbeat_at
        )
        if not unchanged or job is None:
            return ""  # it moved meanwhile: a worker is on it
        _forget_task(job)
        if job.attempts >= max_attempts():
            with override(job.language or settings.LANGUAGE_CODE):
                reason = str(kind.interrupted) % {"attempts": job.attempts}
                kind.give_up(job, reason)
            log.warning(
                "%s %s given up after %s attempts", kind.model._meta.label, job.pk, job.attempts
            )
            return f"failed after {job.attempts} attempts"
        task = kind.task_for(job)
        queued = timezone.now()
        kind.model._default_manager.filter(pk=job.pk).update(
            queued_at=queued, heartbeat_at=None, worker="", task_id=""
        )
        # With the database backend the task is written in this same transaction: the retry
        # and its task exist together or not at all. RQ's enqueue is outside the database;
        # should it be lost, the job is found again as queued with no task waiting.
        result = task.enqueue(job.pk)
        kind.model._default_manager.filter(pk=job.pk).update(task_id=result.id)
        log.warning(
            "%s %s retried (attempt %s stalled)", kind.model._meta.label, job.pk, job.attempts
        )
        return f"retried after attempt {job.attempts}"


# Scheduled work: enqueued once a day by whichever worker gets there first.


class ScheduledRun(models.Model):
    """The day a piece of scheduled work was enqueued: one row per name and day, so of several
    workers only the one that writes the row enqueues it."""

    name = models.CharField(max_length=100)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        app_label = "core"
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="scheduled_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"


_DAILY: dict[str, Task] = {}


def daily(name: str, task: Task) -> None:
    """Declare `task()` (no arguments) to run once a day, from JOBS_NIGHTLY_HOUR local time."""
    _DAILY[name] = task


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    kinds()  # the apps' tasks.py declare their daily work
    local = timezone.localtime(now)
    if local.hour < int(getattr(settings, "JOBS_NIGHTLY_HOUR", 2)):
        return []
    done = []
    for name, task in sorted(_DAILY.items()):
        if ScheduledRun._default_manager.filter(name=name, day=local.date()).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun._default_manager.create(name=name, day=local.date())
                # In the same transaction with the database backend: the day's row and its task
                # are written together or not at all.
                run.task_id = task.enqueue().id
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another worker enqueued it first
        done.append(f"{name}: enqueued for {local.date().isoformat()}")
    return done
