#!/usr/bin/env python
"""Benchmark of notifications against PostgreSQL, in one process (no broker needed).

    python bench/notifications.py --quick     # 1,000 recipients, inboxes of 10,000 / 100,000 messages
    python bench/notifications.py             # 5,000 recipients, inboxes of 100,000 / 1,000,000

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/office_bench_notif (created if missing);
the benchmark owns that database and empties the notification tables first. Phases:

- fan-out: one notify() to every recipient (inbox + e-mail rows), its time and query count, and the
  time of the repeated call (every key exists: nothing written);
- inbox: the inbox page and the unread count for one person with a small and a 10x larger inbox
  (query counts must be equal, time should barely move);
- sweep: the due-deliveries query with the large number of rows pending but not due;
- delivery: e-mails sent one after another through a local SMTP server (aiosmtpd), per second.

Prints a table, then as its last line:

    notifications fanout_ms=<n> fanout_queries=<n> dedupe_ms=<n> inbox_queries=<n> inbox_queries_10x=<n> \
inbox_ms=<n> inbox_ms_10x=<n> sweep_ms=<n> deliver_per_s=<n>
"""

import argparse
import os
import socket
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_notif")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"


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


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    """Median milliseconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1,000 recipients, inboxes of 10k and 100k")
    args = parser.parse_args()
    people_n = 1_000 if args.quick else 5_000
    inbox_small = 10_000 if args.quick else 100_000
    inbox_large = inbox_small * 10
    delivered_n = 300 if args.quick else 1_000

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from office.notifications.models import Channel, Notification, Status
    from office.notifications.selectors import unread_count_for_user
    from office.notifications.services import notification_deliver, notification_due_ids, notify
    from office.org.models import Staff, Unit, UnitKind

    with connection.cursor() as cur:
        cur.execute("TRUNCATE notifications_deliveryattempt, notifications_notification CASCADE")
    # Deliveries are driven by this script, never by a broker.
    import office.notifications.services as services

    services._dispatch = lambda *args: None

    unit, _ = Unit.objects.get_or_create(
        code="bench-notif", defaults={"name": "通知基准", "kind": UnitKind.SECTION}
    )
    user_model = get_user_model()
    have = user_model.objects.filter(username__startswith="bench-notif-").count()
    if have < people_n:
        users = user_model.objects.bulk_create(
            [
                user_model(username=f"bench-notif-{i}", email=f"p{i}@bench.example", password="!")
                for i in range(have, people_n)
            ]
        )
        Staff.objects.bulk_create([Staff(user=u, name=f"基准{u.pk}", unit=unit) for u in users])
    people = list(user_model.objects.filter(username__startswith="bench-notif-").order_by("pk")[:people_n])
    rows = []

    # --- fan-out ----------------------------------------------------------------------------------
    def fan_out(step):
        with transaction.atomic():
            return notify(recipients=people, subject=unit, step=step, title="基准通知", level="urgent")

    with CaptureQueriesContext(connection) as ctx:
        fanout_ms, written = timed(lambda: fan_out("fan"))
    fanout_queries = len(ctx.captured_queries)
    dedupe_ms, again = timed(lambda: fan_out("fan"), repeat=3)
    assert {n.pk for n in again} == {n.pk for n in written}
    rows.append(
        ("fan-out", f"{people_n} people, {len(written)} rows", f"{fanout_ms:.0f} ms", f"{fanout_queries} q")
    )
    rows.append(("repeat (dedupe)", "0 rows written", f"{dedupe_ms:.0f} ms", ""))

    # --- inbox ------------------------------------------------------------------------------------
    reader = people[0]
    ct = ContentType.objects.get_for_model(unit)

    def fill_inbox(total):
        have = Notification.objects.filter(recipient=reader, channel=Channel.INBOX).count()
        now = timezone.now()
        batch = []
        for i in range(have, total):
            batch.append(
                Notification(
                    subject_type=ct,
                    subject_id=str(unit.pk),
                    step=f"inbox-{i}",
                    recipient=reader,
                    channel=Channel.INBOX,
                    title=f"消息{i}",
                    status=Status.SENT,
                    delivered_at=now,
                    read_at=now if i % 3 else None,
                    created_at=now - timezone.timedelta(seconds=total - i),
                )
            )
            if len(batch) == 10_000:
                Notification.objects.bulk_create(batch)
                batch = []
        Notification.objects.bulk_create(batch)
        with connection.cursor() as cur:
            cur.execute("ANALYZE notifications_notification")

    # Every request clears the query log (request_started): start the capture from an empty log.
    from django.db import reset_queries

    static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    inbox = {}
    with override_settings(STORAGES={**settings.STORAGES, **static}):
        client = Client(HTTP_HOST="localhost")
        client.force_login(reader)
        for size in (inbox_small, inbox_large):
            fill_inbox(size)
            client.get("/notifications/")
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                resp = client.get("/notifications/?show=unread")
            assert resp.status_code == 200
            page_queries = len(ctx.captured_queries)
            page_ms, _ = timed(lambda: client.get("/notifications/?show=unread"), repeat=7)
            count_ms, unread = timed(lambda: unread_count_for_user(user=reader), repeat=7)
            badge_ms, _ = timed(lambda: unread_count_for_user(user=reader, limit=99), repeat=7)
            inbox[size] = (page_queries, page_ms)
            rows.append(
                (
                    "inbox page (unread)",
                    f"{size} messages",
                    f"{page_ms:.1f} ms",
                    f"{page_queries} q",
                )
            )
            rows.append(("unread count (exact)", f"{unread} unread", f"{count_ms:.1f} ms", "1 q"))
            rows.append(("unread badge (99+)", f"{unread} unread", f"{badge_ms:.2f} ms", "1 q"))

    # --- sweep ------------------------------------------------------------------------------------
    far = timezone.now() + timezone.timedelta(days=1)
    Notification.objects.filter(channel=Channel.EMAIL).update(next_attempt_at=far)
    sweep_ms, due = timed(notification_due_ids, repeat=7)
    rows.append(("sweep query", f"{len(written) // 2} pending, 0 due", f"{sweep_ms:.2f} ms", "1 q"))

    # --- delivery through a local SMTP server ------------------------------------------------------
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.n = 0

        async def handle_DATA(self, server, session, envelope):
            self.n += 1
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        ids = list(
            Notification.objects.filter(channel=Channel.EMAIL)
            .order_by("pk")
            .values_list("pk", flat=True)[:delivered_n]
        )
        Notification.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
        smtp = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
        with override_settings(**smtp):
            start = time.perf_counter()
            outcomes = [notification_deliver(notification_id=pk) for pk in ids]
            elapsed = time.perf_counter() - start
        assert outcomes.count("sent") == len(ids) == sink.n, (outcomes.count("sent"), sink.n)
    finally:
        controller.stop()
    per_s = len(ids) / elapsed
    rows.append(("e-mail delivery", f"{len(ids)} messages, 1 process", f"{per_s:.0f} /s", ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'phase':<{width}}  {'size':<32} {'time':>10}  queries")
    for phase, size, t, q in rows:
        print(f"{phase:<{width}}  {size:<32} {t:>10}  {q}")
    print(
        f"notifications fanout_ms={fanout_ms:.0f} fanout_queries={fanout_queries} dedupe_ms={dedupe_ms:.0f} "
        f"inbox_queries={inbox[inbox_small][0]} inbox_queries_10x={inbox[inbox_large][0]} "
        f"inbox_ms={inbox[inbox_small][1]:.1f} inbox_ms_10x={inbox[inbox_large][1]:.1f} "
        f"sweep_ms={sweep_ms:.2f} deliver_per_s={per_s:.0f}"
    )


if __name__ == "__main__":
    main()
