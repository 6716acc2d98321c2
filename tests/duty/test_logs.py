"""Phone records: ordinary within 2 hours, important at once; both are timers."""

import pytest
import time_machine

from duty.errors import DutyError
from duty.models import DutyAlert
from duty.services.logs import log_add, phone_record_create, phone_record_handle
from office.clock.services import clock_tick
from office.notifications.models import Notification

from .factories import at, make_shift

CALL = {"caller_unit": "市应急局", "caller_name": "王五", "caller_number": "0731-8888", "content": "通报雨情"}


@pytest.fixture
def day_shift(db, leader, officer, deputy):
    return make_shift(
        at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer, deputy=deputy
    )


def test_ordinary_phone_record_unhandled_for_two_hours_alerts_main_officer(db, officer, day_shift):
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False) as traveller:
        record = phone_record_create(actor=officer, caller_title="科长", others_informed="带班领导", **CALL)
        assert record.due_at == at(2026, 11, 24, 11, 0)
        traveller.move_to(at(2026, 11, 24, 10, 59))
        clock_tick()
        assert not DutyAlert.objects.filter(phone_record=record).exists()
        traveller.move_to(at(2026, 11, 24, 11, 0))
        clock_tick()
    assert Notification.objects.filter(recipient=officer, step=f"phone:{record.pk}:0").exists()


def test_important_phone_record_goes_to_duty_leader_at_once(db, officer, leader, day_shift):
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        record = phone_record_create(actor=officer, importance="important", **CALL)
        clock_tick()
    assert Notification.objects.filter(recipient=leader, step=f"phone:{record.pk}:0", level="urgent").exists()


def test_handled_phone_record_cancels_its_timer_and_records_lateness(db, officer, day_shift):
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False) as traveller:
        record = phone_record_create(actor=officer, **CALL)
        traveller.move_to(at(2026, 11, 24, 10, 0))
        record = phone_record_handle(actor=officer, record=record, note="已转告应急局")
        traveller.move_to(at(2026, 11, 24, 12, 0))
        clock_tick()
    assert record.status == "handled" and not record.handled_late
    assert not DutyAlert.objects.filter(phone_record=record).exists()
    with pytest.raises(DutyError):
        phone_record_handle(actor=officer, record=record, note="再办一次")


def test_phone_record_cannot_be_dated_in_the_future(db, officer, day_shift):
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False), pytest.raises(DutyError):
        phone_record_create(actor=officer, received_at=at(2026, 11, 24, 10, 0), **CALL)


def test_empty_log_entry_is_refused(db, officer, day_shift):
    with pytest.raises(DutyError):
        log_add(actor=officer, shift=day_shift, text="  ")
    assert log_add(actor=officer, shift=day_shift, text="巡查机房正常").shift == day_shift
