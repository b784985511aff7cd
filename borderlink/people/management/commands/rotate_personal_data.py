from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from borderlink.people import rotation


class Command(BaseCommand):
    help = (
        "After a change of PERSONAL_DATA_KEY (the old key in PERSONAL_DATA_OLD_KEYS): re-encrypt "
        "every personal-data value and recompute every ID-number index under the new key, in one "
        "transaction. --check only counts the records still under an old key; when it says 0, the "
        "old key can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            tallies = rotation.check()
            for t in tallies:
                self.stdout.write(f"  {t.label}: {t.stale} of {t.records} under an old key")
            stale = sum(t.stale for t in tallies)
            if stale:
                self.stdout.write(f"{stale} record(s) to rotate: run without --check.")
            else:
                self.stdout.write(self.style.SUCCESS("Every record is under the current key."))
            return

        def progress(label: str, done: int, total: int) -> None:
            self.stdout.write(f"  {label}: {done:,} / {total:,}")

        tallies = rotation.rotate(progress)
        for t in tallies:
            self.stdout.write(f"  {t.label}: {t.records} record(s) rotated")
        self.stdout.write(self.style.SUCCESS("Every record is now under the current key."))
