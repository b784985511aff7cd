"""`borderlink stats-rebuild`: recompute the ledger rollup (after a bulk load that bypassed the
signals, or a change of STATS_ROLLUP_DEPTH); `--check` only reports where it disagrees."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderlink.stats import rollup


class Command(BaseCommand):
    help = "Recompute the statistics rollup from the ledger, or check it with --check."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="compare with the ledger, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["check"]:
            wrong = rollup.differences()
            if wrong:
                raise CommandError(
                    f"{len(wrong)} rollup rows disagree with the ledger, e.g. {wrong[:3]}; "
                    "run `borderlink stats-rebuild`"
                )
            self.stdout.write(
                f"rollup in step with the ledger ({time.perf_counter() - started:.1f} s)"
            )
            return
        rows = rollup.rebuild()
        self.stdout.write(
            f"rollup rebuilt: {rows:,} rows, depth {rollup.depth()}, "
            f"{time.perf_counter() - started:.1f} s"
        )
