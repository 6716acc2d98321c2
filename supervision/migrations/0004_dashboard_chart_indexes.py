"""Indexes for the dashboard's weekly chart of issued and closed items (``weekly_opened_closed``): the
last twelve weeks by ``issued_at`` and, of the closed items, by ``closed_at``. Without them each of the
two grouped reads scans every item ever issued (30,000 rows at ten years: 9 ms each on PostgreSQL).

Plain SQL that PostgreSQL and SQLite both accept, outside the model state like 0002's trigram indexes:
only the database's plans change."""

from django.db import migrations

INDEXES = {
    "sup_item_issued_idx": "ON supervision_supervisionitem (issued_at)",
    "sup_item_closed_idx": "ON supervision_supervisionitem (closed_at) WHERE status = 'closed'",
}


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_protected_files")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
