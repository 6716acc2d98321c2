"""Urgent reports: limits on the clock, escalation, late marking, completeness, follow-ups."""

import time_machine

from duty.models import DutyAlert, ReportUpdate, UpdateKind
from duty.services.reports import report_add_update, report_receive, report_record_upward
from office.clock.models import Timer
from office.clock.services import clock_tick
from office.notifications.models import Notification

from .factories import at, make_shift


def _notified(user, report) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, subject_id=str(report.pk), channel="inbox")
        .exclude(step="received")
        .order_by("id")
        .values_list("step", flat=True)
    )


def test_speech_scenario_major_report_escalates_and_late_written_report_stays_late(
    db, director, leader, officer, deputy
):
    """The speech: a 重大 report received at 10:00 must not be an hour late."""
    make_shift(at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer, deputy=deputy)
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False) as traveller:
        report = report_receive(
            actor=officer,
            title="某镇化工厂爆炸",
            level="major",
            elements={"time": "9时50分", "place": "某镇"},
        )
        assert report.phone_due_at == at(2026, 11, 24, 10, 30)
        assert report.written_due_at == at(2026, 11, 24, 11, 0)

        traveller.move_to(at(2026, 11, 24, 10, 24, 59))
        clock_tick()
        assert _notified(officer, report) == []

        traveller.move_to(at(2026, 11, 24, 10, 25))
        clock_tick()
        assert _notified(officer, report) == [f"report:{report.pk}:phone:0"]
        assert _notified(leader, report) == []

        traveller.move_to(at(2026, 11, 24, 10, 30))
        clock_tick()
        assert f"report:{report.pk}:phone:1" in _notified(leader, report)
        assert _notified(director, report) == []

        traveller.move_to(at(2026, 11, 24, 11, 0))
        clock_tick()
        assert f"report:{report.pk}:phone:2" in _notified(director, report)
        assert f"report:{report.pk}:written:1" in _notified(leader, report)

        traveller.move_to(at(2026, 11, 24, 11, 7))
        written = report_record_upward(
            actor=officer, report=report, kind="written", channel="written", recipients="市委主要领导"
        )
        assert written.is_late and written.minutes_late == 7
        report.refresh_from_db()
        assert report.written_late and report.written_minutes_late == 7
        # A later copy to another recipient does not wash the lateness away.
        traveller.move_to(at(2026, 11, 24, 11, 8))
        again = report_record_upward(
            actor=officer, report=report, kind="written", channel="system", recipients="省委总值班室"
        )
        assert not again.is_late
        report.refresh_from_db()
        assert report.written_late and report.written_minutes_late == 7
        # The written limit's remaining step (director at 11:30) was cancelled by the report.
        traveller.move_to(at(2026, 11, 24, 11, 45))
        clock_tick()
        assert f"report:{report.pk}:written:2" not in _notified(director, report)


def test_report_made_in_time_is_not_late_and_stops_its_alarms(db, director, leader, officer):
    make_shift(at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer)
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False) as traveller:
        report = report_receive(actor=officer, title="道路塌陷", level="major")
        traveller.move_to(at(2026, 11, 24, 10, 20))
        upward = report_record_upward(
            actor=officer, report=report, kind="phone", channel="phone", recipients="市委值班领导"
        )
        assert not upward.is_late
        traveller.move_to(at(2026, 11, 24, 12, 0))
        clock_tick()
    assert not DutyAlert.objects.filter(report=report, kind="report_phone").exists()
    assert DutyAlert.objects.filter(report=report, kind="report_written").count() == 3


def test_report_limit_handler_twice_alerts_once(db, director, leader, officer):
    make_shift(at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer)
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        report = report_receive(actor=officer, title="山体滑坡", level="major")
    from duty.handlers import report_phone_limit

    timer = Timer.objects.get(subject_id=str(report.pk), kind="duty.report_phone", step=1)
    with time_machine.travel(at(2026, 11, 24, 10, 30), tick=False):
        report_phone_limit(timer)
        report_phone_limit(timer)
    assert DutyAlert.objects.filter(report=report).count() == 1
    assert Notification.objects.filter(recipient=leader, step=f"report:{report.pk}:phone:1").count() == 1


def test_limits_are_settings_per_level_and_kind(db, settings, officer):
    settings.OFFICE_DUTY_LIMIT_GENERAL_PHONE = 45
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        report = report_receive(actor=officer, title="一般事件", level="general")
    assert report.phone_due_at == at(2026, 11, 24, 10, 45)
    assert report.written_due_at == at(2026, 11, 24, 16, 0)  # default 6 h


