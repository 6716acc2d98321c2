from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from office.audit.models import AuditEvent
from office.clock import conf
from office.clock.models import ClockState, Timer
from office.clock.services import clock_tick, timer_cancel, timer_fire, timer_schedule
from office.clock.services.engine import _run_batch
from office.clock.tasks import clock_fire_timer_task, clock_tick_task

from .conftest import soon

pytestmark = pytest.mark.django_db


def audit_count(verb, timer):
    return AuditEvent.objects.filter(verb=verb, subject_id=str(timer.pk)).count()


def test_a_due_timer_fires_once_and_a_second_tick_does_nothing(subject, fired, no_fast_path):
    timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    assert clock_tick().fired == 1
    assert clock_tick().fired == 0
    timer.refresh_from_db()
    assert timer.fired_at is not None and timer.attempts == 1
    assert fired == [timer.pk]
    assert audit_count("test.fired", timer) == 1


def test_a_timer_not_yet_due_waits_for_its_time(subject, fired, no_fast_path):
    timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(3600))
    assert clock_tick().fired == 0
    with time_machine.travel(timer.due_at + timedelta(seconds=1)):
        assert clock_tick().fired == 1
    assert fired == [timer.pk]


def test_a_poison_handler_records_its_error_and_the_rest_of_the_batch_fires(
    subject, fired, poison, no_fast_path, no_fan_out, settings
):
    settings.OFFICE_CLOCK_BATCH_SIZE = 50
    good = [
        timer_schedule(subject=subject, kind="test.record", step=i, due_at=soon(-10 + i)) for i in range(5)
    ]
    bad = timer_schedule(subject=subject, kind="test.poison", due_at=soon(-8))
    result = clock_tick()
    assert result.fired == 5 and result.failed == 1
    bad.refresh_from_db()
    assert bad.fired_at is None and bad.failed_at is None
    assert bad.attempts == 1
    assert "处理程序出错" in bad.last_error and "RuntimeError" in bad.last_error
    assert bad.next_attempt_at > timezone.now()
    # The poison handler's own writes were rolled back with its savepoint.
    assert audit_count("test.poison_wrote", bad) == 0
    assert sorted(fired) == sorted(t.pk for t in good)
    assert ClockState.objects.get(pk=1).failures_total == 1


def test_a_failing_timer_is_retried_with_backoff_and_fires_once_fixed(subject, clock_registry, no_fast_path):
    state = {"fail": True}

    @clock_registry.timer_handler("test.flaky")
    def flaky(timer):
        if state["fail"]:
            raise ConnectionError("下游暂不可用")

    timer = timer_schedule(subject=subject, kind="test.flaky", due_at=soon(-1))
    clock_tick()
    timer.refresh_from_db()
    first_retry = timer.next_attempt_at
    assert timer.attempts == 1
    # Before the backoff runs out the tick leaves it alone.
    with time_machine.travel(first_retry - timedelta(seconds=1)):
        assert clock_tick().failed == 0
    with time_machine.travel(first_retry + timedelta(seconds=1)):
        assert clock_tick().failed == 1
    timer.refresh_from_db()
    assert timer.attempts == 2
    assert timer.next_attempt_at - (first_retry + timedelta(seconds=1)) >= timedelta(seconds=59)  # doubled
    state["fail"] = False
    with time_machine.travel(timer.next_attempt_at + timedelta(seconds=1)):
        assert clock_tick().fired == 1
    timer.refresh_from_db()
    assert timer.fired_at is not None and timer.attempts == 3


def test_a_timer_is_marked_failed_after_max_attempts_and_not_dropped(subject, poison, no_fast_path, settings):
    settings.OFFICE_CLOCK_MAX_ATTEMPTS = 3
    timer = timer_schedule(subject=subject, kind="test.poison", due_at=soon(-1))
    moment = timezone.now()
    for _ in range(5):
        with time_machine.travel(moment):
            clock_tick()
        moment += timedelta(hours=2)
    timer.refresh_from_db()
    assert timer.attempts == 3
    assert timer.failed_at is not None and timer.fired_at is None
    assert timer.state == "failed"


def test_an_unknown_kind_is_an_error_on_the_timer_not_a_crash(subject, no_fast_path):
    from django.contrib.contenttypes.models import ContentType

    timer = Timer.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        kind="gone.kind",
        due_at=soon(-1),
    )
    assert clock_tick().failed == 1
    timer.refresh_from_db()
    assert "gone.kind" in timer.last_error and timer.fired_at is None


