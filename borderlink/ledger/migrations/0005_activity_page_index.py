"""The activities' list order with the gate's columns: `(occurred_on, id) INCLUDE (home_unit_id,
sensitivity)`, on PostgreSQL.

A list page (`ORDER BY occurred_on, id LIMIT 50 OFFSET n`, the register's default order, either
direction) asks the ids of its rows first (core/pagination.py `window`): with the unit and the
sensitivity in the index, the gate's filters (`home_unit_id = ANY(…)`, `sensitivity <= …`) are
checked in the index alone (an index-only scan) and only the page's rows are read from the
table. With the date index alone, page 50 of a province's 2.2 M of 20 M activities fetched
23,000 rows from the table to keep 51 (1.5 s; bench/README-lists.md).

Built CONCURRENTLY (the migration is not atomic): on a national ledger it takes minutes and a
plain CREATE INDEX would block writing activities meanwhile. IF NOT EXISTS: a database where it
was built by hand (the benchmark's) migrates without building it again. The index stays out of
the model's Meta like the trigram indexes (0004): SQLite has no INCLUDE, and its lists are small.
"""

from django.db import migrations

NAME = "ledger_activity_page_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME} ON ledger_activity "
        "(occurred_on, id) INCLUDE (home_unit_id, sensitivity)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("ledger", "0004_search_trigram")]

    operations = [migrations.RunPython(create, drop)]
