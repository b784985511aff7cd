from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from borderlink.core.context import acting_as
from borderlink.places.gazetteer import load_all


class Command(BaseCommand):
    help = "Load the administrative units of Vietnam and China from the packages (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all-provinces",
            action="store_true",
            help="districts and communes of every Vietnamese province, not only the border ones",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None, reason="load-gazetteer"):
            reports = load_all(all_provinces=options["all_provinces"])
        for report in reports:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
