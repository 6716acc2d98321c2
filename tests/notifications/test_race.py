"""Many deliveries racing over the same rows, each worker on its own database connection (PostgreSQL),
and real Celery workers against Redis: one message per dedupe key, whatever runs twice."""

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from office.notifications.models import Channel, Notification, Status
from office.notifications.services import notification_deliver, notify
from office.org.models import Role
from tests.factories import UnitFactory, make_user

N_PEOPLE = 60
N_WORKERS = 4
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _people(n):
    unit = UnitFactory(code="race-unit")
    return [make_user(Role.STAFF, unit=unit, user__email=f"p{i}@example.gov.cn") for i in range(n)]


@pytest.mark.postgres
def test_racing_workers_send_each_email_exactly_once(transactional_db, smtp_server, monkeypatch):
    monkeypatch.setattr("office.notifications.services._dispatch", lambda *args: None)  # we are the workers
    people = _people(N_PEOPLE)
    subject = UnitFactory(code="race-subject")
    with transaction.atomic():
        rows = notify(recipients=people, subject=subject, step="race", title="竞争测试", channels=["email"])
    ids = [n.pk for n in rows]
    barrier = threading.Barrier(N_WORKERS)
    outcomes, errors = [], []

    def worker(seed):
        order = ids * 2  # every worker runs every task twice, in its own order
        random.Random(seed).shuffle(order)
        try:
            barrier.wait(timeout=30)
            for pk in order:
                outcomes.append(notification_deliver(notification_id=pk))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N_WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors
    assert outcomes.count("sent") == N_PEOPLE
    assert len(smtp_server.accepted) == N_PEOPLE
    assert sorted(e.rcpt_tos[0] for e in smtp_server.accepted) == sorted(p.email for p in people)
    assert set(Notification.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        (Status.SENT, 1)
    }


@pytest.mark.postgres
@pytest.mark.realworker
def test_real_celery_workers_deliver_each_key_once_despite_duplicate_tasks(
    transactional_db, smtp_server, celery_eager
):
    """Two worker processes (prefork, 2 children each) on Redis; every task is sent three times."""
    from office.notifications.tasks import notification_deliver_task

    people = _people(30)
    subject = UnitFactory(code="rw-subject")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "office",
                "worker",
                "-Q",
                "default",
                "-c",
                "2",
                "-n",
                f"notif{i}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i in range(2)
    ]
    celery_eager.conf.task_always_eager = False
    try:
        celery_eager.control.purge()
        with transaction.atomic():  # a real commit: the after-commit hook sends the first task
            rows = notify(
                recipients=people, subject=subject, step="rw", title="真实进程测试", channels=["email"]
            )
        for n in rows:  # duplicates, as a sweep and a redelivered broker message would produce
            notification_deliver_task.delay(notification_id=n.pk)
            notification_deliver_task.delay(notification_id=n.pk)
        deadline = time.monotonic() + 90
        pending = Notification.objects.filter(pk__in=[n.pk for n in rows]).exclude(status=Status.SENT)
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(0.5)  # real processes: polling is the only way to wait for them
        assert not pending.exists()
        # the duplicate tasks may still be running: give them the chance to (wrongly) send
        time.sleep(2)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            try:
                w.wait(timeout=20)
            except subprocess.TimeoutExpired:
                w.kill()
    assert len(smtp_server.accepted) == 30
    assert set(Notification.objects.filter(channel=Channel.EMAIL).values_list("attempts", flat=True)) == {1}


@pytest.mark.postgres
def test_concurrent_notify_calls_for_the_same_key_write_one_row(transactional_db, monkeypatch):
    """Two transactions notifying the same people at once: the unique constraint keeps one row per key,
    and neither caller fails."""
    monkeypatch.setattr("office.notifications.services._dispatch", lambda *args: None)
    people = _people(20)
    subject = UnitFactory(code="dup-subject")
    barrier = threading.Barrier(3)
    errors = []

    def caller():
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                notify(recipients=people, subject=subject, step="dup", title="同一消息", level="urgent")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=caller) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    rows = Notification.objects.filter(step="dup")
    assert rows.count() == 40  # inbox + e-mail for each of 20 people
    assert rows.filter(channel=Channel.EMAIL).values("recipient").distinct().count() == 20
