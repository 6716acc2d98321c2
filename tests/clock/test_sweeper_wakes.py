"""Between ticks the sweeper looks up the next due time in the database every second and sweeps the
moment a timer falls due — so a deadline fires on time even when its fast-path task died with a worker
or was flushed out of the broker — and it sweeps at least once every tick interval in any case."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from office.clock.models import Timer
from office.clock.services import timer_schedule
from office.clock.services.sweeper import BUSY_RETRY_SECONDS, clock_sweep_forever, next_sweep_delay

from .conftest import soon

pytestmark = pytest.mark.django_db

POLL = 1.0


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_with_nothing_waiting_the_sweeper_only_looks_again(fired, frozen):
    assert next_sweep_delay(cap=POLL, fired=0) == (POLL, False)


def test_a_timer_falling_due_within_the_poll_is_swept_at_its_due_time(fired, subject, no_fast_path, frozen):
    timer_schedule(subject=subject, kind="test.record", due_at=soon(0.4))
    timer_schedule(subject=subject, kind="test.record", step=2, due_at=soon(0.8))
    delay, sweep = next_sweep_delay(cap=POLL, fired=0)
    assert delay == pytest.approx(0.4) and sweep


def test_a_timer_due_later_is_looked_up_again_at_the_next_poll(fired, subject, no_fast_path, frozen):
    timer_schedule(subject=subject, kind="test.record", due_at=soon(100))
    assert next_sweep_delay(cap=POLL, fired=0) == (POLL, False)


def test_fired_cancelled_and_given_up_timers_do_not_wake_it(fired, subject, no_fast_path, frozen):
    for step, field in enumerate(("fired_at", "cancelled_at", "failed_at")):
        timer = timer_schedule(subject=subject, kind="test.record", step=step, due_at=soon(0.5))
        Timer.objects.filter(pk=timer.pk).update(**{field: timezone.now()})
    assert next_sweep_delay(cap=POLL, fired=0) == (POLL, False)


def test_a_timer_backing_off_wakes_it_at_its_retry_time(fired, subject, no_fast_path, frozen):
    timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(-60))
    Timer.objects.filter(pk=timer.pk).update(attempts=1, next_attempt_at=soon(0.5))
    delay, sweep = next_sweep_delay(cap=POLL, fired=0)
    assert delay == pytest.approx(0.5) and sweep


def test_a_due_timer_someone_else_holds_is_swept_again_shortly_not_spun_on(
    fired, subject, no_fast_path, frozen
):
    timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    assert next_sweep_delay(cap=POLL, fired=0) == (BUSY_RETRY_SECONDS, True)  # claimed elsewhere
    assert next_sweep_delay(cap=POLL, fired=25) == (0.0, True)  # a full batch fired: more may wait


class _Clock(threading.Event):
    """The loop's stop event: each wait moves the frozen wall clock on by the time asked for, records it,
    and stops the loop once ``until`` says so."""

    def __init__(self, traveller, until):
        super().__init__()
        self.traveller, self.until, self.delays = traveller, until, []

    def wait(self, timeout=None):
        self.delays.append(round(timeout, 3))
        self.traveller.shift(timedelta(seconds=timeout))
        if self.until():
            self.set()
        return self.is_set()


def test_the_loop_polls_each_second_and_fires_a_timer_the_moment_it_falls_due(fired, subject, no_fast_path):
    """Scheduled after the sweeper's last sweep, due in 3.5 s, its fast-path task lost, the tick 15 s away:
    the sweeper looks up the due time each second and fires it at its due time, not at the tick."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(3.5))
        stop = _Clock(traveller, until=lambda: Timer.objects.filter(fired_at__isnull=False).exists())
        sweeps = clock_sweep_forever(stop=stop, interval=15, poll=POLL)
        # sweep, look 1 s, 1 s, 1 s, then sleep the last 0.5 s and sweep; one more look finds it fired
        assert stop.delays[:4] == [1.0, 1.0, 1.0, 0.5]
        assert sweeps == 2
    timer.refresh_from_db()
    assert timer.fired_at == timer.due_at  # late by nothing but the sweep itself
