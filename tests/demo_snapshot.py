"""The demo, copied once per test database and put back in a second instead of loaded again.

A transactional test (a live server for the browser, a race between two connections) empties
every table when it ends: that is how pytest-django undoes what it wrote. The next test that needs
the demo used to load it again, 10 to 25 seconds each, and the browser tests alone did so about
sixty times a run. The rows the first load wrote are copied here, table by table, right after it
(tests/conftest.py), and put back with the same ids; on PostgreSQL by binary COPY.

What lives outside the database is reset with the rows: content types are cached by id (flush
re-creates them with new ids, the copy brings the old ones back), and so are the gazetteer's scopes
and whatever a cache holds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from borderlink.places.models import Unit
from borderlink.places.signals import gazetteer_changed


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: bytes | list[tuple[object, ...]]  # COPY's binary stream on PostgreSQL, tuples on SQLite


_copy: list[Table] = []


def _tables() -> list[str]:
    return sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )


def take() -> None:
    """Copy every table the models own, as the demo left it."""
    _copy.clear()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in _tables():
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {quote(name)} TO STDOUT (FORMAT BINARY)") as stream:
                    data = b"".join(bytes(chunk) for chunk in stream)
                cursor.execute(f"SELECT * FROM {quote(name)} LIMIT 0")
                columns = tuple(column.name for column in cursor.description)
                _copy.append(Table(name, columns, data))
            else:
                cursor.execute(f"SELECT * FROM {quote(name)}")
                columns = tuple(column[0] for column in cursor.description)
                _copy.append(Table(name, columns, [tuple(row) for row in cursor.fetchall()]))


def restore() -> None:
    """Every table back to the copy: emptied, filled, and the id sequences moved past the ids."""
    assert _copy, "take() runs once the demo is loaded (tests/conftest.py)"
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Emptied row by row: the tables are near empty after a flush, and TRUNCATE of every
        # table costs seconds. The foreign keys are deferred to the end of the transaction.
        for table in _copy:
            cursor.execute(f"DELETE FROM {quote(table.name)}")
        if connection.vendor == "postgresql":
            for table in _copy:
                assert isinstance(table.rows, bytes)
                with cursor.cursor.copy(
                    f"COPY {quote(table.name)} FROM STDIN (FORMAT BINARY)"
                ) as stream:
                    stream.write(table.rows)
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        else:
            for table in _copy:
                if not table.rows:
                    continue
                columns = ", ".join(quote(c) for c in table.columns)
                marks = ", ".join("?" for _ in table.columns)
                connection.connection.executemany(
                    f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})",
                    table.rows,
                )
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
    gazetteer_changed.send(sender=Unit)


def load_demo() -> None:
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def ensure_demo() -> None:
    """The demo in the database: left as it is if a test has not emptied it, else put back."""
    if Unit.objects.exists():
        return
    if _copy:
        restore()
    else:  # this process has not loaded it yet (e.g. its first test emptied the database)
        load_demo()
        take()
