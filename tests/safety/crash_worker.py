"""The process the crash test kills: a zygote that sets Django up once, then forks one child per
command, so each of the twenty kills costs milliseconds of start-up, not seconds.

    python -m tests.safety.crash_worker        (DATABASE_URL names the database to crash)

Commands on stdin, one per line; answers on stdout, one JSON object per line:

    import TAG ROWS    a child writes an ImportJob of ROWS activities titled "crash TAG …" and
                       commits it as a worker would (registers/tasks.commit_import); it says
                       {"go": pid} just before the commit starts and {"done": ...} after it
    render FMT FILE    a child runs `borderlink report` (the management command) into FILE
    enqueue TAG ROWS   a child writes such a job and queues its commit for a worker process
    resume TAG         a child sweeps the killed job of TAG up and works the queue through
    job TAG            a child says where the job of TAG stands (and SQLite's write lock)
    verify TAG ROWS    a child checks the database: the rows of TAG (none or all), their history
                       rows, the statistics rollup against the ledger, SQLite's integrity check
    quit

After each child the zygote says {"exit": pid, "signal": N or null, "code": N or null}.
No database connection is open in the zygote when it forks.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

HOME = "VN-02-BGS-THANHTHUY"
THEIRS = "CN-532624-BGS-TIANBAO"
HEADER = (
    "kind,occurred_on,title,home_unit,counterpart,channel,diplomacy,direction,sensitivity,count"
)


def say(**message: Any) -> None:
    sys.stdout.write(json.dumps(message, default=str) + "\n")
    sys.stdout.flush()


def csv_rows(tag: str, rows: int) -> bytes:
    lines = [HEADER]
    for i in range(rows):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        lines.append(
            f"letter,2021-{month:02d}-{day:02d},crash {tag} #{i},{HOME},{THEIRS},"
            f"letter,state,sent,1,{1 + i % 3}"
        )
    return ("\n".join(lines) + "\n").encode()


def importer() -> Any:
    from borderlink.accounts.models import Membership, User
    from borderlink.core.roles import Role
    from borderlink.places.models import Unit

    user, created = User.objects.get_or_create(username="crash-importer")
    if created:
        Membership.objects.create(
            user=user, role=Role.FA_EDITOR, unit=Unit.objects.get(code="VN-P02")
        )
    return user


def run_import(tag: str, rows: int) -> None:
    """The commit as a worker runs it: the task, with its claim and heartbeat (core/jobs.py)."""
    from borderlink.registers import tasks
    from borderlink.registers.models import ImportJob

    job = ImportJob.objects.create(
        register="activities",
        user=importer(),
        filename=f"crash-{tag}.csv",
        content=csv_rows(tag, rows),
        status=ImportJob.Status.WRITING,
        total=rows,
    )
    say(go=os.getpid(), job=job.pk)
    tasks.commit_import.call(job.pk)
    job.refresh_from_db()
    say(done=tag, status=job.status, errors=job.errors[:3])


def run_enqueue(tag: str, rows: int) -> None:
    """Like the page's "Import now": the job is marked writing and its commit queued for a
    worker process (core/jobs.py), not run here."""
    from borderlink.registers import imports
    from borderlink.registers.models import ImportJob

    job = ImportJob.objects.create(
        register="activities",
        user=importer(),
        filename=f"crash-{tag}.csv",
        content=csv_rows(tag, rows),
        status=ImportJob.Status.WRITING,
        total=rows,
    )
    imports.run(job.pk, "commit", "en")
    job.refresh_from_db()
    say(queued=tag, job=job.pk, task=job.task_id)


def run_job(tag: str) -> None:
    """Where the job of TAG stands, and whether a writer holds SQLite's lock (mid-commit)."""
    import sqlite3

    from django.db import connection

    from borderlink.registers.models import ImportJob

    job = ImportJob.objects.get(filename=f"crash-{tag}.csv")
    writing = None
    if connection.vendor == "sqlite":
        probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            writing = False
        except sqlite3.OperationalError:
            writing = True
        finally:
            probe.close()
    say(
        state=job.status,
        attempts=job.attempts,
        processed=job.processed,
        heartbeat=job.heartbeat_at is not None,
        locked=writing,
        errors=job.errors[:3],
    )


