from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.dateparse import parse_date

from borderlink.people import retention


class Command(BaseCommand):
    help = (
        "Anonymise closed records about people older than PEOPLE_RETENTION_DAYS (a scheduled "
        "task); prints what was anonymised by register and record number, never identities."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument("--days", type=int, help="retention period instead of the setting")
        parser.add_argument("--today", help="the date to count from (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_date(options["today"]) if options.get("today") else None
        report = retention.anonymise(today, options.get("days"), options["dry_run"])
        before = retention.cutoff(today, options.get("days"))
        verb = "would be anonymised" if options["dry_run"] else "anonymised"
        self.stdout.write(f"Closed on or before {before.isoformat()}:")
        total = 0
        for line in report:
            total += len(line.pks)
            numbers = ", ".join(str(pk) for pk in line.pks) or "-"
            self.stdout.write(f"  {line.label}: {len(line.pks)} {verb} (no. {numbers})")
        self.stdout.write(self.style.SUCCESS(f"{total} record(s) {verb}."))
