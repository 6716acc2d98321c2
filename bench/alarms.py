#!/usr/bin/env python
"""Benchmark of issue 14's second half on PostgreSQL: the readable audit trail on a big table and the
live channel's poll.

    python bench/alarms.py --quick      # 50,000 then 500,000 audit events, 20 rounds
    python bench/alarms.py              # 100,000 then 1,000,000 audit events, 40 rounds

The database comes from DATABASE_URL (default: office_bench_alarms on the loopback server, created if
missing). The benchmark owns that database: it empties the audit trail and inserts the events with one
INSERT … SELECT generate_series (the hash chain of those rows is not built: the bench reads, it does not
verify). Measured: the audit page's queries at the small and the big size (they must be equal), the
median server time of its first page at the big size, of a filtered page (a verb and an actor) and of
the tenth page by cursor; and the live channel's poll with and without an open alarm. Last line:

    alarms audit_queries=<n> audit_queries_10x=<n> audit_ms=<n> audit_filtered_ms=<n> audit_page10_ms=<n> live_ms=<n> live_alarm_ms=<n>
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_alarms")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from bench.supervision import ensure_database, setup_django  # noqa: E402  (after sys.path)

VERBS = [
    "supervision.item_issued",
    "supervision.item_acknowledged",
    "supervision.progress_submitted",
    "duty.report_received",
    "duty.log_added",
    "documents.step_approved",
    "suggestions.submitted",
    "unit.created",
]


def people():
    from django.contrib.auth import get_user_model

    from office.org.models import Role, Staff, Unit, UnitKind
    from office.org.roles import assign_roles, sync_roles

    sync_roles()
    User = get_user_model()
    unit, _ = Unit.objects.get_or_create(
        code="balm-office", defaults={"name": "基准办公室", "kind": UnitKind.OFFICE}
    )
    made = []
    for username, name, role in (
        ("balm-director", "基准主任", Role.DIRECTOR),
        ("balm-officer", "基准值班员", Role.DUTY_OFFICER),
        ("balm-staff", "基准干部", Role.STAFF),
    ):
        user, created = User.objects.get_or_create(username=username)
        if created:
            Staff.objects.create(user=user, name=name, unit=unit)
            assign_roles(user, [role])
        made.append(user)
    return made, unit


def add_events(start: int, stop: int, actors: list, unit) -> None:
    """Events start..stop-1, one a minute back from now, verbs and actors in turn, about the unit."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    ct = ContentType.objects.get_for_model(unit)
    verbs = "ARRAY[" + ",".join(f"'{v}'" for v in VERBS) + "]"
    ids = "ARRAY[" + ",".join(str(a.pk) for a in actors) + "]"
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO audit_auditevent
                (created_at, actor_id, actor_label, verb, subject_type_id, subject_id, subject_repr, data,
                 prev_hash, row_hash)
            SELECT now() - (g || ' minutes')::interval, ({ids})[1 + mod(g, {len(actors)})], '',
                   ({verbs})[1 + mod(g, {len(VERBS)})], %s, %s, %s,
                   jsonb_build_object('number', '督〔2026〕' || g || '号', 'due_at', now()::text, 'units',
                                      jsonb_build_array('城关镇', '东城镇')),
                   '', ''
            FROM generate_series(%s, %s) AS g
            """,
            [ct.pk, str(unit.pk), unit.name, start, stop - 1],
        )
        cur.execute("VACUUM ANALYZE audit_auditevent")


def timed(client, url: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, (url, resp.status_code)
    return statistics.median(times)


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200 and b'data-testid="audit-event-' in resp.content
    return len(ctx)


def tenth_page_url(client) -> str:
    url = "/audit/"
    for _ in range(9):
        body = client.get(url).content.decode()
        url = "/audit/?before=" + re.search(r'before=([0-9-]+)" data-testid="audit-older"', body).group(1)
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="500,000 events and 20 rounds")
    args = parser.parse_args()
    small, big = (50_000, 500_000) if args.quick else (100_000, 1_000_000)
    rounds = 20 if args.quick else 40

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.conf import settings

    # pages render {% static %}: plain storage, no collectstatic manifest needed
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.db import connection
    from django.test import Client

    from office.notifications.models import Level
    from office.notifications.services import notify

    with connection.cursor() as cur:
        cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cur.execute("TRUNCATE audit_auditevent RESTART IDENTITY CASCADE")
        cur.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    (director, officer, staff), unit = people()
    client = Client()
    client.force_login(director)

    add_events(0, small, [director, officer, staff], unit)
    q_small = queries(client, "/audit/")
    add_events(small, big, [director, officer, staff], unit)
    q_big = queries(client, "/audit/")
    page_ms = timed(client, "/audit/", rounds)
    filtered = f"/audit/?verb=duty.report_received&actor={officer.pk}"
    filtered_ms = timed(client, filtered, rounds)
    page10_ms = timed(client, tenth_page_url(client), rounds)

    live = Client()
    live.force_login(officer)
    live_ms = timed(live, "/notifications/live/", rounds * 5)
    from django.db import transaction

    with transaction.atomic():
        notify(
            recipients=[officer],
            subject=unit,
            step="bench-alarm",
            title="【已超时未报】基准山体滑坡",
            level=Level.URGENT,
        )
    state = live.get("/notifications/live/").json()
    assert state["alarms"], state
    live_alarm_ms = timed(live, "/notifications/live/", rounds * 5)

    print(f"audit events: {small:,} then {big:,}; queries {q_small} / {q_big}")
    print(
        f"alarms audit_queries={q_small} audit_queries_10x={q_big} audit_ms={page_ms:.1f} "
        f"audit_filtered_ms={filtered_ms:.1f} audit_page10_ms={page10_ms:.1f} live_ms={live_ms:.1f} "
        f"live_alarm_ms={live_alarm_ms:.1f}"
    )


if __name__ == "__main__":
    main()
