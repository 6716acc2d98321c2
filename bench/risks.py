#!/usr/bin/env python
"""Benchmark of the post risk review's pages on PostgreSQL, as the director sees them: the register, the
heat map and the failed-this-quarter list, with a register of 40 posts × 5 risks and again 400 × 5.

    python bench/risks.py --quick      # 20 rounds
    python bench/risks.py              # 60 rounds

The database comes from DATABASE_URL (default: office_bench_risks on the loopback server, created if
missing). The benchmark owns that database: it empties the risks tables and its own bench staff first.

Measured: the SQL queries of each page at 1× and 10× (they must be equal) and the median server time at
10×. Last line:

    risks register_queries=<n> register_queries_10x=<n> register_ms=<n> heatmap_ms=<n> failed_ms=<n>
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_risks")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# pages render without a collectstatic manifest (the bench fetches no static files)
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

from bench.supervision import ensure_database, setup_django  # noqa: E402  (after sys.path)

AREAS = ["documents", "affairs", "meetings", "duty", "supervision", "confidential"]
URLS = {"register": "/risks/", "heatmap": "/risks/heatmap/", "failed": "/risks/failed/"}


def reset():
    from django.db import connection

    from office.org.models import Unit

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE risks_riskreview, risks_reviewcampaign_sections, risks_reviewcampaign, risks_riskincident, "
            "risks_control, risks_risk, risks_post_holders, risks_post RESTART IDENTITY CASCADE"
        )
    # the bench's director is kept (other apps' logs point at users); its sections go with the register
    Unit.objects.filter(code__startswith="brisk-s").delete()


def make_office():
    from django.contrib.auth import get_user_model

    from office.org.models import Role, Staff, Unit, UnitKind
    from office.org.roles import assign_roles, sync_roles

    sync_roles()
    root, _ = Unit.objects.get_or_create(
        code="brisk-office", defaults={"name": "基准市委办公室", "kind": UnitKind.OFFICE}
    )
    director, _ = get_user_model().objects.get_or_create(username="brisk-director")
    Staff.objects.get_or_create(user=director, defaults={"name": "基准主任", "unit": root})
    assign_roles(director, [Role.DIRECTOR])
    return root, director


def add_register(root, owner, start: int, stop: int, rng: random.Random) -> None:
    """Posts start..stop-1 (10 a section), 5 risks each with 2 controls; a third of the risks with an
    incident this quarter, some with two."""
    from django.utils import timezone

    from office.org.models import Unit, UnitKind
    from office.risks.models import Control, Post, Risk, RiskIncident, level_for

    now = timezone.now()
    sections = {}
    for i in range(start // 10, (stop - 1) // 10 + 1):
        sections[i] = Unit.objects.get_or_create(
            code=f"brisk-s{i}", defaults={"name": f"基准科室{i}", "kind": UnitKind.SECTION, "parent": root}
        )[0]
    posts = Post.objects.bulk_create(
        [
            Post(code=f"brisk-p{i}", name=f"岗位{i}", section=sections[i // 10], sort_order=i)
            for i in range(start, stop)
        ]
    )
    risks = []
    for post in posts:
        for k in range(5):
            likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
            risks.append(
                Risk(
                    post=post,
                    code=f"r{k}",
                    area=AREAS[k % len(AREAS)],
                    title=f"{post.name}风险{k}",
                    likelihood=likelihood,
                    impact=impact,
                    score=likelihood * impact,
                    level=level_for(likelihood * impact),
                    owner=owner,
                    last_reviewed_at=now - timedelta(days=30),
                    next_review_at=now + timedelta(days=150),
                )
            )
    risks = Risk.objects.bulk_create(risks, batch_size=2000)
    Control.objects.bulk_create(
        [Control(risk=r, order=j, description=f"措施{j}", owner=owner) for r in risks for j in range(2)],
        batch_size=5000,
    )
    incidents = []
    for r in risks:
        if rng.random() < 0.33:
            for j in range(rng.randint(1, 2)):
                incidents.append(
                    RiskIncident(
                        risk=r, kind="other", occurred_at=now - timedelta(hours=j + 1), summary="基准事件"
                    )
                )
    RiskIncident.objects.bulk_create(incidents, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cur:
        for table in ("risks_risk", "risks_riskincident", "risks_post", "risks_control"):
            cur.execute(f"VACUUM ANALYZE {table}")


def page_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    return len(ctx)


def median_ms(client, url: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 rounds instead of 60")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    rounds = args.rounds or (20 if args.quick else 60)
    small, big = 40, 400

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.test import Client

    rng = random.Random(2026)
    reset()
    root, director = make_office()
    client = Client()
    client.force_login(director)

    add_register(root, director, 0, small, rng)
    q_small = {name: page_queries(client, url) for name, url in URLS.items()}
    add_register(root, director, small, big, rng)
    q_big = {name: page_queries(client, url) for name, url in URLS.items()}
    ms = {name: median_ms(client, url, rounds) for name, url in URLS.items()}

    rows = [
        ("risks (1× / 10×)", f"{small * 5:,} / {big * 5:,}"),
        ("machine load (1 min, cores)", f"{os.getloadavg()[0]:.1f}, {os.cpu_count()}"),
    ]
    for name in URLS:
        rows.append((f"{name} queries 1× / 10×", f"{q_small[name]} / {q_big[name]}"))
        rows.append((f"{name} median ms 10×", f"{ms[name]:.1f}"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  value")
    print("-" * (width + 20))
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    print(
        f"risks register_queries={q_small['register']} register_queries_10x={q_big['register']} "
        f"register_ms={round(ms['register'])} heatmap_ms={round(ms['heatmap'])} failed_ms={round(ms['failed'])}"
    )


if __name__ == "__main__":
    main()
