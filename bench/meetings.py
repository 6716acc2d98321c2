#!/usr/bin/env python
"""Benchmark of 办会 on PostgreSQL: the month calendar (with readiness badges) over a year of meetings,
and the seating plan of a meeting of 60 attendees.

    python bench/meetings.py --quick      # 300 and 3,000 meetings a year, 20 rounds
    python bench/meetings.py              # the same sizes, 60 rounds

The database comes from DATABASE_URL (default: office_bench_meet on the loopback server, created if
missing). The benchmark owns that database: it empties the meetings tables and its own bench rows before
building. Meetings and their eight checklist items each are bulk-inserted over the past and coming six
months (no clock ladders: the calendar does not read them).

Measured: the SQL queries of the month calendar at 1× and 10× (they must be equal), the median server
time of that page at 10× (target <= 100 ms), and the median time of generating and storing the seating
plan of 60 attendees (15 leaders on the rostrum, 45 unit attendees; target <= 50 ms). Last line:

    meetings calendar_queries=<n> calendar_queries_10x=<n> calendar_ms=<n> seating_60_ms=<n>
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
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_meet")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from bench.supervision import ensure_database, setup_django  # noqa: E402  (after sys.path)

# Users and units of earlier runs may be referenced by other apps' rows (the security log of a sign-in):
# each run makes its own, named by the run.
PREFIX = f"bmeet-{int(time.time())}-"


def reset():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE meetings_seatassignment, meetings_minutesdecision, meetings_meetingincident, "
            "meetings_checklistitem, meetings_signin, meetings_receipt, meetings_meetingnotice, "
            "meetings_meetingleader, meetings_meeting_units, meetings_meeting_service_staff, meetings_meeting "
            "RESTART IDENTITY CASCADE"
        )


def make_office():
    from django.contrib.auth import get_user_model

    from office.meetings.models import Room
    from office.meetings.seed import ensure_defaults
    from office.org.models import Role, Staff, Unit, UnitKind
    from office.org.roles import assign_roles, sync_roles

    sync_roles()
    ensure_defaults()
    User = get_user_model()
    root = Unit.objects.create(
        code=f"{PREFIX}office", name=f"基准市委办公室（办会）{PREFIX}", kind=UnitKind.OFFICE
    )
    director = User.objects.create(username=f"{PREFIX}director", password="!")
    Staff.objects.create(user=director, name="基准主任", unit=root)
    assign_roles(director, [Role.DIRECTOR])
    rooms = [
        Room.objects.get_or_create(name=f"基准会议室{i}", defaults={"capacity": 200})[0] for i in range(6)
    ]
    return root, director, rooms


def add_meetings(n: int, rooms, director, rng: random.Random, offset: int = 0) -> None:
    """n meetings spread over a year centred on today, each with the checklist of its type."""
    from django.utils import timezone

    from office.meetings.models import ChecklistItem, ChecklistTemplateItem, Meeting, MeetingType

    types = list(MeetingType.objects.all())
    templates = {t.pk: list(ChecklistTemplateItem.objects.filter(template__meeting_type=t)) for t in types}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    meetings = []
    for i in range(n):
        start = now + timedelta(days=rng.randint(-182, 182), hours=rng.randint(-4, 4))
        meetings.append(
            Meeting(
                meeting_type=rng.choice(types),
                title=f"基准会议{offset + i:05d}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                room=None,  # overlaps are the booking service's business, not the calendar's
                organizer=director,
                created_by=director,
            )
        )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
    items = []
    for m in meetings:
        for t in templates[m.meeting_type_id]:
            due = m.starts_at - timedelta(minutes=t.offset_minutes)
            items.append(
                ChecklistItem(
                    meeting=m,
                    order=t.order,
                    code=t.code,
                    name=t.name,
                    owner_kind=t.owner_kind,
                    owner=director,
                    due_at=due,
                    offset_minutes=t.offset_minutes,
                    needs_devices=t.needs_devices,
                    done_at=due if (due < now and rng.random() < 0.95) else None,
                )
            )
    ChecklistItem.objects.bulk_create(items, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cur:
        for table in ("meetings_meeting", "meetings_checklistitem"):
            cur.execute(f"VACUUM ANALYZE {table}")


def page_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    return len(ctx)


def median_ms(fn, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.9) - 1)]


def seating_meeting(root, director, rooms):
    """A meeting with 15 leaders (director, deputies, chiefs) and 45 attending units, every one answered."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from office.meetings.models import Meeting, MeetingLeader, MeetingType, Receipt, Response
    from office.org.models import Role, Staff, Unit, UnitKind

    User = get_user_model()
    leaders = User.objects.bulk_create(
        [User(username=f"{PREFIX}leader{i:02d}", password="!") for i in range(14)]
    )
    Staff.objects.bulk_create([Staff(user=u, name=f"领导{i:02d}", unit=root) for i, u in enumerate(leaders)])
    deputies, chiefs = (
        Group.objects.get(name=Role.DEPUTY_DIRECTOR),
        Group.objects.get(name=Role.SECTION_CHIEF),
    )
    User.groups.through.objects.bulk_create(
        [
            User.groups.through(user_id=u.pk, group_id=(deputies if i < 5 else chiefs).pk)
            for i, u in enumerate(leaders)
        ]
    )
    units = Unit.objects.bulk_create(
        [
            Unit(
                code=f"{PREFIX}u{i:03d}",
                name=f"{PREFIX}基准单位{i:03d}",
                kind=UnitKind.DEPARTMENT,
                sort_order=i,
            )
            for i in range(45)
        ]
    )
    start = timezone.now() + timedelta(days=400)
    meeting = Meeting.objects.create(
        meeting_type=MeetingType.objects.get(code="leaders"),
        title="基准排座会议",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        presiding=director,
        organizer=director,
    )
    MeetingLeader.objects.bulk_create(
        [MeetingLeader(meeting=meeting, user=u, order=i) for i, u in enumerate(leaders)]
    )
    Receipt.objects.bulk_create(
        [
            Receipt(meeting=meeting, unit=u, response=Response.ATTEND, attendee_name=f"参会人{i:02d}")
            for i, u in enumerate(units)
        ]
    )
    return meeting


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 rounds instead of 60")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    rounds = args.rounds or (20 if args.quick else 60)
    small, big = 300, 3000

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.conf import settings

    # the pages' static URLs without a collectstatic manifest (the bench measures the server, not assets)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    rng = random.Random(2026)
    reset()
    root, director, rooms = make_office()
    client = Client()
    client.force_login(director)
    url = f"/meetings/?view=month&date={timezone.localdate().isoformat()}"

    add_meetings(small, rooms, director, rng)
    q_small = page_queries(client, url)
    med_small, _ = median_ms(lambda: client.get(url), rounds)

    add_meetings(big - small, rooms, director, rng, offset=small)
    q_big = page_queries(client, url)
    med_big, p90_big = median_ms(lambda: client.get(url), rounds)

    from office.meetings.services.seating_plan import seating_generate

    meeting = seating_meeting(root, director, rooms)

    def generate():
        with transaction.atomic():
            seating_generate(actor=director, meeting=meeting)

    generate()
    seats = meeting.seats.count()
    med_seat, p90_seat = median_ms(generate, rounds)

    rows = [
        ("meetings a year (1x / 10x)", f"{small:,} / {big:,}"),
        ("month calendar queries 1x / 10x", f"{q_small} / {q_big}"),
        ("month calendar median ms 1x", f"{med_small:.1f}"),
        ("month calendar median / p90 ms 10x", f"{med_big:.1f} / {p90_big:.1f}"),
        ("seats generated", f"{seats}"),
        ("seating of 60 median / p90 ms", f"{med_seat:.1f} / {p90_seat:.1f}"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  value")
    print("-" * (width + 20))
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    print(
        f"meetings calendar_queries={q_small} calendar_queries_10x={q_big} calendar_ms={round(med_big)} "
        f"seating_60_ms={round(med_seat)}"
    )


if __name__ == "__main__":
    main()
