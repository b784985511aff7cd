"""After PERSONAL_DATA_KEY changes (the old one moved to PERSONAL_DATA_OLD_KEYS), every value of
personal data is re-encrypted under the new key and every blind index recomputed under it: until
then old records decrypt but an exact search by ID number misses them, and the old key cannot
be dropped. `borderlink rotate-personal-data` runs it; `--check` counts what is still to do.

Written with `QuerySet.update`, row by row in one transaction, each row locked as it is read: no
save signals, so no change record (the clear values do not change), no ledger sync, and
`updated_at` keeps its meaning; an edit made meanwhile waits and is never overwritten. A failure
leaves every row as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from borderlink.people.crypto import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    blind_index,
    decrypt,
    under_current_key,
)
from borderlink.people.models.base import Identity

BATCH = 500


@dataclass
class Tally:
    label: str
    records: int = 0
    stale: int = 0  # records with a value under an old key or an index under an old key


def _registers() -> list[type[Identity]]:
    return [m for m in apps.get_models() if issubclass(m, Identity)]


def _encrypted(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedCharField | EncryptedDateField)
    ]


def _indexes(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def check() -> list[Tally]:
    """Per register, how many records still hold a value or an index under an old key. Reads the
    columns as stored (ciphertexts), one query per register."""
    out = []
    for model in _registers():
        tally = Tally(model._meta.label)
        encrypted, indexes = _encrypted(model), _indexes(model)
        by_name = {f.name: i for i, f in enumerate(encrypted)}
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(
            connection.ops.quote_name(str(f.column)) for f in [*encrypted, *indexes]
        )
        with connection.cursor() as cursor:
            # Table and column names come from the model, never from input.
            cursor.execute(f"SELECT {columns} FROM {table}")
            for row in cursor:
                tally.records += 1
                stored = [v or "" for v in row[: len(encrypted)]]
                stale = not all(under_current_key(v) for v in stored)
                for i, f in enumerate(indexes):
                    source = stored[by_name[f.source]]
                    clear = decrypt(source) if source else ""
                    stale = stale or (row[len(encrypted) + i] or "") != blind_index(clear)
                tally.stale += stale
        out.append(tally)
    return out


def rotate(progress: Callable[[str, int, int], None] | None = None) -> list[Tally]:
    """Re-encrypts and re-indexes every record of every people register under the current key."""
    out = []
    with transaction.atomic():
        for model in _registers():
            tally = Tally(model._meta.label)
            total = model._default_manager.count()
            encrypted, indexes = _encrypted(model), _indexes(model)
            # Locked as read (PostgreSQL): an edit or an anonymisation running meanwhile waits
            # for the rotation, and is never overwritten by the value read before it.
            rows = model._default_manager.select_for_update().order_by("pk")
            for record in rows.iterator(chunk_size=BATCH):
                values = {f.attname: getattr(record, f.attname) for f in encrypted}
                for f in indexes:
                    values[f.attname] = blind_index(getattr(record, f.source) or "")
                model._default_manager.filter(pk=record.pk).update(**values)
                tally.records += 1
                if progress is not None and tally.records % BATCH == 0:
                    progress(tally.label, tally.records, total)
            out.append(tally)
    return out
