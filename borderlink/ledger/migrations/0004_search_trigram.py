"""Searching the ledger by an index: trigram indexes (pg_trgm) on PostgreSQL; SQLite scans.

A register's search (registers/query.py) reads `UPPER(title) LIKE UPPER('%…%')` for the
activity's own text and finds linked units in their folded search text first
(`search_text LIKE '%…%'`). Without an index each is a scan of every row; a GIN trigram index
answers both from the words' three-letter pieces. The units' index lives here because the
ledger's search is what leans on it (the register search of every other app joins through it
too); the extension is created if missing (pg_trgm is a trusted extension: the database's owner
may create it).
"""

from django.db import migrations

INDEXES = {
    "ledger_activity_title_trgm": "ledger_activity USING gin (UPPER(title) gin_trgm_ops)",
    "ledger_activity_outcomes_trgm": "ledger_activity USING gin (UPPER(outcomes) gin_trgm_ops)",
    "places_unit_search_text_trgm": "places_unit USING gin (search_text gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_return_direction"),
        ("places", "0002_succession_transfer"),
    ]

    operations = [migrations.RunPython(create, drop)]
