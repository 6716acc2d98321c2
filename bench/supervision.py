#!/usr/bin/env python
"""Benchmark of supervision's list page and ledger export on PostgreSQL.

    python bench/supervision.py --quick      # 100,000 items, 500 units
    python bench/supervision.py              # 1,000,000 items, 2,000 units

The database comes from DATABASE_URL (default: office_bench_sup on the loopback server, created if
missing). The benchmark owns that database: it empties supervision's tables before building. Items are
bulk-inserted (a fixture, not the services) with realistic spreads of status, category, due dates and
milestones. Measured:

- the SQL queries of the list page (50 rows) at 10,000 and at the full size — they must be equal;
- the median server time of a filtered list page at the full size (target ≤ 150 ms);
- the Excel export of 10,000 items (target ≤ 10 s).

Prints a table, then as its last line:

    supervision list_queries=<n> list_queries_10x=<n> list_ms=<n> ledger_10k_s=<x>
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
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_sup")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def ensure_database(url: str) -> None:
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
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def setup_django():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def reset():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE supervision_sitevisitphoto, supervision_sitevisit, supervision_extensionrequest, "
            "supervision_feedback, supervision_ladderstep, supervision_milestone, supervision_itemunit, "
            "supervision_supervisionitem_commissioners, supervision_supervisionitem, "
            "supervision_itemnumbersequence RESTART IDENTITY CASCADE"
        )


def make_units(n: int):
    from office.org.models import Unit, UnitKind

    existing = {u.code: u for u in Unit.objects.filter(code__startswith="bench-")}
    new = [
        Unit(
            name=f"基准单位{i:04d}",
            code=f"bench-{i:04d}",
            kind=UnitKind.TOWNSHIP if i % 5 == 0 else UnitKind.DEPARTMENT,
            sort_order=1000 + i,
        )
        for i in range(n)
        if f"bench-{i:04d}" not in existing
    ]
    Unit.objects.bulk_create(new, batch_size=1000)
    return list(Unit.objects.filter(code__startswith="bench-").order_by("code")[:n])


def make_director():
    from django.contrib.auth import get_user_model

    from office.org.models import Role, Staff, Unit, UnitKind
    from office.org.roles import assign_roles, sync_roles

    sync_roles()
    User = get_user_model()
    user, created = User.objects.get_or_create(username="bench-director")
    if created:
        unit, _ = Unit.objects.get_or_create(
            code="bench-office", defaults={"name": "基准办公室", "kind": UnitKind.OFFICE}
        )
        Staff.objects.create(user=user, name="基准主任", unit=unit)
        assign_roles(user, [Role.DIRECTOR])
    return user


def add_items(start: int, stop: int, units, rng: random.Random) -> None:
    """Insert items start+1..stop (numbers 督〔2026〕N号) with their units and milestones."""
    from django.db import transaction
    from django.utils import timezone

    from supervision.models import (
        Category,
        ItemNumberSequence,
        ItemUnit,
        Milestone,
        Source,
        Status,
        SupervisionItem,
        UnitRole,
    )

    now = timezone.now()
    statuses = (
        [Status.ISSUED] * 2
        + [Status.IN_PROGRESS] * 5
        + [Status.SUBMITTED, Status.CLOSED, Status.CLOSED, Status.CANCELLED, Status.DRAFT]
    )
    categories, sources = Category.values, Source.values
    leaders = ["书记", "市长", "常务副市长", "副市长甲", "副市长乙", "副市长丙"]
    batch = 5000
    for lo in range(start, stop, batch):
        hi = min(stop, lo + batch)
        with transaction.atomic():
            items = []
            for seq in range(lo + 1, hi + 1):
                status = rng.choice(statuses)
                due = now + timedelta(days=rng.randint(-60, 120), hours=rng.randint(0, 23))
                items.append(
                    SupervisionItem(
                        number=f"督〔2026〕{seq}号",
                        year=2026,
                        seq=seq,
                        title=f"基准督办事项{seq}：推进重点项目建设",
                        requirement="按期完成并反馈。",
                        source=rng.choice(sources),
                        category=rng.choice(categories),
                        instructing_leader=rng.choice(leaders),
                        lead_unit=rng.choice(units),
                        status=status,
                        due_at=due,
                        issued_at=now - timedelta(days=30) if status != Status.DRAFT else None,
                        closed_at=due + timedelta(days=rng.randint(-10, 10))
                        if status == Status.CLOSED
                        else None,
                        next_milestone_due=due - timedelta(days=rng.randint(1, 20)) if seq % 3 else None,
                        escalation_level=rng.choice([0, 0, 0, 1, 2, 3]),
                        last_feedback_at=now - timedelta(days=rng.randint(0, 20)) if seq % 2 else None,
                        progress="正在推进。" if seq % 2 else "",
                    )
                )
            created = SupervisionItem.objects.bulk_create(items, batch_size=batch)
            links, milestones = [], []
            for item in created:
                links.append(
                    ItemUnit(
                        item=item,
                        unit=item.lead_unit,
                        role=UnitRole.LEAD,
                        ack_due_at=item.issued_at,
                        acknowledged_at=item.issued_at,
                    )
                )
                if item.seq % 3 == 0:
                    other = rng.choice(units)
                    if other.pk != item.lead_unit_id:
                        links.append(ItemUnit(item=item, unit=other, role=UnitRole.ASSIST))
                if item.next_milestone_due:
                    milestones.append(
                        Milestone(item=item, order=1, title="完成方案", due_at=item.next_milestone_due)
                    )
            ItemUnit.objects.bulk_create(links, batch_size=batch)
            Milestone.objects.bulk_create(milestones, batch_size=batch)
            ItemNumberSequence.objects.update_or_create(year=2026, defaults={"last_value": hi})
    from django.db import connection

    with connection.cursor() as cur:
        # VACUUM also flushes the GIN (trigram) pending lists a bulk load leaves behind, as autovacuum would
        # in an office that has been running for a while.
        for table in ("supervision_supervisionitem", "supervision_itemunit", "supervision_milestone"):
            cur.execute(f"VACUUM ANALYZE {table}")


def list_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    assert resp.content.count(b'data-testid="item-row"') == 50, "the list page should show 50 rows"
    return len(ctx)


def median_ms(client, urls: list[str], rounds: int) -> tuple[float, float]:
    times = []
    for i in range(rounds):
        url = urls[i % len(urls)]
        t0 = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 items and 500 units")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    total, n_units = (100_000, 500) if args.quick else (1_000_000, 2_000)
    small = total // 10

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.test import Client

    from supervision.models import SupervisionItem
    from supervision.selectors import item_list_for_user
    from supervision.services.ledger import ledger_export

    rng = random.Random(2026)
    t0 = time.perf_counter()
    reset()
    units = make_units(n_units)
    director = make_director()
    client = Client()
    client.force_login(director)
    add_items(0, small, units, rng)
    build_small_s = time.perf_counter() - t0

    list_url = "/supervision/"
    q_small = list_queries(client, list_url)
    t1 = time.perf_counter()
    data = ledger_export(item_list_for_user(user=director))
    ledger_s = time.perf_counter() - t1
    assert SupervisionItem.objects.count() == small

    t2 = time.perf_counter()
    add_items(small, total, units, rng)
    build_big_s = time.perf_counter() - t2
    q_big = list_queries(client, list_url)
    filtered = [
        "/supervision/?status=in_progress&category=project",
        "/supervision/?light=yellow",
        "/supervision/?light=red&category=urban",
        f"/supervision/?unit={units[7].pk}",
        "/supervision/?source=leader_instruction&leader=市长",
        "/supervision/?q=基准督办事项99",
    ]
    median_by_url = {}
    for url in filtered:
        median_by_url[url] = median_ms(client, [url], max(5, args.rounds // len(filtered)))[0]
    list_med, list_p90 = median_ms(client, filtered, args.rounds)

    rows = [
        ("units", f"{n_units:,}"),
        ("items (small / full)", f"{small:,} / {total:,}"),
        ("build small / grow to full (s)", f"{build_small_s:.1f} / {build_big_s:.1f}"),
        ("list page queries at small", q_small),
        ("list page queries at full", q_big),
        *[(f"  median ms {url}", f"{ms:.1f}") for url, ms in median_by_url.items()],
        ("filtered list median / p90 (ms)", f"{list_med:.1f} / {list_p90:.1f}"),
        (f"ledger export {small:,} items (s)", f"{ledger_s:.2f} ({len(data) / 1e6:.1f} MB)"),
    ]
    width = max(len(str(r[0])) for r in rows)
    print(f"{'measure'.ljust(width)}  value")
    print("-" * (width + 20))
    for name, value in rows:
        print(f"{str(name).ljust(width)}  {value}")
    print(
        f"supervision list_queries={q_small} list_queries_10x={q_big} list_ms={round(list_med)} "
        f"ledger_10k_s={ledger_s:.2f}"
    )


if __name__ == "__main__":
    main()
