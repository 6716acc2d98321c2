#!/usr/bin/env python
"""Benchmark of the duty room against PostgreSQL + Redis.

    python bench/duty.py --quick        # a year of rosters, 5,000 then 50,000 urgent reports
    python bench/duty.py                # 50,000 then 500,000

URLs come from the environment (DATABASE_URL, CELERY_BROKER_URL) with loopback defaults: database
office_bench_duty (created if missing) and Redis db 9. The benchmark owns that database: it empties the
duty room's tables and the clock's timers first. Prints a table, then as its last line:

    duty board_queries=<n> board_queries_10x=<n> board_ms=<n> report_to_alert_ms=<n>

board_queries / board_queries_10x: queries of one duty-board refresh (the htmx fragment) at the small
and the ten-times-larger number of reports (must be equal). board_ms: median server time of that
refresh. report_to_alert_ms: reports received with a 5 s phone limit (test setting) while a real
worker with beat runs; median of (time the duty leader's alarm was raised − the limit).
"""

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_duty")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The test setting of the alert measurement: a 重大 report's phone limit of 5 seconds.
LIMIT_SECONDS = 5
os.environ["OFFICE_DUTY_LIMIT_MAJOR_PHONE"] = str(LIMIT_SECONDS / 60)
os.environ["OFFICE_DUTY_LIMIT_MAJOR_WRITTEN"] = str(4 * LIMIT_SECONDS / 60)


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


