#!/usr/bin/env python
"""The typhoon night (issue 16): the whole system under a surge of urgent reports, with a Celery worker
SIGKILLed, the broker's data lost and the database's connections terminated — measured from outside.

    python bench/typhoon.py --quick     # 30 units over 3 minutes (about 8 minutes in all)
    python bench/typhoon.py             # 100 units over 10 minutes (about 16 minutes in all)

It starts the production-like layout itself, on loopback only: gunicorn (4 workers × 4 threads) on a
free port, 2 Celery workers on both queues, one beat, the clock sweeper (2, as the compose file runs it),
a PostgreSQL database of its own (``office_typhoon``, dropped and created afresh, dropped at the end),
a redis-server of its own on a free loopback port (database 0 the broker, 1 the cache; nothing saved to
disk; the machine's Redis is not touched — or, with TYPHOON_BROKER_URL set, those databases of an existing
Redis). As compose's ``restart: unless-stopped`` and scripts/run's supervisord do, a process that exits on
its own is started again within a second, and the table names it. Locust (headless) drives:

- each unit's system (its own API key) reporting incidents on a surge curve: a first report, 3–5
  follow-ups and a final; 10 % with attachments; the duty room's limits shortened (phone 60 s, written
  120 s, warning 15 s before, the director 60 s after) so that alarms fire during the run;
- 20 staff sessions on the board (its live fragment, as polled), the supervision list and the dashboard;
- 5 duty officers recording the phone report upward: on time for a third, 30 s late for a third, never
  for the rest.

Disturbances at fixed moments of the load window: 25 % SIGKILL of Celery worker 1 (restarted 20 s
later); 50 % the redis-server SIGKILLed and started again, empty, 2 s later (with TYPHOON_BROKER_URL: FLUSHDB
of the broker's database instead); 70 % ``pg_terminate_backend`` of every connection of the app.

Side by side, the same alarms scheduled the naive way — one Celery ETA task per alarm (bench/typhoon/
naive.py, imported by the workers), no database sweep — counted the same way.

Prints a table, then as its last line:

    typhoon intake_p99_ms=<n> errors=<n> board_p95_ms=<n> alarm_late_p99_ms=<n> alarm_late_max_ms=<n>
            alarms_missed=<n> alarms_duplicated=<n> lost=<n>

The machine may be shared with other work (tests, other benchmarks): the load average is printed with
the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.typhoon import stack  # noqa: E402
from bench.typhoon.naive import CREATE_SQL, TABLE  # noqa: E402
from bench.typhoon.scenario import ClockMonitor, Ledger, Timing, account, lateness_near, plan_incidents  # noqa: E402

DB_URL = os.environ.get("TYPHOON_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_typhoon")
# Given, the run uses these databases of an existing Redis and substitutes FLUSHDB of the broker's for the
# restart; by default it starts a redis-server of its own on a free loopback port and restarts it for real.
BROKER_URL = os.environ.get("TYPHOON_BROKER_URL", "")
CACHE_URL = os.environ.get("TYPHOON_CACHE_URL", "")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {msg}", flush=True)


def locust_rows(prefix: Path) -> dict[str, dict]:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def pct(rows: dict, name: str, p: str) -> float:
    row = rows.get(name)
    if not row or row.get(p) in (None, "", "N/A"):
        return 0.0
    return float(row[p])


def warm_up(base_url: str, world, dashboard: str, rounds: int = 24) -> None:
    """Every page and API read of the scenario, ``rounds`` times from 16 threads, before the night
    starts: the typhoon arrives at a server that has been serving the office all day, so each gunicorn
    worker has already compiled its templates, loaded its translations and opened its connections. (Cold,
    the first 30 s of the run answered in up to 7 s while four freshly started workers did that under the
    surge: a figure of the start-up, not of the night.) Nothing is written."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    session = {"sessionid": world.director["sessionid"]}
    reads = [
        ("/duty/board/live/", session, {}),
        ("/duty/", session, {}),
        ("/supervision/", session, {}),
        (dashboard, session, {}),
        ("/", {"sessionid": world.staff[0]["sessionid"]}, {}),
        ("/api/v1/duty/reports", {}, {"X-Api-Key": world.units[0]["key"]}),
    ]

    def read(i: int) -> int:
        path, cookies, headers = reads[i % len(reads)]
        return httpx.get(base_url + path, cookies=cookies, headers=headers, timeout=60).status_code

    started = time.time()
    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(read, range(rounds * len(reads))))
    bad = [c for c in codes if c != 200]
    log(
        f"warmed up: {len(codes)} reads in {time.time() - started:.1f} s"
        + (f", {len(bad)} not 200" if bad else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="30 units over 3 minutes")
    parser.add_argument("--units", type=int, help="units reporting (default 100; --quick 30)")
    parser.add_argument("--per-unit", type=int, default=2, help="incidents per unit (default 2)")
    parser.add_argument("--window", type=int, help="load window in seconds (default 600; --quick 180)")
    parser.add_argument(
        "--tick", type=int, default=15, help="the sweeper's interval (OFFICE_CLOCK_TICK_SECONDS)"
    )
    parser.add_argument("--sweepers", type=int, default=2, help="clock sweepers (the compose file runs 2)")
    parser.add_argument("--batch", type=int, help="timers per sweep transaction (OFFICE_CLOCK_BATCH_SIZE)")
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--officers", type=int, default=5)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive Celery-ETA comparison")
    parser.add_argument("--no-faults", action="store_true", help="no disturbances (a baseline)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse-migrations",
        action="store_true",
        help="keep the migrated empty database as a template (office_typhoon_tpl_<hash of the migrations>)"
        " and start from it when the migrations have not changed: saves the minutes of migrate",
    )
    parser.add_argument(
        "--snapshot",
        choices=["worktree", "committed"],
        help="run a frozen copy of the checkout's files as they are now (worktree) or of the committed tree"
        " plus this scenario's files (committed), so that edits during the run change nothing",
    )
    args = parser.parse_args()
    units = args.units or (30 if args.quick else 100)
    window = args.window or (180 if args.quick else 600)
    timing = Timing()

    work = Path(tempfile.mkdtemp(prefix="typhoon-"))
    log(f"work folder {work} (logs of every process)")
    src = ROOT
    if args.snapshot:
        src = stack.snapshot(work / "src", committed=args.snapshot == "committed")
        sys.path.insert(0, str(src))
        os.chdir(src)  # celery puts the working directory first on sys.path when the app is imported
        head = subprocess.check_output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], text=True)
        log(f"running a {args.snapshot} snapshot (HEAD {head.strip()}) from {src}")
    global BROKER_URL, CACHE_URL
    own_redis = None
    if not BROKER_URL:
        own_redis = stack.RedisServer(work)
        BROKER_URL, CACHE_URL = own_redis.url(0), own_redis.url(1)
        log(f"redis-server of the run's own on port {own_redis.port} (restarted for real mid-run)")
    CACHE_URL = CACHE_URL or BROKER_URL.rsplit("/", 1)[0] + "/13"
    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "CACHE_URL": CACHE_URL,
        "OFFICE_VAR_DIR": str(work / "var"),
        "MEDIA_ROOT": str(work / "media"),
        "SECRET_KEY": "typhoon-bench-secret-key-not-for-production-0123456789",
        "DEBUG": "False",
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(src),
        # pages render without a collectstatic manifest (the load tool fetches no static files)
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "PYTHONUNBUFFERED": "1",
        "OFFICE_CLOCK_TICK_SECONDS": str(args.tick),
        "DJANGO_SETTINGS_MODULE": "office.settings",
        **timing.env(),
    }
    env.pop("OFFICE_REQUIRE_SERVICES", None)
    if args.batch:
        env["OFFICE_CLOCK_BATCH_SIZE"] = str(args.batch)
    os.environ.update(env)
    (work / "var").mkdir()

    layout = None
    locust = None
    monitor = None
    try:
        # --- the database, the world ---------------------------------------------------------------
        log(f"database {stack.db_name(DB_URL)} (fresh), broker {BROKER_URL}, cache {CACHE_URL}")
        key = stack.migrations_key(src)
        template = stack.template_for(DB_URL, key) if args.reuse_migrations else None
        stack.recreate_database(DB_URL, template=template)
        stack.flush_redis_db(BROKER_URL)
        stack.flush_redis_db(CACHE_URL)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0)
        if args.reuse_migrations and template is None:
            connections.close_all()
            stack.save_template(DB_URL, key)
        log("database migrated" + (f" (from the template {template})" if template else ""))
        with connection.cursor() as cur:
            cur.execute(CREATE_SQL)
        from bench.typhoon.world import build_world

        world = build_world(units=units, staff=args.staff, officers=args.officers)
        incidents = plan_incidents(units=units, per_unit=args.per_unit, window_s=window)
        connections.close_all()
        log(f"{units} units, {len(incidents)} incidents, {args.staff} staff, {args.officers} officers")

        # --- the layout ---------------------------------------------------------------------------
        layout = stack.Layout(env, work, cwd=src, sweepers=args.sweepers)
        layout.start()
        layout.wait_ready()
        layout.supervise()
        log(f"layout ready on {layout.base_url}: {', '.join(layout.procs)}")
        import httpx

        dashboard = "/dashboard/"
        r = httpx.get(
            layout.base_url + dashboard, cookies={"sessionid": world.director["sessionid"]}, timeout=30
        )
        if r.status_code != 200:
            dashboard = "/"
        warm_up(layout.base_url, world, dashboard)
        monitor = ClockMonitor(lambda: stack.pg_admin_db(DB_URL))
        monitor.start()

        # --- the load -----------------------------------------------------------------------------
        ledger = Ledger(work / "ledger.jsonl")
        t0 = time.time() + 10
        run_time = int(window + timing.phone_minutes * 60 + 45)
        config = {
            "world": world.as_dict(),
            "incidents": [i.as_dict() for i in incidents],
            "t0": t0,
            "ledger": str(ledger.path),
            "timing": timing.__dict__,
            "broker": BROKER_URL,
            "naive": not args.no_naive,
            "dashboard": dashboard,
        }
        (work / "config.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
        users = len(incidents) + args.staff + args.officers
        locust_log = open(work / "locust.log", "ab")  # noqa: SIM115
        locust = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                str(src / "bench" / "typhoon" / "locustfile.py"),
                "--headless",
                "--host",
                layout.base_url,
                "-u",
                str(users),
                "-r",
                str(users),
                "--run-time",
                f"{run_time}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(work / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=src,
            env={**env, "TYPHOON_CONFIG": str(work / "config.json")},
            stdout=locust_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log(f"locust: {users} users, load window {window} s from t0, run time {run_time} s")

        # --- the disturbances -----------------------------------------------------------------------
        disturbances: list[tuple[str, float]] = []

        def at(offset: float) -> None:
            delay = t0 + offset - time.time()
            if delay > 0:
                time.sleep(delay)

        def faults() -> None:
            at(0.25 * window)
            disturbances.append(("SIGKILL Celery worker 1 (restarted 20 s later)", time.time()))
            layout.kill("worker1")
            log("SIGKILL worker1")
            time.sleep(20)
            layout.restart("worker1")
            log("worker1 restarted")
            at(0.5 * window)
            if own_redis is not None:
                disturbances.append(("Redis killed and restarted 2 s later, its data lost", time.time()))
                own_redis.restart(down_s=2.0)
                log("redis-server SIGKILLed, restarted empty 2 s later")
            else:
                disturbances.append(("FLUSHDB of the broker's Redis db (restart, data lost)", time.time()))
                stack.flush_redis_db(BROKER_URL)
                log("FLUSHDB broker")
            at(0.7 * window)
            n = stack.terminate_app_connections(DB_URL)
            disturbances.append((f"pg_terminate_backend of the app's {n} connections", time.time()))
            log(f"pg_terminate_backend: {n} connections")

        fault_thread = None
        if not args.no_faults:
            fault_thread = threading.Thread(target=faults, daemon=True)
            fault_thread.start()
        locust.wait(timeout=run_time + 120)
        locust_log.close()
        if fault_thread:
            fault_thread.join(timeout=5)
        # Every alarm of the last incidents falls due, then one more tick and a little
        horizon_ts = t0 + window + timing.last_alarm_after_receipt_s
        wait = horizon_ts + 2 * args.tick + 5 - time.time()
        if wait > 0:
            log(f"load over; waiting {wait:.0f} s for the last alarms to fall due and fire")
            time.sleep(wait)
        load_avg = os.getloadavg()
        monitor.stop()

        # --- the accounting -------------------------------------------------------------------------
        connections.close_all()
        horizon = datetime.fromtimestamp(horizon_ts, UTC)
        result = account(
            ledger.rows(), horizon=horizon, grace_s=args.tick, naive_table=None if args.no_naive else TABLE
        )
        stats = locust_rows(work / "locust")
        intake_n = int(stats.get("intake", {}).get("Request Count", 0) or 0)
        recoveries = [
            (label, when, monitor.recovery(when), lateness_near(result, when)) for label, when in disturbances
        ]
    finally:
        # Each step on its own: whatever failed above, every process of the run is stopped.
        for step in (
            lambda: locust is not None and locust.poll() is None and stack.killpg(locust),
            lambda: monitor is not None and monitor.stop(),
            lambda: layout is not None and layout.stop(),
            lambda: __import__("django.db").db.connections.close_all(),
            lambda: args.keep or stack.drop_database(DB_URL),
            lambda: own_redis is None and stack.flush_redis_db(BROKER_URL),
            lambda: own_redis is None and stack.flush_redis_db(CACHE_URL),
            lambda: own_redis is not None and own_redis.stop(),
        ):
            try:
                step()
            except Exception as exc:
                log(f"cleaning up: {exc!r}")

    # --- the report -------------------------------------------------------------------------------------
    def p(name, q):
        return f"{pct(stats, name, q):.0f}"

    rows = [
        ("intake requests (API)", f"{intake_n}", ""),
        (
            "intake p50 / p95 / p99 (ms)",
            f"{p('intake', '50%')} / {p('intake', '95%')} / {p('intake', '99%')}",
            "p99 ≤ 300",
        ),
        (
            "errors (not retried 429s, 5xx, refused)",
            f"{result['errors']} ({100 * result['errors'] / max(intake_n, 1):.2f} % of intake)",
            "0",
        ),
        ("429 throttled then retried", f"{result['throttled']}", ""),
        ("board fragment p95 (ms)", p("board (live fragment)", "95%"), "≤ 300"),
        ("board page p95 (ms)", p("board (page)", "95%"), ""),
        ("dashboard p95 (ms)", f"{p('dashboard', '95%')} ({config['dashboard']})", "≤ 300"),
        ("supervision list p95 (ms)", p("supervision list", "95%"), ""),
        ("officer: record upward p95 (ms)", p("officer: record upward", "95%"), ""),
        (
            "reports / follow-ups+finals / attachments acknowledged",
            f"{result['reports']} / {result['updates']} / {result['attachments']}",
            "",
        ),
        (
            "lost (acknowledged, not in the database)",
            f"{result['lost']} ({result['lost_reports']}/{result['lost_updates']}/{result['lost_attachments']})",
            "0",
        ),
        (
            "in the database, not acknowledged (in flight at the stop, or retried)",
            f"{result['extra_items']}",
            "",
        ),
        ("upward reports recorded by officers", f"{result['upward']}", ""),
        (
            "alarms that must fire (limit met within a tick after: apart)",
            f"{result['alarms_expected']} ({result['alarms_raced']} apart)",
            "",
        ),
        (
            "office clock: fired / missed / doubled",
            f"{result['alarms_fired']} / {result['alarms_missed']} / {result['alarms_duplicated']}",
            "all / 0 / 0",
        ),
        (
            "office clock: lateness p50 / p99 / max (ms)",
            f"{result['alarm_late_p50_ms']} / {result['alarm_late_p99_ms']} / {result['alarm_late_max_ms']}",
            f"p99 ≤ 2000, max ≤ {args.tick * 1000}",
        ),
        (
            "notifications / delivered by the end / delivered twice",
            f"{result['notifications']} / {result['notifications_delivered']} / {result['notifications_duplicated']}",
            "- / all / 0",
        ),
        (
            "processes restarted by the restart policy (exited on their own)",
            ", ".join(f"{n} (exit {c}, t+{w - t0:.0f} s)" for n, c, w in layout.restarts) or "none",
            "",
        ),
    ]
    if not args.no_naive:
        rows += [
            (
                "naive Celery ETA: fired / missed / doubled",
                f"{result['naive_fired']} / {result['naive_missed']} / {result['naive_duplicated']}",
                "",
            ),
            (
                "naive Celery ETA: lateness p50 / p99 / max (ms)",
                f"{result['naive_late_p50_ms']} / {result['naive_late_p99_ms']} / {result['naive_late_max_ms']}",
                "",
            ),
        ]
    for label, when, rec, late in recoveries:
        rows.append(
            (
                f"after: {label} (t+{when - t0:.0f} s)",
                f"next sweep {rec['next_sweep_s']} s, max tick lag {rec['max_lag_s']} s, alarms due in the next 30 s late ≤ {late} s",
                f"≤ {args.tick} s",
            )
        )
    rows.append(
        (
            "clock: tick / batch / sweepers",
            f"{args.tick} s / {env.get('OFFICE_CLOCK_BATCH_SIZE', 'default (25)')} / {args.sweepers}",
            "",
        )
    )
    rows.append(
        ("machine load average (1/5/15 min)", " / ".join(f"{x:.1f}" for x in load_avg), "shared machine")
    )
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    print()
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, width, strict=True)))
    if result["missed_keys"]:
        print("missed (first 10):", ", ".join(result["missed_keys"]))
    print(f"(logs and locust statistics in {work})" if args.keep else "")
    print(
        f"typhoon intake_p99_ms={p('intake', '99%')} errors={result['errors']} board_p95_ms={p('board (live fragment)', '95%')}"
        f" alarm_late_p99_ms={result['alarm_late_p99_ms']} alarm_late_max_ms={result['alarm_late_max_ms']}"
        f" alarms_missed={result['alarms_missed']} alarms_duplicated={result['alarms_duplicated']} lost={result['lost']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
