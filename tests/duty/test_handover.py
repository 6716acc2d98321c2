"""Handover: not acknowledged → the duty leader, then the director; acknowledged → open matters move."""

import pytest
import time_machine

from duty.errors import DutyError
from duty.models import DutyAlert, LogEntry, PhoneRecord, UrgentReport
from duty.services.handover import handover_acknowledge, handover_schedule_timers, handover_write
from duty.services.logs import phone_record_create
from duty.services.reports import report_receive
from office.clock.services import clock_tick
from office.errors import Forbidden
from office.notifications.models import Notification
from office.org.models import Role
from tests.factories import make_user

from .factories import at, make_shift


@pytest.fixture
def two_shifts(db, leader, officer, deputy, colleague):
    night_leader = make_user(Role.DUTY_LEADER)
    day = make_shift(
        at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer, deputy=deputy
    )
    night = make_shift(
        at(2026, 11, 24, 17, 30), at(2026, 11, 25, 8, 30), leader=night_leader, main=colleague, deputy=deputy
    )
    handover_schedule_timers(night)
    return day, night, night_leader


def test_handover_not_acknowledged_alarms_duty_leader_then_director(db, director, officer, two_shifts):
    day, night, night_leader = two_shifts
    with time_machine.travel(at(2026, 11, 24, 17, 20), tick=False) as traveller:
        handover_write(actor=officer, from_shift=day, notes="平稳")
        traveller.move_to(at(2026, 11, 24, 17, 44))
        clock_tick()
        assert not DutyAlert.objects.filter(shift=night).exists()
        traveller.move_to(at(2026, 11, 24, 17, 45))
        clock_tick()
        assert Notification.objects.filter(recipient=night_leader, step=f"handover:{night.pk}:0").exists()
        assert not Notification.objects.filter(recipient=director, step__startswith="handover:").exists()
        traveller.move_to(at(2026, 11, 24, 18, 0))
        clock_tick()
        assert Notification.objects.filter(recipient=director, step=f"handover:{night.pk}:1").exists()
    assert DutyAlert.objects.filter(shift=night).count() == 2


def test_handover_never_written_also_alarms(db, director, two_shifts):
    _day, night, night_leader = two_shifts
    with time_machine.travel(at(2026, 11, 24, 17, 50), tick=False):
        clock_tick()
    alert = DutyAlert.objects.get(shift=night, step=0)
    assert "交班记录未填写" in alert.title


def test_acknowledged_handover_moves_open_matters_and_silences_alarm(db, officer, colleague, two_shifts):
    day, night, _ = two_shifts
    with time_machine.travel(at(2026, 11, 24, 16, 0), tick=False) as traveller:
        report = report_receive(actor=officer, title="林区火情", level="large")
        phone = phone_record_create(
            actor=officer,
            caller_unit="某镇",
            caller_name="李四",
            caller_number="0731-1234567",
            content="请协调车辆",
        )
        assert report.shift == day and phone.shift == day
        traveller.move_to(at(2026, 11, 24, 17, 25))
        handover = handover_write(
            actor=officer, from_shift=day, documents=["市政府通知待分送"], matters=["明早检查线路"]
        )
        assert {i.kind for i in handover.items.all()} == {"urgent_report", "phone_record", "document", "note"}
        with pytest.raises(Forbidden, match="只有接班的值班员可以确认接班"):
            handover_acknowledge(actor=officer, handover=handover)  # not the incoming officer
        traveller.move_to(at(2026, 11, 24, 17, 35))
        handover_acknowledge(actor=colleague, handover=handover)
        traveller.move_to(at(2026, 11, 24, 19, 0))
        clock_tick()
    handover.refresh_from_db()
    assert handover.incoming_officer == colleague and handover.outgoing_officer == officer
    assert handover.acknowledged_at == at(2026, 11, 24, 17, 35) and not handover.acknowledged_late
    assert UrgentReport.objects.get(pk=report.pk).shift == night
    assert PhoneRecord.objects.get(pk=phone.pk).shift == night
    assert LogEntry.objects.filter(shift=night, carried=True).count() == 2
    assert not DutyAlert.objects.filter(shift=night).exists()
    with pytest.raises(DutyError):
        handover_acknowledge(actor=colleague, handover=handover)


def test_handover_acknowledged_after_the_limit_is_marked_late(db, officer, colleague, two_shifts):
    day, _night, _ = two_shifts
    with time_machine.travel(at(2026, 11, 24, 17, 25), tick=False) as traveller:
        handover = handover_write(actor=officer, from_shift=day)
        traveller.move_to(at(2026, 11, 24, 17, 50))
        handover = handover_acknowledge(actor=colleague, handover=handover)
    assert handover.acknowledged_late


def test_handover_handler_twice_alerts_once(db, director, two_shifts):
    from duty.handlers import handover_not_acknowledged
    from office.clock.models import Timer

    _day, night, night_leader = two_shifts
    timer = Timer.objects.get(subject_id=str(night.pk), kind="duty.handover", step=0)
    with time_machine.travel(at(2026, 11, 24, 17, 46), tick=False):
        handover_not_acknowledged(timer)
        handover_not_acknowledged(timer)
    assert DutyAlert.objects.filter(shift=night).count() == 1
    assert Notification.objects.filter(recipient=night_leader, step__startswith="handover:").count() == 1
