from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from borderlink.core import worker


class Command(BaseCommand):
    help = (
        "Run background jobs (imports, report rendering, scheduled work) from the queue "
        "TASKS_BACKEND names (the database, or RQ on Redis); also retries the jobs of workers "
        "that died. Run as many as the work needs, on any machine that reaches the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="work through what is queued now, then stop"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks at an empty database queue (default 1)",
        )
        parser.add_argument(
            "--no-caretaker",
            action="store_true",
            help="only work: leave retries and scheduled work to other workers",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"BorderLink worker: {settings.TASKS_BACKEND} queue")
        self.stdout.flush()
        worker.run(
            batch=options["batch"],
            interval=options["interval"],
            caretaker=not options["no_caretaker"],
        )