def test_completeness_of_report_missing_casualties_and_measures(db, officer):
    elements = {
        "time": "10时",
        "place": "某镇",
        "source": "镇政府",
        "nature_cause": "火灾，原因调查中",
        "course": "经过",
        "losses": "厂房",
        "scope": "周边",
        "trend": "已控制",
        "leaders_on_site": "副市长",
        "requests": "无",
        "onsite_contact": "张三 13800000000",
    }
    report = report_receive(actor=officer, title="火灾", level="large", elements=elements)
    assert report.completeness == 85  # 11 of 13
    from duty.services.reports import missing_elements

    assert missing_elements(report.elements) == ["伤亡情况（含失联）", "已采取的措施"]
    report_add_update(
        actor=officer, report=report, kind=UpdateKind.FOLLOWUP, elements={"casualties": "无人员伤亡"}
    )
    report.refresh_from_db()
    assert report.completeness == 92


def test_followups_numbered_in_order_and_final_closes(db, officer):
    report = report_receive(actor=officer, title="洪水", level="large")
    first = report_add_update(actor=officer, report=report, kind="followup", text="水位上涨")
    second = report_add_update(actor=officer, report=report, kind="followup", text="转移群众")
    final = report_add_update(actor=officer, report=report, kind="final", text="险情解除")
    assert [u.label for u in (first, second, final)] == ["续报一", "续报二", "终报"]
    assert list(ReportUpdate.objects.filter(report=report).values_list("seq", flat=True)) == [0, 1, 2, 3]
    report.refresh_from_db()
    assert report.status == "closed"
    import pytest

    from duty.errors import DutyError

    with pytest.raises(DutyError):
        report_add_update(actor=officer, report=report, kind="followup", text="又有新情况")


def test_empty_followup_is_refused(db, officer):
    import pytest

    from duty.errors import DutyError

    report = report_receive(actor=officer, title="洪水", level="large")
    with pytest.raises(DutyError):
        report_add_update(actor=officer, report=report, kind="followup")


def test_regrading_a_report_retimes_the_limits_not_yet_met(db, officer):
    from duty.services.reports import report_change_level

    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False) as traveller:
        report = report_receive(actor=officer, title="火情", level="general")
        traveller.move_to(at(2026, 11, 24, 10, 10))
        report_record_upward(actor=officer, report=report, kind="phone", channel="phone", recipients="市领导")
        report = report_change_level(actor=officer, report=report, level="major")
    assert report.written_due_at == at(2026, 11, 24, 11, 0)
    timer = Timer.objects.get(subject_id=str(report.pk), kind="duty.report_written", step=1)
    assert timer.due_at == at(2026, 11, 24, 11, 0)
    # The phone report already made keeps its verdict and gets no new alarms.
    assert not Timer.objects.filter(
        subject_id=str(report.pk), kind="duty.report_phone", fired_at__isnull=True, cancelled_at__isnull=True
    ).exists()


def test_upward_report_needs_recipients_and_cannot_predate_receipt(db, officer):
    import pytest

    from duty.errors import DutyError

    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        report = report_receive(actor=officer, title="火情", level="major")
        with pytest.raises(DutyError):
            report_record_upward(actor=officer, report=report, kind="phone", channel="phone", recipients=" ")
        with pytest.raises(DutyError):
            report_record_upward(
                actor=officer,
                report=report,
                kind="phone",
                channel="phone",
                recipients="市领导",
                reported_at=at(2026, 11, 24, 9, 0),
            )


def test_metrics_show_open_and_overdue_urgent_reports_and_queue_depths(client, officer):
    """What an operator watches on a typhoon night: open urgent reports, those past a limit, queues."""
    import datetime as dt

    from django.utils import timezone

    report_receive(actor=officer, title="道路塌陷", level="major")
    late = report_receive(actor=officer, title="山体滑坡", level="major")
    with time_machine.travel(late.phone_due_at + dt.timedelta(minutes=1), tick=False):
        body = client.get("/metrics").content.decode()
    assert "office_duty_urgent_reports_open 2.0" in body
    assert "office_duty_urgent_reports_overdue 2.0" in body
    assert 'office_broker_queue_depth{queue="critical"}' in body
    with time_machine.travel(timezone.now(), tick=False):
        assert "office_duty_urgent_reports_overdue 0.0" in client.get("/metrics").content.decode()
