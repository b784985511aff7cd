from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def _die_with_parent() -> None:
    """In the worker child (Linux): SIGTERM when `serve` dies, even by SIGKILL."""
    import ctypes

    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Command(BaseCommand):
    help = (
        "Serve BorderLink with gunicorn (a production WSGI server); static files by WhiteNoise. "
        "With the database task backend (the default) it also runs one `borderlink worker`, so "
        "imports and reports need no other command."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="run no job worker here (workers run elsewhere: `borderlink worker`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import run

        worker = None
        if settings.TASKS_BACKEND == "database" and not options["no_worker"]:
            # Its own process: the web processes stay free of long jobs, and a worker killed
            # mid-job is noticed by its heartbeat, as any other.
            worker = subprocess.Popen(
                [sys.executable, "-m", "borderlink.cli", "worker"], preexec_fn=_die_with_parent
            )
        self.stdout.write(f"BorderLink on http://{options['host']}:{options['port']}/")
        sys.argv = [
            "gunicorn",
            "borderlink.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
            # The path without its query string, and no client address or referrer: a search
            # for a person's ID number (?q=…) must not land in the access log.
            "--access-logformat",
            '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        try:
            run()
        finally:
            if worker is not None:
                worker.terminate()  # it finishes the job at hand first
                worker.wait()