def test_the_fast_path_fires_a_due_timer_and_the_tick_then_does_nothing(subject, fired, no_fast_path):
    timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    assert timer_fire(timer_id=timer.pk) == "fired"
    assert timer_fire(timer_id=timer.pk) == "skipped"
    assert clock_tick().fired == 0
    assert fired == [timer.pk]


def test_the_fast_path_does_nothing_after_the_tick_fired(subject, fired, no_fast_path):
    timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    clock_tick()
    assert timer_fire(timer_id=timer.pk) == "skipped"
    assert fired == [timer.pk]


def test_the_fast_path_arriving_early_leaves_the_timer_to_its_time(subject, fired, no_fast_path):
    timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(60))
    assert timer_fire(timer_id=timer.pk) == "skipped"
    assert timer_fire(timer_id=999_999) == "skipped"
    assert fired == []


def test_tasks_are_safe_to_run_twice(subject, fired, no_fast_path, no_fan_out):
    a = timer_schedule(subject=subject, kind="test.record", step=1, due_at=soon(-1))
    b = timer_schedule(subject=subject, kind="test.record", step=2, due_at=soon(-1))
    assert clock_fire_timer_task(timer_id=a.pk) == "fired"
    assert clock_fire_timer_task(timer_id=a.pk) == "skipped"
    assert clock_tick_task() == 1
    assert clock_tick_task() == 0
    assert sorted(fired) == sorted([a.pk, b.pk])


def test_a_lost_fast_path_task_is_fired_by_the_next_tick_within_one_interval(
    subject, fired, no_fast_path, django_capture_on_commit_callbacks
):
    due = soon(5)
    with django_capture_on_commit_callbacks(execute=True):
        timer = timer_schedule(subject=subject, kind="test.record", due_at=due)
    assert no_fast_path == [(timer.pk, due)]  # the task was sent ... and lost with the broker
    interval = timedelta(seconds=conf.tick_seconds())
    # Whatever the tick's phase, the first tick after the due time comes at most one interval later.
    with time_machine.travel(due + interval, tick=False):
        assert clock_tick().fired == 1
    timer.refresh_from_db()
    assert timer.fired_at - timer.due_at <= interval


