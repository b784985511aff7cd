"""An uploaded file read from its database column in pieces, as a seekable binary file.

An import reads its file several times (rows counted, checked, written); held in memory whole,
a file of a million rows is a hundred megabytes, and PostgreSQL sends a `bytea` value as text
twice that size. Read in pieces of `PIECE` bytes, one at a time, the import's memory does not
grow with the file. CSV reads it straight through; XLSX (a zip) seeks, which works the same.
"""

from __future__ import annotations

import io
from typing import Any, cast

from django.db import connection, models

PIECE = 1024 * 1024


class StoredBytes:
    """The `field` column of one row of `model`: `len()` and any number of `open()`s."""

    def __init__(self, model: type[models.Model], pk: Any, field: str = "content") -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.column = quote(str(cast(models.Field, meta.get_field(field)).column))
        self.pk_column = quote(str(meta.pk.column) if meta.pk is not None else "id")
        self.pk = pk
        self._size: int | None = None

    def __len__(self) -> int:
        if self._size is None:
            length = "octet_length" if connection.vendor == "postgresql" else "length"
            self._size = int(
                self._one(f"SELECT {length}({self.column}) FROM {self.table} WHERE "
                          f"{self.pk_column} = %s", [self.pk]) or 0
            )  # fmt: skip
        return self._size

    def piece(self, start: int, size: int) -> bytes:
        """`size` bytes from offset `start` (0-based), fewer at the end."""
        function = "substring" if connection.vendor == "postgresql" else "substr"
        value = self._one(
            f"SELECT {function}({self.column}, %s, %s) FROM {self.table} WHERE "
            f"{self.pk_column} = %s",
            [start + 1, size, self.pk],
        )
        return bytes(value or b"")

    def open(self) -> io.BufferedReader:
        return io.BufferedReader(_Reader(self))

    def _one(self, sql: str, params: list[Any]) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return row[0] if row else None


class _Reader(io.RawIOBase):
    def __init__(self, stored: StoredBytes) -> None:
        self.stored = stored
        self.position = 0
        self.held_from, self.held = 0, b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: len(self.stored)}
        self.position = max(0, base[whence] + offset)
        return self.position

    def readinto(self, buffer: Any) -> int:
        if self.position >= len(self.stored):
            return 0
        offset = self.position - self.held_from
        if not 0 <= offset < len(self.held):
            # One piece at a time, whatever size the reader above asks for (a text reader
            # asks for 8 KB): one query per piece.
            self.held_from, self.held = self.position, self.stored.piece(self.position, PIECE)
            offset = 0
        data = self.held[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)
