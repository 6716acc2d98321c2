"""The naive way to schedule an alarm, for comparison: one Celery task with an ETA per alarm, no
database sweep. The workers import this module (``celery worker -I bench.typhoon.naive``); every run of
the task inserts one row into ``typhoon_naive_fire`` (no unique constraint: a doubled task shows as two
rows, a lost one as none)."""

from celery import shared_task

TABLE = "typhoon_naive_fire"
TASK = "typhoon.naive_alarm"
CREATE_SQL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    alarm_key varchar(120) NOT NULL,
    due_at timestamptz NOT NULL,
    fired_at timestamptz NOT NULL DEFAULT clock_timestamp()
)
"""


@shared_task(name=TASK)
def naive_alarm(alarm_key: str, due_iso: str) -> None:
    """What a typical project's alarm task does when its countdown ends: raise the alarm (here: record it)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {TABLE} (alarm_key, due_at) VALUES (%s, %s)", [alarm_key, due_iso])
