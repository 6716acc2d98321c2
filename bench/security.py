#!/usr/bin/env python
"""Benchmark of the security layer (office/security) on PostgreSQL: what the security log's hash chain
and the per-request guard cost.

    python bench/security.py --quick      # 2,000 log rows, 40 page rounds
    python bench/security.py              # 20,000 log rows, 120 page rounds

The database comes from DATABASE_URL (default: office_bench_security on the loopback server, created if
missing). The benchmark owns that database: it empties the security log before building.

Measured: security log rows written per second by one writer (each its own transaction; rows are
linked after commit, so the writer takes no chain lock), the rows linked per second by ``chain_link``
(what the clock's sweeper does after each sweep), ``audit_verify``'s walk of the security chain in rows
per second, and the median server time of the home
page for a signed-in director with the level-3 rules off and on (idle and absolute limits, one session
per account, password expiry): the guard's cost per request. Last line:

    security log_rows_per_s=<n> link_rows_per_s=<n> verify_rows_per_s=<n> page_ms_off=<n> page_ms_on=<n> guard_queries=<n>
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_security")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# pages render without a collectstatic manifest (the bench fetches no static files)
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

from bench.supervision import ensure_database, setup_django  # noqa: E402  (after sys.path)


def reset():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ALTER TABLE security_securityevent DISABLE TRIGGER ALL")
        cur.execute("TRUNCATE security_securityevent RESTART IDENTITY CASCADE")
        cur.execute("ALTER TABLE security_securityevent ENABLE TRIGGER ALL")
        cur.execute("DELETE FROM audit_auditchain WHERE name = 'security_event'")


def director():
    from django.contrib.auth import get_user_model

    from office.org.models import Role, Staff, Unit, UnitKind
    from office.org.roles import assign_roles, sync_roles

    sync_roles()
    unit, _ = Unit.objects.get_or_create(
        code="bsec-office", defaults={"name": "基准安全办", "kind": UnitKind.OFFICE}
    )
    user, _ = get_user_model().objects.get_or_create(username="bsec-director")
    Staff.objects.get_or_create(user=user, defaults={"name": "基准主任", "unit": unit})
    assign_roles(user, [Role.DIRECTOR])
    return user


def write_rows(user, n: int) -> float:
    from office.security.models import EventKind
    from office.security.services import security_event_record

    start = time.perf_counter()
    for i in range(n):
        security_event_record(EventKind.LOGIN, actor=user, data={"i": i})
    return n / (time.perf_counter() - start)


def link_rate(n: int) -> float:
    from office.audit.chain import chain_link
    from office.security.chain import CHAIN

    start = time.perf_counter()
    linked = chain_link(CHAIN)
    assert linked == n, (linked, n)
    return n / (time.perf_counter() - start)


def verify_rate() -> tuple[float, int]:
    from office.security.chain import verify_security_chain

    start = time.perf_counter()
    report = verify_security_chain()
    assert report.ok, report.problem
    return report.rows / (time.perf_counter() - start), report.rows


def page_ms(user, rounds: int, *, rules: bool) -> tuple[float, int]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for name, value in (
        ("OFFICE_SESSION_IDLE_MINUTES", 30),
        ("OFFICE_SESSION_ABSOLUTE_HOURS", 12),
        ("OFFICE_SESSION_SINGLE", True),
        ("OFFICE_PASSWORD_MAX_AGE_DAYS", 90),
    ):
        setattr(settings, name, value if rules else (0 if not isinstance(value, bool) else False))
    client = Client()
    client.force_login(user)
    client.get("/")
    times = []
    for _i in range(rounds):
        start = time.perf_counter()
        response = client.get("/")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    return statistics.median(times), len(ctx.captured_queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rows = 2_000 if args.quick else 20_000
    rounds = 40 if args.quick else 120

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    reset()
    user = director()
    write_rate = write_rows(user, rows)
    link = link_rate(rows)
    verify, counted = verify_rate()
    off_ms, off_q = page_ms(user, rounds, rules=False)
    on_ms, on_q = page_ms(user, rounds, rules=True)

    table = [
        ("security log rows written", f"{rows:,}"),
        ("rows written per second (one writer)", f"{write_rate:,.0f}"),
        ("rows linked per second (chain_link)", f"{link:,.0f}"),
        ("chain verified rows / rows per second", f"{counted:,} / {verify:,.0f}"),
        ("home page median ms, rules off / on", f"{off_ms:.1f} / {on_ms:.1f}"),
        ("home page queries, rules off / on", f"{off_q} / {on_q}"),
    ]
    width = max(len(r[0]) for r in table)
    print(f"{'measure'.ljust(width)}  value")
    print("-" * (width + 20))
    for name, value in table:
        print(f"{name.ljust(width)}  {value}")
    print(
        f"security log_rows_per_s={round(write_rate)} link_rows_per_s={round(link)} verify_rows_per_s={round(verify)} "
        f"page_ms_off={off_ms:.1f} page_ms_on={on_ms:.1f} guard_queries={on_q - off_q}"
    )


if __name__ == "__main__":
    main()