class Worker:
    """A real Celery worker with embedded beat (the clock's tick) on both queues."""

    def __init__(self, log: Path, tick: int):
        cmd = [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "office",
            "worker",
            "-Q",
            "critical,default",
        ]
        cmd += ["-c", "2", "-n", f"benchduty-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
        cmd += ["--loglevel", "WARNING", "-B", "-s", str(log.with_suffix(".beat"))]
        env = {**os.environ, "OFFICE_CLOCK_TICK_SECONDS": str(tick)}
        self.logf = open(log, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self.logf, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.logf.close()


def wait_until(predicate, timeout: float, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    raise TimeoutError("benchmark phase did not finish in time")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="5,000 / 50,000 reports instead of 50,000 / 500,000"
    )
    parser.add_argument("--samples", type=int, default=30, help="board refreshes timed per size")
    parser.add_argument("--alerts", type=int, default=10, help="reports created for the alert measurement")
    parser.add_argument("--tick", type=int, default=15, help="tick interval of the worker's beat (s)")
    args = parser.parse_args()
    small, large = (5_000, 50_000) if args.quick else (50_000, 500_000)

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from duty.models import DutyAlert, Pool, ReportLevel, RotationMember, UrgentReport
    from duty.services.reports import report_receive
    from duty.services.roster import roster_generate, roster_publish
    from office.celery import app
    from office.org.models import Role, Staff, Unit, UnitKind
    from office.org.roles import assign_roles

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE duty_dutyalert, duty_coveragealert, duty_handoveritem, duty_handover, duty_logentry,"
            " duty_upwardreport, duty_reportattachment, duty_reportupdate, duty_urgentreport, duty_phonerecord,"
            " duty_swaprequest, duty_shift, duty_roster, duty_rotationmember, clock_timer CASCADE"
        )
    app.connection_for_write().default_channel.client.flushdb()  # our own Redis db: no stale tasks
    rows = []

    # --- people ----------------------------------------------------------------------------------------
    User = get_user_model()
    office, _ = Unit.objects.get_or_create(
        code="bench-duty", defaults={"name": "值班基准办公室", "kind": UnitKind.OFFICE}
    )
    towns = [
        Unit.objects.get_or_create(
            code=f"bench-town{i}", defaults={"name": f"基准乡镇{i}", "kind": UnitKind.TOWNSHIP}
        )[0]
        for i in range(8)
    ]

    def person(username, name, *roles):
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_unusable_password()
            user.save()
            Staff.objects.create(user=user, name=name, unit=office, phone="13900000000")
        assign_roles(user, roles)
        return user

    director = person("bench-director", "主任", Role.DIRECTOR)
    leaders = [
        person(f"bench-leader{i}", f"带班{i}", Role.DUTY_LEADER, Role.DEPUTY_DIRECTOR) for i in range(4)
    ]
    officers = [person(f"bench-officer{i}", f"值班员{i}", Role.DUTY_OFFICER) for i in range(8)]
    for pool, people in ((Pool.LEADER, leaders), (Pool.OFFICER, officers)):
        for i, u in enumerate(people):
            RotationMember.objects.create(user=u, pool=pool, order=i)

    # --- a year of rosters: six months back, six ahead ---------------------------------------------------
    today = timezone.localdate()
    months = []
    y, m = today.year, today.month
    for _ in range(6):
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    for _ in range(12):
        months.append((y, m))
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    t0 = time.perf_counter()
    for y, m in months:
        roster_publish(actor=director, roster=roster_generate(actor=director, year=y, month=m))
    roster_s = time.perf_counter() - t0
    rows.append(("rosters", "12 months generated + published", f"{roster_s:.1f} s", ""))

    # --- reports: bulk history, a few open ------------------------------------------------------------
    now = timezone.now()
    levels = ReportLevel.values

    def add_reports(n: int) -> None:
        batch = []
        for _ in range(n):
            received = now - timedelta(minutes=random.randint(60, 360 * 24 * 60))
            phone_late = random.random() < 0.05
            batch.append(
                UrgentReport(
                    title="历史紧急信息",
                    level=random.choice(levels),
                    status="closed",
                    source_kind="api",
                    source_unit=random.choice(towns),
                    received_at=received,
                    elements={"time": "x", "place": "y"},
                    completeness=15,
                    update_count=2,
                    phone_due_at=received + timedelta(minutes=30),
                    written_due_at=received + timedelta(minutes=60),
                    phone_reported_at=received + timedelta(minutes=40 if phone_late else 20),
                    written_reported_at=received + timedelta(minutes=50),
                    phone_late=phone_late,
                    phone_minutes_late=10 if phone_late else 0,
                    closed_at=received + timedelta(hours=5),
                )
            )
            if len(batch) == 5000:
                UrgentReport.objects.bulk_create(batch)
                batch = []
        UrgentReport.objects.bulk_create(batch)
        with connection.cursor() as cur:
            cur.execute("ANALYZE duty_urgentreport")

    # Open ones the board must show, received through the service (timers and all).
    for i in range(12):
        report_receive(actor=officers[0], title=f"处置中事件{i}", level=random.choice(levels))

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(director)

    def board() -> tuple[int, float]:
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            resp = client.get("/duty/board/live/")
            elapsed = (time.perf_counter() - t) * 1000
        assert resp.status_code == 200, resp.status_code
        return len(ctx.captured_queries), elapsed

    add_reports(small - UrgentReport.objects.count())
    board()  # warm up
    samples = [board() for _ in range(args.samples)]
    q_small, ms_small = samples[0][0], statistics.median(s[1] for s in samples)
    rows.append(("board queries", f"{small:,} reports", str(q_small), ""))
    rows.append(("board ms (median)", f"{small:,} reports", f"{ms_small:.1f}", ""))
    add_reports(large - UrgentReport.objects.count())
    board()
    samples = [board() for _ in range(args.samples)]
    q_large, ms_large = samples[0][0], statistics.median(s[1] for s in samples)
    rows.append(("board queries", f"{large:,} reports", str(q_large), f"= {q_small}"))
    rows.append(("board ms (median)", f"{large:,} reports", f"{ms_large:.1f}", "≤ 100"))

    # --- report → alert with a real worker and beat ------------------------------------------------------
    log = ROOT / "var" / "bench-duty-worker.log"
    log.parent.mkdir(exist_ok=True)
    worker = Worker(log, args.tick)
    try:
        from office.clock.models import ClockState

        started = timezone.now()
        wait_until(
            lambda: ClockState.objects.filter(last_tick_at__gt=started).exists(), timeout=args.tick + 90
        )
        created = []
        for i in range(args.alerts):
            created.append(report_receive(actor=officers[1], title=f"时限测试{i}", level="major").pk)
            time.sleep(random.uniform(0.1, 0.5))
        wait_until(
            lambda: (
                DutyAlert.objects.filter(report_id__in=created, kind="report_phone", step=1).count()
                == len(created)
            ),
            timeout=LIMIT_SECONDS + args.tick * 2 + 60,
        )
        lateness = sorted(
            (a.fired_at - a.due_at).total_seconds() * 1000
            for a in DutyAlert.objects.filter(report_id__in=created, kind="report_phone", step=1)
        )
    finally:
        worker.stop()
    alert_ms = statistics.median(lateness)
    rows.append(
        (
            "report→alert (ms)",
            f"{args.alerts} reports, {LIMIT_SECONDS} s limit, median",
            f"{alert_ms:.0f}",
            "≤ 1000",
        )
    )
    rows.append(("report→alert max (ms)", "", f"{lateness[-1]:.0f}", ""))

    width = [max(len(str(r[i])) for r in rows) for i in range(4)]
    header = ("measure", "case", "value", "target")
    width = [max(w, len(h)) for w, h in zip(width, header, strict=True)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, width, strict=True)))
    print("-+-".join("-" * w for w in width))
    for r in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, width, strict=True)))
    print(
        f"duty board_queries={q_small} board_queries_10x={q_large} board_ms={ms_large:.0f} report_to_alert_ms={alert_ms:.0f}"
    )


if __name__ == "__main__":
    main()