def test_schedule_sends_the_fast_path_after_commit_only_within_the_window(
    subject, fired, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.OFFICE_CLOCK_FAST_PATH_SECONDS = 300
    sent = []
    monkeypatch.setattr("office.clock.tasks.clock_fire_timer_task.apply_async", lambda **kw: sent.append(kw))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        near = timer_schedule(subject=subject, kind="test.record", step=1, due_at=soon(120))
        timer_schedule(subject=subject, kind="test.record", step=2, due_at=soon(3600))
        assert sent == []  # nothing before commit
    assert len(callbacks) == 1
    assert len(sent) == 1
    assert sent[0]["kwargs"] == {"timer_id": near.pk}
    assert sent[0]["queue"] == "critical"
    assert 115 <= sent[0]["countdown"] <= 120


def test_a_broker_outage_does_not_break_scheduling(
    subject, fired, django_capture_on_commit_callbacks, monkeypatch
):
    def down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr("office.clock.tasks.clock_fire_timer_task.apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(1))
    assert Timer.objects.filter(pk=timer.pk).exists()


def test_schedule_upserts_moves_unfired_and_leaves_fired_alone(subject, fired, no_fast_path):
    first = timer_schedule(subject=subject, kind="test.record", due_at=soon(600), data={"a": 1})
    moved = timer_schedule(subject=subject, kind="test.record", due_at=soon(1200))
    assert moved.pk == first.pk and moved.data == {"a": 1}
    assert Timer.objects.count() == 1
    timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    clock_tick()
    fired_at = Timer.objects.get().fired_at
    again = timer_schedule(subject=subject, kind="test.record", due_at=soon(100))
    assert again.fired_at == fired_at and again.due_at < timezone.now()
    assert clock_tick().fired == 0
    assert len(fired) == 1


def test_schedule_many_creates_the_missing_in_one_insert_moves_unfired_and_leaves_fired_alone(
    subject, fired, no_fast_path, django_assert_max_num_queries
):
    """timers_schedule is timer_schedule for several steps of one subject at once: the same rules, in
    a fixed number of statements for a subject with no timers yet (an urgent report's six limits)."""
    from office.clock.services import TimerSpec, timers_schedule

    specs = [TimerSpec(kind="test.record", step=n, due_at=soon(600 + n), data={"n": n}) for n in range(6)]
    with django_assert_max_num_queries(
        6
    ):  # two savepoints and releases, the content type, one read, one insert
        made = timers_schedule(subject=subject, timers=specs)
    assert [(t.step, t.data) for t in made] == [(n, {"n": n}) for n in range(6)]
    assert all(t.pk for t in made) and Timer.objects.count() == 6
    # step 0 falls due and fires; scheduling all six again moves the five unfired, leaves step 0 alone
    timer_schedule(subject=subject, kind="test.record", step=0, due_at=soon(-1))
    clock_tick()
    fired_at = Timer.objects.get(step=0).fired_at
    later = soon(60)
    again = timers_schedule(
        subject=subject, timers=[TimerSpec(kind="test.record", step=n, due_at=later) for n in range(7)]
    )
    assert [t.pk for t in again[:6]] == [t.pk for t in made] and Timer.objects.count() == 7
    assert again[0].fired_at == fired_at
    assert {t.due_at for t in Timer.objects.filter(step__gt=0)} == {later}
    assert clock_tick().fired == 0 and fired == [made[0].pk]


def test_schedule_many_refuses_unregistered_kinds_and_naive_times_writing_nothing(subject):
    from datetime import datetime

    from office.clock.services import TimerSpec, timers_schedule

    good = TimerSpec(kind="clock.probe", due_at=soon(10))
    with pytest.raises(LookupError, match="nobody.registered"):
        timers_schedule(subject=subject, timers=[good, TimerSpec(kind="nobody.registered", due_at=soon(10))])
    with pytest.raises(ValueError, match="timezone-aware"):
        timers_schedule(
            subject=subject, timers=[good, TimerSpec(kind="clock.probe", due_at=datetime(2030, 1, 1))]
        )
    assert Timer.objects.count() == 0


def test_schedule_refuses_unregistered_kinds_and_naive_times(subject):
    from datetime import datetime

    with pytest.raises(LookupError):
        timer_schedule(subject=subject, kind="nobody.registered", due_at=soon(10))
    with pytest.raises(ValueError):
        timer_schedule(subject=subject, kind="clock.probe", due_at=datetime(2030, 1, 1))


def test_cancel_stops_unfired_timers_and_rescheduling_revives_them(subject, fired, no_fast_path):
    a = timer_schedule(subject=subject, kind="test.record", step=1, due_at=soon(-5))
    timer_schedule(subject=subject, kind="test.record", step=2, due_at=soon(-5))
    timer_schedule(subject=subject, kind="clock.probe", due_at=soon(-5))
    assert timer_cancel(subject=subject, kind="test.record", step=1) == 1
    assert timer_cancel(subject=subject) == 2
    assert timer_cancel(subject=subject) == 0
    assert clock_tick().fired == 0
    timer_schedule(subject=subject, kind="test.record", step=1, due_at=soon(-1))
    assert clock_tick().fired == 1
    assert fired == [a.pk]


def test_closing_a_subject_cancels_its_timers_in_the_same_transaction(subject, fired, no_fast_path):
    timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    with pytest.raises(RuntimeError), transaction.atomic():
        subject.is_active = False
        subject.save()
        timer_cancel(subject=subject)
        raise RuntimeError("closing failed")
    timer.refresh_from_db()
    assert timer.cancelled_at is None  # rolled back with the closing
    assert clock_tick().fired == 1


def test_a_big_backlog_is_drained_batch_after_batch_and_other_workers_are_asked_to_help(
    subject, fired, no_fast_path, no_fan_out, settings
):
    settings.OFFICE_CLOCK_BATCH_SIZE = 7
    settings.OFFICE_CLOCK_TICK_FANOUT = 2
    for i in range(30):
        timer_schedule(subject=subject, kind="test.record", step=i, due_at=soon(-100 + i))
    result = clock_tick()
    assert result.fired == 30 and result.batches == 5
    assert no_fan_out == [2]
    assert clock_tick(drain=True).fired == 0
    assert no_fan_out == [2]  # drain ticks never fan out


def test_the_batch_claims_oldest_due_first(subject, fired, no_fast_path):
    late = timer_schedule(subject=subject, kind="test.record", step=1, due_at=soon(-10))
    older = timer_schedule(subject=subject, kind="test.record", step=2, due_at=soon(-100))
    assert _run_batch(1) == (1, 1, 0)
    assert fired == [older.pk]
    assert _run_batch(1) == (1, 1, 0)
    assert fired == [older.pk, late.pk]


def test_the_tick_records_its_run_for_every_process_to_see(subject, fired, no_fast_path):
    timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    clock_tick()
    state = ClockState.objects.get(pk=1)
    assert state.ticks_total == 1 and state.fired_total == 1 and state.last_tick_fired == 1
    assert timezone.now() - state.last_tick_at < timedelta(seconds=5)
