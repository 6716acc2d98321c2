#!/usr/bin/env python
"""Benchmark of a campaign's page (出点子、吐心声) on PostgreSQL, after the deadline, as the director sees
it: the progress of every participant and the short list by section.

    python bench/suggestions.py --quick      # 300 and 3,000 staff, 20 rounds
    python bench/suggestions.py              # the same sizes, 60 rounds

The database comes from DATABASE_URL (default: office_bench_sugg on the loopback server, created if
missing). The benchmark owns that database: it empties the suggestions tables and its own bench staff
before building. Staff, items (a third of them anonymous, by blind token) are bulk-inserted.

Measured: the SQL queries of the campaign page at 300 and at 3,000 staff (they must be equal) and the
median server time at 3,000 (target <= 100 ms). Last line:

    suggestions campaign_queries=<n> campaign_queries_10x=<n> campaign_ms=<n>
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
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_sugg")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from bench.supervision import ensure_database, setup_django  # noqa: E402  (after sys.path)


def reset():
    from django.contrib.auth import get_user_model
    from django.db import connection

    from office.org.models import Staff, Unit

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE suggestions_talkfollowup, suggestions_talknote, suggestions_talk, "
            "suggestions_submissionattachment, suggestions_submission_tags, suggestions_submission, "
            "suggestions_prompt, suggestions_campaign_units, suggestions_campaign_clerks, suggestions_campaign "
            "RESTART IDENTITY CASCADE"
        )
    Staff.objects.filter(user__username__startswith="bsug-").delete()
    get_user_model().objects.filter(username__startswith="bsug-").delete()
    Unit.objects.filter(code__startswith="bsug-s").delete()  # the sections, then the office above them
    Unit.objects.filter(code__startswith="bsug-").delete()


def make_office():
    from django.contrib.auth import get_user_model

    from office.org.models import Role, Staff, Unit, UnitKind
    from office.org.roles import assign_roles, sync_roles

    sync_roles()
    root = Unit.objects.create(code="bsug-office", name="基准市委办公室", kind=UnitKind.OFFICE)
    director = get_user_model().objects.create(username="bsug-director")
    Staff.objects.create(user=director, name="基准主任", unit=root)
    assign_roles(director, [Role.DIRECTOR])
    return root, director


def add_staff(root, start: int, stop: int, per_section: int = 30) -> list:
    """Staff start..stop-1 in sections of ``per_section``, each with the staff role."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from office.org.models import Role, Staff, Unit, UnitKind

    User = get_user_model()
    group = Group.objects.get(name=Role.STAFF)
    sections = {}
    for i in range(start // per_section, (stop - 1) // per_section + 1):
        sections[i], _ = Unit.objects.get_or_create(
            code=f"bsug-s{i:04d}",
            defaults={
                "name": f"基准科室{i:04d}",
                "kind": UnitKind.SECTION,
                "parent": root,
                "sort_order": 200 + i,
            },
        )
    users = User.objects.bulk_create(
        [User(username=f"bsug-{i:05d}", password="!") for i in range(start, stop)]
    )
    Staff.objects.bulk_create(
        [
            Staff(user=u, name=f"干部{start + k:05d}", unit=sections[(start + k) // per_section])
            for k, u in enumerate(users)
        ]
    )
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users]
    )
    return users


def add_items(campaign, users, rng: random.Random) -> None:
    from suggestions.models import Submission
    from suggestions.tokens import author_token

    prompts = list(campaign.prompts.all())
    rows = []
    for u in users:
        for _k in range(rng.choice([0, 1, 1, 2, 2, 2, 3])):
            anonymous = rng.random() < 0.33
            rows.append(
                Submission(
                    campaign=campaign,
                    prompt=rng.choice(prompts),
                    text="基准意见：建议改进办公室工作机制。",
                    visibility="anonymous" if anonymous else "named",
                    author=None if anonymous else u,
                    author_token=author_token(campaign_id=campaign.pk, user_id=u.pk) if anonymous else "",
                    submitted_at=campaign.opened_at + timedelta(days=1),
                )
            )
    Submission.objects.bulk_create(rows, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cur:
        for table in ("suggestions_submission", "org_staff", "auth_user", "auth_user_groups"):
            cur.execute(f"VACUUM ANALYZE {table}")


def page_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    assert b'data-testid="short-list"' in resp.content, "the short list should be on the page"
    return len(ctx)


def median_ms(client, url: str, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.9) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 rounds instead of 60")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    rounds = args.rounds or (20 if args.quick else 60)
    small, big = 300, 3000

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.test import Client
    from django.utils import timezone

    from suggestions.models import DEFAULT_PROMPTS, Campaign, Prompt

    rng = random.Random(2026)
    reset()
    root, director = make_office()
    now = timezone.now()
    campaign = Campaign.objects.create(
        title="出点子、吐心声",
        opened_by=director,
        opened_at=now - timedelta(days=8),
        deadline=now - timedelta(hours=1),
    )
    Prompt.objects.bulk_create(
        [Prompt(campaign=campaign, order=i, text=t) for i, t in enumerate(DEFAULT_PROMPTS)]
    )
    client = Client()
    client.force_login(director)
    url = f"/suggestions/{campaign.pk}/"

    users = add_staff(root, 0, small)
    add_items(campaign, users, rng)
    q_small = page_queries(client, url)
    med_small, _ = median_ms(client, url, rounds)

    users = add_staff(root, small, big)
    add_items(campaign, users, rng)
    q_big = page_queries(client, url)
    med_big, p90_big = median_ms(client, url, rounds)

    from suggestions.selectors import campaign_progress

    progress = campaign_progress(campaign)
    rows = [
        ("staff (small / full)", f"{small:,} / {big:,}"),
        ("items at full", f"{campaign.submissions.count():,}"),
        ("short at full", f"{progress.short_count:,} of {progress.participants:,}"),
        ("campaign page queries small / full", f"{q_small} / {q_big}"),
        ("campaign page median ms small", f"{med_small:.1f}"),
        ("campaign page median / p90 ms full", f"{med_big:.1f} / {p90_big:.1f}"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  value")
    print("-" * (width + 20))
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    print(f"suggestions campaign_queries={q_small} campaign_queries_10x={q_big} campaign_ms={round(med_big)}")


if __name__ == "__main__":
    main()
