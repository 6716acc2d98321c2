"""The embedded default: several processes ticking over one SQLite file serialise on the write lock
(transactions begin IMMEDIATE) and still fire each timer exactly once, without SKIP LOCKED."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
N_TIMERS = 400
N_PROCS = 3

SETUP = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from office.clock.models import Timer
from office.org.models import Unit
unit = Unit.objects.create(name="测试", code="sqlite-race", kind="office")
ct = ContentType.objects.get_for_model(unit)
Timer.objects.bulk_create([
    Timer(subject_type=ct, subject_id=str(unit.pk), kind="test.slow", step=i, due_at=timezone.now())
    for i in range(%d)
])
"""

TICK = """
import json, os, sys, time, django; django.setup()
from office.clock.registry import timer_handler
from office.clock.services import clock_tick

@timer_handler("test.slow")
def slow(timer):
    time.sleep(0.002)  # a handler that takes a moment, so the processes' batches alternate

open(sys.argv[1] + ".ready." + str(os.getpid()), "w").close()
deadline = time.monotonic() + 120
while not os.path.exists(sys.argv[1] + ".go") and time.monotonic() < deadline:
    time.sleep(0.01)
total = batches = 0
while True:
    result = clock_tick(drain=True)
    total += result.fired
    batches += result.batches
    if not result.fired:
        break
print(json.dumps({"fired": total, "batches": batches}))
"""


def run_env(tmp_path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'office.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "OFFICE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "office.settings",
        "OFFICE_CLOCK_BATCH_SIZE": "10",
        "OFFICE_CLOCK_TICK_FANOUT": "0",
        "LOG_LEVEL": "ERROR",
    }


def test_processes_ticking_one_sqlite_file_fire_each_timer_exactly_once(tmp_path, db):
    env = run_env(tmp_path)
    subprocess.run([sys.executable, "-c", SETUP % N_TIMERS], cwd=ROOT, env=env, check=True, timeout=300)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", TICK, str(tmp_path / "start")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(N_PROCS)
    ]
    try:
        # Start them together, so the ticks really race.
        deadline = time.monotonic() + 120
        while len(list(tmp_path.glob("start.ready.*"))) < N_PROCS and time.monotonic() < deadline:
            time.sleep(0.05)
        (tmp_path / "start.go").touch()
        outputs = [json.loads(p.communicate(timeout=300)[0]) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert all(p.returncode == 0 for p in procs)
    # Every process ticked while the others held the write lock; SQLite's busy handler is not fair, so
    # one of them may have done most of the work. None failed ("database is locked" on a stale
    # snapshot is what a deferred BEGIN would give) and none fired a timer another one had fired.
    assert all(o["batches"] >= 1 for o in outputs), outputs
    # Each process reports what it fired itself: a timer fired twice would push the sum above N.
    assert sum(o["fired"] for o in outputs) == N_TIMERS
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from office.clock.models import Timer; "
            "print(Timer.objects.filter(fired_at__isnull=True).count(), Timer.objects.filter(attempts=1).count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert check.stdout.split() == ["0", str(N_TIMERS)]
