"""The speech's training meeting: the 视频音响 test is a ladder on the office clock. Not done at T−2 h →
the technician is alarmed, then the section chief at T−1 h; every device ticked → done, the alarm stops.
Every other item reminds its owner, then the section chief 30 minutes later, then the deputy in charge."""

import datetime as dt

import pytest
import time_machine

from office.clock.services import clock_tick
from office.errors import Forbidden
from office.meetings.models import ChecklistItem
from office.meetings.selectors import calendar_for_user, readiness
from office.meetings.services.checklist import item_devices_check, item_done
from office.meetings.services.common import MeetingError
from office.notifications.models import Notification

from .conftest import at, make_meeting

pytestmark = pytest.mark.django_db

START = at(2026, 12, 3, 9, 0)  # the training meeting, a Thursday morning


def _tick(when):
    with time_machine.travel(when, tick=False):
        clock_tick()


def _av_alarms(user):
    return Notification.objects.filter(recipient=user, channel="inbox", title__contains="视频音响").count()


@pytest.fixture
def training(office):
    with time_machine.travel(at(2026, 11, 28, 10, 0), tick=False):
        return make_meeting(office, starts_at=START)


def test_the_checklist_comes_from_the_type_template_with_deadlines_before_the_start(office, training):
    items = {i.code: i for i in training.checklist_items.all()}
    assert set(items) == {
        "notice",
        "receipts",
        "seating",
        "name-cards",
        "av-test",
        "recording",
        "duty-handover",
        "tea",
    }
    assert items["av-test"].due_at == START - dt.timedelta(hours=2)
    assert items["av-test"].owner == office.technician
    assert items["notice"].due_at == START - dt.timedelta(days=2)
    assert items["tea"].due_at == START - dt.timedelta(minutes=30)
    assert items["seating"].owner == office.chief  # the section chief approves the seating plan


def test_standing_committee_notice_is_due_three_days_before(office):
    with time_machine.travel(at(2026, 11, 28, 10, 0), tick=False):
        m = make_meeting(office, starts_at=START, mtype=office.standing, title="市委常委会")
    assert m.checklist_items.get(code="notice").due_at == START - dt.timedelta(days=3)


def test_av_test_not_done_alarms_the_technician_at_t_minus_2h_then_the_chief_at_t_minus_1h_and_stops_when_done(
    office, training
):
    av = training.checklist_items.get(code="av-test")
    _tick(START - dt.timedelta(hours=2, minutes=1))
    assert _av_alarms(office.technician) == 0  # not yet due

    _tick(START - dt.timedelta(hours=2) + dt.timedelta(seconds=30))
    assert _av_alarms(office.technician) == 1
    assert _av_alarms(office.chief) == 0

    _tick(START - dt.timedelta(hours=1) + dt.timedelta(seconds=30))
    assert _av_alarms(office.chief) == 1
    assert (
        Notification.objects.get(recipient=office.chief, channel="inbox", title__contains="视频音响").level
        == "urgent"
    )

    # the technician tests every device: the item is done and the ladder stops
    with time_machine.travel(START - dt.timedelta(minutes=50), tick=False):
        item_devices_check(
            actor=office.technician, item=av, checked=["microphones", "speakers", "projector", "video_link"]
        )
        av.refresh_from_db()
        assert av.done_at is None  # four of five: not done
        item_devices_check(
            actor=office.technician,
            item=av,
            checked=["microphones", "speakers", "projector", "video_link", "recording"],
        )
    av.refresh_from_db()
    assert av.done_at is not None and av.done_by == office.technician

    _tick(START - dt.timedelta(minutes=25))  # the deputy's step would have fired at T−30 min
    assert _av_alarms(office.deputy) == 0
    assert _av_alarms(office.chief) == 1  # and nobody is told twice


def test_av_test_done_before_t_minus_2h_alarms_nobody(office, training):
    av = training.checklist_items.get(code="av-test")
    with time_machine.travel(START - dt.timedelta(hours=3), tick=False):
        item_devices_check(
            actor=office.technician,
            item=av,
            checked=[r[0] for r in av.device_rows()],
        )
    _tick(START)
    assert _av_alarms(office.technician) == _av_alarms(office.chief) == _av_alarms(office.deputy) == 0


def test_av_item_cannot_be_ticked_done_without_every_device(office, training):
    av = training.checklist_items.get(code="av-test")
    with pytest.raises(MeetingError, match="逐项勾选全部设备"):
        item_done(actor=office.technician, item=av)


def test_an_ordinary_item_reminds_owner_then_chief_after_30_min_then_the_deputy_in_charge(office, training):
    tea = training.checklist_items.get(code="tea")  # T−30 min, the organizer's
    due = tea.due_at
    _tick(due + dt.timedelta(seconds=10))
    assert Notification.objects.filter(recipient=office.organizer, title__contains="茶水").count() == 1
    assert not Notification.objects.filter(recipient=office.chief, title__contains="茶水").exists()
    _tick(due + dt.timedelta(minutes=30, seconds=10))
    assert Notification.objects.filter(recipient=office.chief, title__contains="茶水").count() == 1
    _tick(due + dt.timedelta(minutes=60, seconds=10))
    assert Notification.objects.filter(recipient=office.deputy, title__contains="茶水").count() == 1
    # the deputy in charge of 综合科, not every deputy
    assert not Notification.objects.filter(recipient=office.other_deputy, title__contains="茶水").exists()


def test_only_the_owner_or_meeting_staff_tick_an_item(office, training):
    tea = training.checklist_items.get(code="tea")
    with pytest.raises(Forbidden):
        item_done(actor=office.clerk, item=tea)
    item_done(actor=office.organizer, item=tea)
    assert ChecklistItem.objects.get(pk=tea.pk).done_at is not None


def test_ready_only_when_every_item_is_done_and_loud_within_two_hours(office, training):
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        state = readiness(training)
        assert state == {"ready": False, "open_items": 8, "loud": True}
        [m] = calendar_for_user(
            user=office.director, start=START - dt.timedelta(days=1), end=START + dt.timedelta(days=1)
        )
        assert (m.open_items, m.is_ready, m.is_loud) == (8, False, True)
        for item in training.checklist_items.all():
            if item.needs_devices:
                item_devices_check(
                    actor=office.director, item=item, checked=[r[0] for r in item.device_rows()]
                )
            else:
                item_done(actor=office.director, item=item)
        assert readiness(training) == {"ready": True, "open_items": 0, "loud": False}
    with time_machine.travel(START - dt.timedelta(hours=5), tick=False):
        assert readiness(training)["loud"] is False


def test_moving_the_meeting_moves_the_open_items_and_their_alarms(office, training):
    from office.meetings.services.meetings import meeting_update

    later = START + dt.timedelta(days=1)
    with time_machine.travel(at(2026, 11, 29, 10, 0), tick=False):
        meeting_update(
            actor=office.director, meeting=training, starts_at=later, ends_at=later + dt.timedelta(hours=2)
        )
    av = training.checklist_items.get(code="av-test")
    assert av.due_at == later - dt.timedelta(hours=2)
    _tick(START - dt.timedelta(hours=1))  # the old time: nothing fires
    assert _av_alarms(office.technician) == 0
    _tick(later - dt.timedelta(hours=2) + dt.timedelta(seconds=5))
    assert _av_alarms(office.technician) == 1
