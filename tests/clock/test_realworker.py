"""Reliability against real Celery workers (subprocesses) on PostgreSQL and Redis. CI runs these;
locally: DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://127.0.0.1:6379/<n> pytest -m realworker."""

import os
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max
from django.utils import timezone

from office.audit.models import AuditEvent
from office.clock.models import ClockState, Timer
from office.notifications.models import AttemptOutcome, Channel, DeliveryAttempt, Notification, Status
from office.org.models import Role
from tests.factories import UnitFactory, make_user

from .realworker import Sweeper, Worker, flush_broker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.realworker]

N = 400


def send(task_name: str, **kwargs) -> None:
    from office.celery import app

    app.send_task(task_name, kwargs=kwargs, queue="critical")


def make_timers(n: int, *, due_at, user, sleep_ms: int = 0) -> list[int]:
    subject = UnitFactory()
    ct = ContentType.objects.get_for_model(subject)
    timers = Timer.objects.bulk_create(
        [
            Timer(
                subject_type=ct,
                subject_id=str(subject.pk),
                kind="test.worker",
                step=i,
                due_at=due_at,
                data={"user": user.pk, "sleep_ms": sleep_ms},
            )
            for i in range(n)
        ]
    )
    return [t.pk for t in timers]


@pytest.fixture
def recipient(transactional_db):
    user = make_user(Role.STAFF)
    user.email = "staff@example.org"
    user.save()
    return user


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(recipient, tmp_path):
    flush_broker()
    make_timers(N, due_at=timezone.now() - timedelta(seconds=1), user=recipient, sleep_ms=15)
    fired = Timer.objects.filter(fired_at__isnull=False)
    first = Worker(tmp_path / "first.log", OFFICE_CLOCK_BATCH_SIZE=40, OFFICE_CLOCK_TICK_FANOUT=0)
    second = None
    try:
        first.wait_ready()
        send("office.clock.tick")
        # Let some batches commit, then kill the worker while it is inside the next one.
        wait_for(lambda: fired.count() >= 80, timeout=60)
        first.kill()
        at_kill = fired.count()
        assert at_kill < N, "the worker finished before it could be killed"

        second = Worker(tmp_path / "second.log", OFFICE_CLOCK_BATCH_SIZE=40)
        second.wait_ready()

        def nudge():  # what beat does: tick, and sweep deliveries whose worker died
            send("office.clock.tick")
            send("office.notifications.redeliver_due")

        nudge()
        wait_for(lambda: fired.count() == N, timeout=120, every=1, on_wait=nudge)
        emails = Notification.objects.filter(channel=Channel.EMAIL)
        wait_for(lambda: not emails.exclude(status=Status.SENT).exists(), timeout=90, every=1, on_wait=nudge)
    except Exception:
        print(first.tail(), second.tail() if second else "")
        raise
    finally:
        first.stop()
        if second:
            second.stop()

    # Every timer's handler effects committed exactly once.
    per_timer = (
        AuditEvent.objects.filter(verb="test.worker_fired").values("subject_id").annotate(n=Count("id"))
    )
    assert len(per_timer) == N and {row["n"] for row in per_timer} == {1}
    # One inbox and one e-mail notification per timer, each delivered once.
    per_channel = Notification.objects.values("channel").annotate(n=Count("id"))
    assert {row["channel"]: row["n"] for row in per_channel} == {Channel.INBOX: N, Channel.EMAIL: N}
    assert not Notification.objects.exclude(status=Status.SENT).exists()
    sent_attempts = (
        DeliveryAttempt.objects.filter(outcome=AttemptOutcome.SENT)
        .values("notification")
        .annotate(n=Count("id"))
    )
    assert len(sent_attempts) == N and {row["n"] for row in sent_attempts} == {1}


