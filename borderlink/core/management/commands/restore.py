"""`borderlink restore FILE`: replace every table and uploaded file with an archive's, after
checking it whole; all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from borderlink.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database and MEDIA_ROOT with a backup made by `borderlink backup`. "
        "The database must be migrated to the backup's version first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to restore")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--key-file",
            help="a file holding the backup key (default: BACKUP_KEY, else BACKUP_KEY_FILE)",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        name = connections[opts["database"]].settings_dict.get("NAME")
        if opts["interactive"]:
            answer = input(
                f"This replaces every record in {name} and every uploaded file with the "
                f"backup's. Type 'yes' to continue: "
            )
            if answer.strip() != "yes":
                raise CommandError("restore cancelled; nothing was changed")
        try:
            summary = restore(opts["file"], using=opts["database"], key_file=opts["key_file"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"restored {summary.tables} tables, {summary.rows:,} rows and {summary.files} files "
            f"into {summary.vendor} database {name}"
        )
