#!/usr/bin/env python
"""Benchmark of the director's dashboard on PostgreSQL and Redis: the whole page and its one live
fragment (the refresh every 15 s), with one year and then ten years of the office's data.

    python bench/dashboard.py --quick      # 1,500 items a year, 20 rounds
    python bench/dashboard.py              # 3,000 items a year, 60 rounds

The database comes from DATABASE_URL (default: office_bench_dash on the loopback server). The benchmark
owns it: it is dropped, created and migrated at the start. The cache is Redis, as in production
(BENCH_CACHE_URL, default redis://127.0.0.1:6379/11), under a key prefix of this run's own. A small
office (people, today's shift, an open campaign, a few documents on their way) is built through the
services, as the tests build it; the years of history are bulk-inserted: supervision items (90 %
closed, a tenth escalated, each with its lead unit and ladder steps), urgent reports (a tenth late) and
incoming documents.

A refresh is answered one of two ways (office/dashboard/views.py): when nothing the dashboard shows has
changed since the viewer's last full read (the audit chain's head, his newest inbox message, the
minute: ``selectors.dashboard_cache_key``), the kept copy of its HTML is served; after a change, the
whole dashboard is read and rendered again. Both are measured, the change being one audit event
written between two rounds (outside the timing), which is what any audited write does to the key:

- queries: the SQL queries of a refresh after a change (a full read) at one and at ten years (they
  must be equal); the kept-copy refresh's queries are in the table;
- ms, ms_10x: the median server time of the whole page at one and at ten years (target <= 150 ms),
  each round after a change that no panel names (every part read: the worst case);
- refresh_ms: the median of the live fragment at ten years **when nothing changed**, the common case
  (target <= 50 ms): with a 15 s poll and the minute in the key, at least three polls a minute out of
  four when the office is quiet;
- refresh_changed_ms: the median of the live fragment at ten years after a change (a full read);
- refresh_duty_ms: the same after a write of the duty room (a typhoon night's every report): the duty
  room's panel and work are read again, every other part is its kept copy.

Last line:

    dashboard queries=<n> queries_10x=<n> ms=<n> ms_10x=<n> refresh_ms=<n> refresh_changed_ms=<n> refresh_duty_ms=<n>
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_dash")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/11")


def fresh_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def setup_django():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Production's cache (docker-compose: Redis), under this run's own prefix: nothing of an earlier run
    # is met, nothing of anyone else's is touched. Set before the first use of the cache.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": f"bench-dashboard-{os.getpid()}-{int(time.time())}",
        },
    }
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "RedisCache", "the cache was in use before the bench set it"

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from office.org.roles import sync_roles

    sync_roles()


def add_history(w, years_from: int, years_to: int, per_year: int, rng: random.Random) -> None:
    """Years ``years_from``..``years_to``-1 back from now of items, reports and incoming documents."""
    from django.db import connection
    from django.utils import timezone

    from documents.incoming.models import IncomingChannel, IncomingDocument, IncomingStatus
    from duty.models import ReportLevel, ReportStatus, UrgentReport
    from supervision.models import ItemUnit, LadderStep, Status, StepKind, SupervisionItem, UnitRole

    now = timezone.now()
    units = [w.unit_a, w.unit_b]
    items, links, steps, reports, incoming = [], [], [], [], []
    seq0 = 100000 + years_from * per_year
    for y in range(years_from, years_to):
        for i in range(per_year):
            issued = now - timedelta(days=365 * y + rng.uniform(1, 365))
            due = issued + timedelta(days=rng.choice([15, 30, 60]))
            closed = y > 0 or due < now - timedelta(days=5) or rng.random() < 0.5
            n = seq0 + y * per_year + i
            items.append(
                SupervisionItem(
                    number=f"督〔B{n}〕号",
                    year=issued.year,
                    seq=n,
                    title=f"历史督办事项{n}",
                    requirement="按期办结",
                    source="standing_committee",
                    category="project",
                    lead_unit=units[i % 2],
                    status=Status.CLOSED if closed else Status.IN_PROGRESS,
                    issued_at=issued,
                    due_at=due,
                    closed_at=(due - timedelta(days=rng.randint(-5, 3))) if closed else None,
                    escalation_level=rng.choice([0] * 9 + [1, 2, 3][: 1 + i % 3]),
                    created_at=issued,
                )
            )
        for i in range(per_year // 5):
            received = now - timedelta(days=365 * y + rng.uniform(1, 365))
            late = rng.random() < 0.1
            reports.append(
                UrgentReport(
                    title=f"历史紧急信息{y}-{i}",
                    level=ReportLevel.GENERAL,
                    status=ReportStatus.CLOSED,
                    received_at=received,
                    phone_due_at=received + timedelta(hours=1),
                    written_due_at=received + timedelta(hours=2),
                    phone_reported_at=received + timedelta(minutes=70 if late else 20),
                    written_reported_at=received + timedelta(minutes=100),
                    phone_late=late,
                    phone_minutes_late=10 if late else 0,
                    closed_at=received + timedelta(hours=5),
                )
            )
        for i in range(per_year // 2):
            received = now - timedelta(days=365 * y + rng.uniform(1, 365))
            n = seq0 + y * per_year + i
            incoming.append(
                IncomingDocument(
                    channel=IncomingChannel.PAPER,
                    received_at=received,
                    issuing_body="省委办公厅",
                    title=f"历史来文{n}",
                    status=IncomingStatus.ARCHIVED,
                    prefix="收B",
                    year=received.year,
                    seq=n,
                    serial=f"收B〔{received.year}〕{n}号",
                )
            )
    SupervisionItem.objects.bulk_create(items, batch_size=5000)
    for it in items:
        links.append(ItemUnit(item=it, unit=it.lead_unit, role=UnitRole.LEAD, acknowledged_at=it.issued_at))
        if it.escalation_level:
            for level, kind in ((1, StepKind.COMMUNICATION), (2, StepKind.NOTICE), (3, StepKind.CIRCULAR)):
                if level <= it.escalation_level:
                    steps.append(
                        LadderStep(
                            item=it,
                            level=level,
                            kind=kind,
                            trigger="逾期",
                            opened_at=it.due_at,
                            due_at=it.due_at + timedelta(days=5),
                            resolved_at=it.closed_at,
                        )
                    )
    ItemUnit.objects.bulk_create(links, batch_size=5000)
    LadderStep.objects.bulk_create(steps, batch_size=5000)
    UrgentReport.objects.bulk_create(reports, batch_size=5000)
    IncomingDocument.objects.bulk_create(incoming, batch_size=5000)
    with connection.cursor() as cur:
        for table in (
            "supervision_supervisionitem",
            "supervision_itemunit",
            "supervision_ladderstep",
            "duty_urgentreport",
            "documents_incomingdocument",
        ):
            cur.execute(f"VACUUM ANALYZE {table}")


def change(verb: str = "bench.change") -> None:
    """One more event on the audit chain. ``bench.change`` belongs to no app a panel names, so every
    part of the dashboard is read again (a full read); ``duty.bench_change`` is what each of a typhoon
    night's urgent reports does: the duty room's part is read again, the others are kept."""
    from django.db import transaction

    from office.audit.services import audit_record

    with transaction.atomic():
        audit_record(actor=None, actor_label="bench", verb=verb)


def get(client, url: str, expect_cache: str | None = None):
    resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    if expect_cache is not None:
        assert resp["X-Dashboard-Cache"] == expect_cache, (url, resp["X-Dashboard-Cache"])
    return resp


def queries(client, url: str, *, changed: bool) -> int:
    """The queries of one refresh after a change (``changed``) or with nothing changed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _attempt in range(3):  # a kept copy met by the turn of the minute is read again: try anew
        get(client, url)
        if changed:
            change()
        with CaptureQueriesContext(connection) as ctx:
            resp = get(client, url)
        if resp["X-Dashboard-Cache"] == ("miss" if changed else "hit"):
            break
    else:
        raise AssertionError(f"{url}: no {'full read' if changed else 'kept copy'} to measure")
    assert b'data-testid="panel-supervision"' in resp.content
    return len(ctx)


