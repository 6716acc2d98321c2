import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from office.audit.models import AuditEvent
from office.clock import selectors
from office.clock.models import Timer
from office.clock.services import clock_tick, timer_schedule
from office.org.models import Role
from tests.factories import make_user

from .conftest import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    user = make_user(Role.STAFF)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def failing(subject, poison, no_fast_path):
    timer = timer_schedule(subject=subject, kind="test.poison", due_at=soon(-1))
    clock_tick()
    return timer


def test_the_clock_page_shows_the_last_tick_and_the_failing_timers(client, admin_user, failing):
    client.force_login(admin_user)
    resp = client.get("/clock/")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "时钟运行状态" in body and "test.poison" in body and "处理程序出错" in body
    assert "立即重试" in body


def test_the_clock_page_is_for_administrators_only(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/clock/").status_code == 403
    client.logout()
    assert client.get("/clock/").status_code == 302


def test_the_retry_button_clears_the_backoff_and_is_audited(
    client, admin_user, failing, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("office.clock.services.timers.send_fast_path", lambda pk, due: sent.append(pk))
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(f"/clock/timers/{failing.pk}/retry/")
    assert resp.status_code == 302
    failing.refresh_from_db()
    assert failing.attempts == 0 and failing.next_attempt_at is None and failing.failed_at is None
    assert sent == [failing.pk]
    assert AuditEvent.objects.filter(verb="clock.timer_retried", actor=admin_user).count() == 1


def test_retrying_a_fired_timer_is_refused_with_a_message(client, admin_user, subject, fired, no_fast_path):
    timer = timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    clock_tick()
    client.force_login(admin_user)
    resp = client.post(f"/clock/timers/{timer.pk}/retry/", follow=True)
    assert "已触发" in resp.content.decode()


def test_metrics_expose_due_timers_lag_and_counters(client, subject, fired, poison, no_fast_path):
    timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    timer_schedule(subject=subject, kind="test.poison", due_at=soon(-1))
    ct = ContentType.objects.get_for_model(subject)
    Timer.objects.create(subject_type=ct, subject_id="x", kind="test.record", due_at=soon(-120))
    with time_machine.travel(soon(0), tick=False):
        body = client.get("/metrics").content.decode()
    assert "office_clock_timers_due 3.0" in body
    lag = float(body.split("\noffice_clock_oldest_due_lag_seconds ")[1].split()[0])
    assert 119 <= lag <= 130
    clock_tick()
    body = client.get("/metrics").content.decode()
    assert "office_clock_timers_fired_total 2.0" in body
    assert "office_clock_timer_failures_total 1.0" in body
    assert "office_clock_ticks_total 1.0" in body
    assert "office_clock_tick_duration_seconds" in body
    assert "office_notifications_failed_current" in body


def test_metrics_can_require_a_token(client, settings):
    settings.OFFICE_METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200


def test_readyz_reports_the_clock_healthy_after_a_tick_and_unhealthy_when_ticks_stop(client, monkeypatch):
    monkeypatch.setattr(selectors, "PROCESS_STARTED", time.monotonic() - 3600)  # long past the grace period
    resp = client.get("/readyz")
    assert resp.json()["checks"]["clock"]["ok"] is False
    clock_tick()
    assert client.get("/readyz").json()["checks"]["clock"]["ok"] is True
    with time_machine.travel(timezone.now() + timedelta(seconds=46), tick=False):
        clock = client.get("/readyz").json()["checks"]["clock"]
    assert clock["ok"] is False and "45s" in clock["detail"]


def test_a_freshly_started_process_gives_beat_three_intervals_for_its_first_tick(monkeypatch):
    monkeypatch.setattr(selectors, "PROCESS_STARTED", time.monotonic())
    ok, detail = selectors.clock_health()
    assert ok and "first tick" in detail
    monkeypatch.setattr(selectors, "PROCESS_STARTED", time.monotonic() - 46)
    assert selectors.clock_health()[0] is False


@pytest.mark.parametrize(
    ("role", "warned"),
    [(Role.DIRECTOR, True), (Role.DUTY_OFFICER, True), (Role.DUTY_LEADER, True), (Role.STAFF, False)],
)
def test_a_stopped_clock_puts_a_red_banner_on_every_page_of_the_duty_room_and_the_director(
    client, monkeypatch, role, warned
):
    """时钟已停止 N 秒，期限提醒暂停: shown while no sweep ran for three intervals, to those whose alarms stop."""
    from office.clock.models import ClockState

    monkeypatch.setattr(selectors, "PROCESS_STARTED", time.monotonic() - 3600)  # not a fresh web process
    ClockState.objects.update_or_create(
        pk=1, defaults={"last_tick_at": timezone.now() - timedelta(seconds=200)}
    )
    client.force_login(make_user(role))
    body = client.get("/").content.decode()
    assert ("时钟已停止" in body) is warned
    if warned:
        assert 'id="clock-stopped-banner"' in body and 'role="alert"' in body
        import re

        seconds = int(re.search(r"时钟已停止 (\d+) 秒", body).group(1))
        assert 200 <= seconds < 260
    # A sweep ran: the banner goes.
    ClockState.objects.filter(pk=1).update(last_tick_at=timezone.now())
    assert "时钟已停止" not in client.get("/").content.decode()


def test_the_sweeper_command_fires_due_timers_without_any_broker(fired, subject, no_fast_path):
    """manage.py clock_sweeper --once: the sweep is the clock's own loop, not a Celery message."""
    from django.core.management import call_command

    from office.clock.models import ClockState

    timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    call_command("clock_sweeper", "--once")
    assert Timer.objects.get().fired_at is not None
    assert ClockState.objects.get(pk=1).last_tick_at is not None


def test_the_sweeper_loop_sweeps_on_its_own_timer_until_stopped(fired, subject, no_fast_path):
    import threading

    from office.clock.services.sweeper import clock_sweep_forever

    timer_schedule(subject=subject, kind="test.record", due_at=soon(-1))
    stop = threading.Event()
    calls = []

    def sweep_then_stop():
        calls.append(1)
        if len(calls) == 3:
            stop.set()

    from office.clock.services import sweeper

    real = sweeper.clock_sweep_once

    def counted():
        sweep_then_stop()
        return real()

    sweeper.clock_sweep_once = counted
    try:
        assert clock_sweep_forever(stop=stop, interval=0.01) == 3
    finally:
        sweeper.clock_sweep_once = real
    assert Timer.objects.get().fired_at is not None