def test_fast_path_fires_on_time_and_the_sweeper_covers_fast_path_tasks_lost_in_a_broker_flush(
    recipient, tmp_path
):
    import redis

    from office.clock.services import timer_schedule

    flush_broker()
    tick = 2
    subject = UnitFactory()
    # Scheduled while no worker runs: its fast-path task waits in Redis ... and is flushed away.
    lost = timer_schedule(
        subject=subject, kind="clock.probe", step=2, due_at=timezone.now() + timedelta(seconds=40)
    )
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    assert broker.llen("critical") == 1
    broker.flushdb()
    worker = Worker(tmp_path / "worker.log")
    sweeper = Sweeper(tmp_path / "sweeper.log", interval=tick, OFFICE_CLOCK_TICK_SECONDS=tick)
    try:
        worker.wait_ready()
        sweeper.wait_ready()
        wait_for(lambda: ClockState.objects.filter(last_tick_at__isnull=False).exists(), timeout=30)
        clock_running_since = timezone.now()
        # Fast path on: the countdown task fires it about on time.
        on_time = timer_schedule(
            subject=subject, kind="clock.probe", step=1, due_at=timezone.now() + timedelta(seconds=3)
        )
        wait_for(lambda: Timer.objects.filter(fired_at__isnull=True).count() == 0, timeout=90)
    except Exception:
        print(worker.tail(), sweeper.tail())
        raise
    finally:
        worker.stop()
        sweeper.stop()
    on_time.refresh_from_db()
    lost.refresh_from_db()
    assert (on_time.fired_at - on_time.due_at).total_seconds() < 1.0
    # Within one interval of its due time (or of the clock running, had the worker been slower to start).
    assert lost.fired_at >= lost.due_at
    assert (lost.fired_at - max(lost.due_at, clock_running_since)).total_seconds() <= tick + 1
    assert Timer.objects.aggregate(m=Max("attempts"))["m"] == 1


def test_deadlines_fire_with_no_celery_worker_and_a_flushed_broker_and_survive_a_killed_sweeper(
    recipient, tmp_path
):
    """The sweep does not ride the broker: with no Celery worker at all and Redis flushed mid-run,
    timers fire late by at most one interval; a SIGKILLed sweeper loses and doubles nothing."""
    from office.clock.services import timer_schedule

    tick = 2
    subject = UnitFactory()
    flush_broker()
    first = Sweeper(tmp_path / "sweeper1.log", interval=tick, OFFICE_CLOCK_TICK_SECONDS=tick)
    second = None
    try:
        first.wait_ready()
        due = timezone.now() + timedelta(seconds=3)
        early = [timer_schedule(subject=subject, kind="clock.probe", step=i, due_at=due) for i in range(5)]
        flush_broker()  # the fast-path messages are gone, and no worker would take them anyway
        wait_for(
            lambda: not Timer.objects.filter(pk__in=[t.pk for t in early], fired_at=None).exists(), timeout=30
        )
        first.kill()
        later_due = timezone.now() + timedelta(seconds=4)
        later = [
            timer_schedule(subject=subject, kind="clock.probe", step=100 + i, due_at=later_due)
            for i in range(5)
        ]
        second = Sweeper(tmp_path / "sweeper2.log", interval=tick, OFFICE_CLOCK_TICK_SECONDS=tick)
        second.wait_ready()
        wait_for(
            lambda: not Timer.objects.filter(pk__in=[t.pk for t in later], fired_at=None).exists(), timeout=30
        )
    except Exception:
        print(first.tail(), second.tail() if second else "")
        raise
    finally:
        first.stop()
        if second is not None:
            second.stop()
    for timer in Timer.objects.filter(pk__in=[t.pk for t in early]):
        assert 0 <= (timer.fired_at - timer.due_at).total_seconds() <= tick + 1
    assert Timer.objects.aggregate(m=Max("attempts"))["m"] == 1  # nothing fired twice


def test_a_deadline_fires_within_a_poll_of_its_due_time_with_no_worker_no_broker_message_and_a_long_tick(
    recipient, tmp_path
):
    """Between ticks the sweeper looks up the next due time in the database each second, so a deadline
    fires within about a second of its due time — not up to a tick late — when its fast-path task is lost
    and no Celery worker runs at all."""
    from office.clock.services import timer_schedule

    tick = 30  # longer than the test waits: a fire on time cannot be the tick's
    subject = UnitFactory()
    flush_broker()
    sweeper = Sweeper(tmp_path / "sweeper.log", interval=tick, OFFICE_CLOCK_TICK_SECONDS=tick)
    try:
        sweeper.wait_ready()
        wait_for(lambda: ClockState.objects.filter(last_tick_at__isnull=False).exists(), timeout=30)
        due = timezone.now() + timedelta(seconds=4)  # scheduled after the sweeper's first sweep
        timers = [timer_schedule(subject=subject, kind="clock.probe", step=i, due_at=due) for i in range(3)]
        flush_broker()  # their fast-path tasks are gone
        wait_for(
            lambda: not Timer.objects.filter(pk__in=[t.pk for t in timers], fired_at=None).exists(),
            timeout=20,
        )
    except Exception:
        print(sweeper.tail())
        raise
    finally:
        sweeper.stop()
    for timer in Timer.objects.filter(pk__in=[t.pk for t in timers]):
        assert 0 <= (timer.fired_at - timer.due_at).total_seconds() < 2.0  # one poll (1 s) and the sweep
