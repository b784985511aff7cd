from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve BorderLink with gunicorn (a production WSGI server); static files by WhiteNoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import run

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
        run()
