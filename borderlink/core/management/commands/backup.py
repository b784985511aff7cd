"""`borderlink backup FILE`: every table and every uploaded file, in one checked archive,
encrypted under the backup key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from borderlink.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the whole database and MEDIA_ROOT to one archive (see `borderlink restore`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to write (a .zip)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--key-file",
            help="a file holding the backup key (default: BACKUP_KEY, else BACKUP_KEY_FILE)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            summary = backup(opts["file"], using=opts["database"], key_file=opts["key_file"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{opts['file']}: {summary.tables} tables, {summary.rows:,} rows, "
            f"{summary.files} files ({summary.bytes:,} bytes) from {summary.vendor}"
        )
