"""What the backup tests share: the operator's key, the database read with plain SQL, and the
encrypted archive opened and sealed again (to damage what is inside on purpose)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.db import connection

from borderlink.core.backup_encryption import EncryptingWriter, decrypt

KEY = "test-backup-key-0123456789-abcdefghijklmnop"

# Not data: the schema's own bookkeeping, which restore checks instead of copying, and the live
# sessions, which a backup leaves out and a restore empties.
SKIPPED = {"django_migrations", "sqlite_sequence", "django_session"}


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def database_dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the database as its raw rows, read with plain SQL (not the backup's code)."""
    dump = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table in SKIPPED:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
            dump[table] = sorted(rows, key=repr)
    return dump


def clear_archive(path: Path, key: str = KEY) -> bytes:
    """The zip inside an encrypted backup."""
    out = io.BytesIO()
    with path.open("rb") as source:
        decrypt(source, out, key)
    return out.getvalue()


def seal(clear: bytes, target: Path, key: str = KEY) -> None:
    with target.open("wb") as out:
        writer = EncryptingWriter(out, key)
        writer.write(clear)
        writer.close()


def open_clear(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(clear_archive(path)))
