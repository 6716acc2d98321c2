"""A report with a 5 s limit (test setting) against a real worker and the clock's sweeper: the duty leader's alarm
is raised about on time, once. CI runs it; locally: DATABASE_URL=postgres://... CELERY_BROKER_URL=
redis://127.0.0.1:6379/<n> pytest -m realworker tests/duty."""

import pytest

from duty.models import DutyAlert
from duty.services.reports import report_receive
from office.clock.models import ClockState
from office.org.models import Role
from tests.clock.realworker import Sweeper, Worker, flush_broker, wait_for
from tests.factories import make_user

from .factories import make_shift

pytestmark = [pytest.mark.postgres, pytest.mark.realworker]


def test_report_limit_alarm_fires_within_a_second_with_a_real_worker(transactional_db, settings, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    settings.OFFICE_DUTY_LIMIT_MAJOR_PHONE = 5 / 60
    settings.OFFICE_DUTY_LIMIT_MAJOR_WRITTEN = 10 / 60
    leader, officer = make_user(Role.DUTY_LEADER), make_user(Role.DUTY_OFFICER)
    now = timezone.now()
    make_shift(now - timedelta(hours=1), now + timedelta(hours=1), leader=leader, main=officer)
    flush_broker()
    worker = Worker(tmp_path / "duty.log", OFFICE_CLOCK_TICK_SECONDS=2)
    sweeper = Sweeper(tmp_path / "sweeper.log", interval=2, OFFICE_CLOCK_TICK_SECONDS=2)
    try:
        worker.wait_ready()
        sweeper.wait_ready()
        wait_for(lambda: ClockState.objects.filter(last_tick_at__isnull=False).exists(), timeout=30)
        report = report_receive(actor=officer, title="时限测试", level="major")
        alerts = DutyAlert.objects.filter(report=report, kind="report_phone")
        wait_for(lambda: alerts.filter(step=1).exists(), timeout=30)
    except Exception:
        print(worker.tail(), sweeper.tail())
        raise
    finally:
        worker.stop()
        sweeper.stop()
    leader_alert = alerts.get(step=1)
    assert leader_alert.due_at == report.phone_due_at
    lateness = (leader_alert.fired_at - leader_alert.due_at).total_seconds()
    assert 0 <= lateness < 1.0
    assert alerts.filter(step=0).count() == 1  # the main officer, warned at once (limit < warning lead)
