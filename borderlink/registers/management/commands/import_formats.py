from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from borderlink.registers.docs import render


class Command(BaseCommand):
    help = "Write docs/import-formats.md from the register declarations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", default=str(settings.PROJECT_DIR / "docs" / "import-formats.md")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        Path(options["output"]).write_text(render(), encoding="utf-8")
        self.stdout.write(f"wrote {options['output']}")