def run_resume(tag: str) -> None:
    """What the next worker does for the job of a killed one: the sweep finds it (its heartbeat
    is as old as may be) and queues it again, a worker runs the queue through."""
    from django.conf import settings

    from borderlink.core import jobs, worker
    from borderlink.registers.models import ImportJob

    settings.JOBS_DEAD_AFTER_SECONDS = 0  # the test knows the worker is dead: no waiting
    swept = jobs.sweep()
    worker.run(batch=True, caretaker=False)
    job = ImportJob.objects.get(filename=f"crash-{tag}.csv")
    say(resumed=tag, swept=swept, state=job.status, attempts=job.attempts)


def run_render(fmt: str, path: str) -> None:
    from django.core.management import call_command

    say(go=os.getpid())
    call_command(
        "report",
        "foreign-relations",
        "--unit",
        "VN-P02",
        "--from",
        "2015-01-01",
        "--to",
        "2024-12-31",
        "--lang",
        "vi",
        "--format",
        fmt,
        "-o",
        path,
        stdout=sys.stderr,
        stderr=open(os.devnull, "w"),  # noqa: SIM115
    )
    say(done="render", size=os.path.getsize(path))


def run_verify(tag: str, rows: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from borderlink.core.models import ChangeRecord
    from borderlink.ledger.models import Activity
    from borderlink.registers.models import ImportJob
    from borderlink.stats import rollup

    integrity = "ok"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            integrity = cursor.execute("PRAGMA integrity_check").fetchone()[0]
    ids = list(
        Activity.objects.filter(title__startswith=f"crash {tag} #").values_list("pk", flat=True)
    )
    # By the import's own label, so history written outside its transaction would show too.
    history = ChangeRecord.objects.filter(reason=f"import crash-{tag}.csv").count()
    orphans = (
        ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(Activity))
        .exclude(action=ChangeRecord.Action.DELETE)
        .exclude(object_id__in=[str(pk) for pk in Activity.objects.values_list("pk", flat=True)])
        .count()
    )
    job = (
        ImportJob.objects.filter(filename=f"crash-{tag}.csv")
        .values_list("status", flat=True)
        .first()
    )
    say(
        verified=tag,
        rows=len(ids),
        expected=rows,
        history=history,
        orphan_history=orphans,
        rollup_differences=len(rollup.differences()),
        integrity=integrity,
        job=job,
    )


def child(command: list[str]) -> None:
    import django

    django.setup()
    verb, *args = command
    if verb == "import":
        run_import(args[0], int(args[1]))
    elif verb == "render":
        run_render(args[0], args[1])
    elif verb == "enqueue":
        run_enqueue(args[0], int(args[1]))
    elif verb == "resume":
        run_resume(args[0])
    elif verb == "job":
        run_job(args[0])
    elif verb == "verify":
        run_verify(args[0], int(args[1]))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
    import django

    django.setup()
    # Import what the children use, so a fork starts with it loaded.
    from django.db import connections

    import borderlink.registers.imports
    import borderlink.registers.tasks
    import borderlink.reports.render
    import borderlink.stats.rollup  # noqa: F401

    if os.environ.get("CRASH_SABOTAGE") == "no-transaction":
        # To see the test fail: imports write row by row, as if commit() had no transaction.
        import contextlib

        from borderlink.registers import imports

        imports.transaction = type(  # type: ignore[assignment]
            "NoTransaction", (), {"atomic": staticmethod(contextlib.nullcontext)}
        )
    connections.close_all()
    say(ready=os.getpid())
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "quit":
            break
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                child(command)
            except BaseException as error:  # the parent reads what went wrong
                say(error=repr(error))
                code = 1
            finally:
                sys.stdout.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        say(
            exit=pid,
            signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        )


if __name__ == "__main__":
    main()