def median_ms(
    client,
    url: str,
    rounds: int,
    *,
    changed: bool = False,
    expect_cache: str | None = None,
    verb: str = "bench.change",
) -> float:
    times = []
    for _ in range(rounds):
        if changed:
            change(verb)
        t0 = time.perf_counter()
        get(client, url, expect_cache)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,500 items a year and 20 rounds")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    rounds = args.rounds or (20 if args.quick else 60)
    per_year = 1500 if args.quick else 3000

    fresh_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.test import Client
    from django.utils import timezone

    from tests.dashboard import world as W

    rng = random.Random(2026)
    w = W.build(k=1, now=timezone.now())
    client = Client()
    client.force_login(w.director)

    add_history(w, 0, 1, per_year, rng)
    q1 = queries(client, "/dashboard/live/", changed=True)
    kept_q1 = queries(client, "/dashboard/live/", changed=False)
    ms1 = median_ms(client, "/dashboard/", rounds, changed=True)  # every part read: the worst case
    add_history(w, 1, 10, per_year, rng)
    q10 = queries(client, "/dashboard/live/", changed=True)
    kept_q10 = queries(client, "/dashboard/live/", changed=False)
    ms10 = median_ms(client, "/dashboard/", rounds, changed=True)
    # nothing changed; a round that meets the turn of the minute (a full read, as the first poll of every
    # minute is) counts as it was
    get(client, "/dashboard/live/")
    refresh = median_ms(client, "/dashboard/live/", rounds)
    refresh_changed = median_ms(client, "/dashboard/live/", rounds, changed=True, expect_cache="miss")
    refresh_duty = median_ms(
        client, "/dashboard/live/", rounds, changed=True, expect_cache="miss", verb="duty.bench_change"
    )

    rows = [
        ("items (ten years)", 10 * per_year),
        ("refresh queries after a change, 1 year", q1),
        ("refresh queries after a change, 10 years", q10),
        ("refresh queries with nothing changed, 1 / 10 years", f"{kept_q1} / {kept_q10}"),
        ("page median ms, 1 year", round(ms1)),
        ("page median ms, 10 years (target <= 150)", round(ms10)),
        ("refresh median ms, nothing changed, 10 years (target <= 50)", round(refresh)),
        ("refresh median ms, after a change, 10 years", round(refresh_changed)),
        ("refresh median ms, after a duty room write, 10 years", round(refresh_duty)),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  value")
    print("-" * (width + 20))
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    print(
        f"dashboard queries={q1} queries_10x={q10} ms={round(ms1)} ms_10x={round(ms10)} "
        f"refresh_ms={round(refresh)} refresh_changed_ms={round(refresh_changed)} refresh_duty_ms={round(refresh_duty)}"
    )


if __name__ == "__main__":
    main()
