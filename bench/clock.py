#!/usr/bin/env python
"""Benchmark of the office clock against PostgreSQL + Redis with a real worker and beat.

    python bench/clock.py --quick        # 100,000 not-yet-due timers in the sweep case
    python bench/clock.py                # 1,000,000

URLs come from the environment (DATABASE_URL, CELERY_BROKER_URL) with loopback defaults: database
office_bench_clock (created if missing) and Redis db 4. The benchmark owns that database: it truncates
the clock's timers between phases. Prints a table, then as its last line:

    clock lateness_p99_ms=<n> recovery_max_s=<n> sweep_ratio=<x> due10k_s=<n>
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
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_clock")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/4")
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


class Worker:
    def __init__(self, tick: int, *, beat: bool, log: Path):
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "office",
            "worker",
            "-Q",
            "critical,default",
        ]
        cmd += ["-c", "2", "-n", f"benchclock-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
        cmd += ["--loglevel", "WARNING"]
        env = {**os.environ, "OFFICE_CLOCK_TICK_SECONDS": str(tick)}
        self.logf = open(log, "ab")  # noqa: SIM115
        self.procs = [
            subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=self.logf, stderr=subprocess.STDOUT, start_new_session=True
            )
        ]
        if beat:  # the clock's sweep: manage.py clock_sweeper on its own timer (no beat message any more)
            sweeper = [sys.executable, "manage.py", "clock_sweeper", "--interval", str(tick)]
            self.procs.append(
                subprocess.Popen(
                    sweeper,
                    cwd=ROOT,
                    env=env,
                    stdout=self.logf,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        self.proc = self.procs[0]

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
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
        "--quick", action="store_true", help="100,000 not-yet-due timers instead of 1,000,000"
    )
    parser.add_argument("--tick", type=int, default=15, help="tick interval of the worker's beat (s)")
    args = parser.parse_args()
    large = 100_000 if args.quick else 1_000_000

    ensure_database(os.environ["DATABASE_URL"])
    os.environ["OFFICE_CLOCK_TICK_SECONDS"] = str(args.tick)
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from office.celery import app
    from office.clock.models import ClockState, Timer
    from office.clock.services import clock_tick, timer_schedule
    from office.clock.services import timers as timer_services
    from office.org.models import Unit, UnitKind

    subject, _ = Unit.objects.get_or_create(
        code="bench-clock", defaults={"name": "时钟基准", "kind": UnitKind.OFFICE}
    )
    ct = ContentType.objects.get_for_model(subject)
    log = ROOT / "var" / "bench-clock-worker.log"
    log.parent.mkdir(exist_ok=True)
    step = iter(range(10**9))
    counter = [0]  # SQL-inserted steps live above the ones timer_schedule uses

    def truncate():
        with connection.cursor() as cur:
            cur.execute("TRUNCATE clock_timer")

    def insert_sql(n: int, due_sql: str) -> None:
        """Insert n probe timers with SQL (1M rows in seconds); ``due_sql`` may use g (1..n)."""
        first = next(step) + 1_000_000_000 + counter[0]
        counter[0] += n
        with connection.cursor() as cur:
            cur.execute(
                f"""INSERT INTO clock_timer (subject_type_id, subject_id, kind, step, due_at, attempts,
                        last_error, data, created_at, updated_at)
                    SELECT %s, %s, 'clock.probe', %s + g, {due_sql}, 0, '', '{{}}', now(), now()
                    FROM generate_series(1, %s) AS g""",
                [ct.pk, str(subject.pk), first, n],
            )

    def unfired() -> int:
        return Timer.objects.filter(fired_at__isnull=True, cancelled_at__isnull=True).count()

    app.connection_for_write().default_channel.client.flushdb()  # our own Redis db: no stale tasks
    truncate()
    rows = []

    # --- 1. lateness with the fast path -----------------------------------------------------------
    worker = Worker(args.tick, beat=True, log=log)
    try:
        started = timezone.now()
        wait_until(
            lambda: ClockState.objects.filter(last_tick_at__gt=started).exists(), timeout=args.tick + 60
        )
        for _ in range(200):  # due relative to each call: scheduling itself takes time on a busy machine
            due = timezone.now() + timedelta(seconds=random.uniform(1, 10))
            timer_schedule(subject=subject, kind="clock.probe", step=next(step), due_at=due)
        wait_until(lambda: unfired() == 0, timeout=60)
        late = sorted(
            (t.fired_at - t.due_at).total_seconds() * 1000
            for t in Timer.objects.filter(fired_at__isnull=False)
        )
        p99 = late[min(len(late) - 1, int(len(late) * 0.99))]
        rows.append(
            ("lateness p50 (ms)", "200 timers due in 1–10 s, fast path", f"{statistics.median(late):.0f}", "")
        )
        rows.append(("lateness p99 (ms)", "", f"{p99:.0f}", "≤ 1000"))
        rows.append(("lateness max (ms)", "", f"{late[-1]:.0f}", ""))

        # --- 2. recovery: fast-path tasks dropped, only the beat tick can fire them ----------------
        truncate()
        original = timer_services.send_fast_path
        timer_services.send_fast_path = lambda timer_id, due_at: None  # the broker "lost" them
        try:
            for _ in range(50):
                due = timezone.now() + timedelta(seconds=random.uniform(1, 5))
                timer_schedule(subject=subject, kind="clock.probe", step=next(step), due_at=due)
        finally:
            timer_services.send_fast_path = original
        wait_until(lambda: unfired() == 0, timeout=args.tick * 3 + 30)
        recovery = max((t.fired_at - t.due_at).total_seconds() for t in Timer.objects.all())
        rows.append(
            (
                "recovery max (s)",
                f"50 timers, fast path dropped, tick {args.tick} s",
                f"{recovery:.2f}",
                f"≤ {args.tick + 1}",
            )
        )
    finally:
        worker.stop()

    # --- 3. sweep: 1,000 due among many not-yet-due (in-process tick, worker stopped) ---------------
    def sweep_samples(background: int) -> list[float]:
        """Seconds for one tick to fire 1,000 due timers among ``background`` not-yet-due ones, 7 runs."""
        truncate()
        if background:
            insert_sql(background, "now() + interval '1 day' + mod(g, 2592000) * interval '1 second'")
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE clock_timer")
        samples = []
        for _ in range(7):
            insert_sql(1000, "now() - interval '1 second'")
            t0 = time.perf_counter()
            fired = clock_tick(drain=True).fired
            samples.append(time.perf_counter() - t0)
            assert fired == 1000, fired
        return samples

    sweep_samples(0)  # warm-up (connections, caches, the worker's shutdown): not counted
    small = sweep_samples(10_000)
    big = sweep_samples(large)
    # The minimum of several runs is the cost of the work itself; other load on the machine only adds.
    ratio = min(big) / min(small)
    median_ratio = statistics.median(big) / statistics.median(small)
    for n, samples in ((10_000, small), (large, big)):
        rows.append(
            (
                "sweep 1,000 due (s)",
                f"among {n:,} not yet due (min / median of 7)",
                f"{min(samples):.3f} / {statistics.median(samples):.3f}",
                "",
            )
        )
    rows.append(
        ("sweep ratio", f"{large:,} / 10,000, min (median {median_ratio:.2f})", f"{ratio:.2f}", "≤ 1.5")
    )

    # --- 4. 10,000 due at once, 2 worker processes ---------------------------------------------------
    truncate()
    worker = Worker(args.tick, beat=False, log=log)
    try:
        time.sleep(5)  # let the worker start (not part of the measurement)
        insert_sql(10_000, "now()")
        t0 = timezone.now()
        app.send_task("office.clock.tick", queue="critical")
        wait_until(lambda: unfired() == 0, timeout=300, every=0.25)
        due10k = (Timer.objects.aggregate(m=Max("fired_at"))["m"] - t0).total_seconds()
    finally:
        worker.stop()
    rows.append(("due10k (s)", "10,000 due at once, 2 processes", f"{due10k:.2f}", "≤ 5"))
    truncate()

    width = [max(len(str(r[i])) for r in rows) for i in range(4)]
    header = ("measure", "case", "value", "target")
    width = [max(w, len(h)) for w, h in zip(width, header, strict=True)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, width, strict=True)))
    print("-+-".join("-" * w for w in width))
    for r in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, width, strict=True)))
    print(
        f"clock lateness_p99_ms={p99:.0f} recovery_max_s={recovery:.2f} sweep_ratio={ratio:.2f} due10k_s={due10k:.2f}"
    )


if __name__ == "__main__":
    main()
