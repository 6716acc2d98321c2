"""Trigram indexes for the list's search (编号、名称、要求 contain …) on PostgreSQL.

``icontains`` compiles to ``UPPER(col::text) LIKE UPPER('%…%')``; GIN indexes on the same expressions
with ``gin_trgm_ops`` turn the 100,000-row scan into a bitmap index scan (CJK text included). SQLite, or
a server where pg_trgm cannot be created, keeps the plain scan."""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = {
    "sup_item_title_trgm": "UPPER(title::text)",
    "sup_item_number_trgm": "UPPER(number::text)",
    "sup_item_requirement_trgm": "UPPER(requirement)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:
        logger.warning("pg_trgm is not available: the supervision search stays a sequential scan")
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON supervision_supervisionitem USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
