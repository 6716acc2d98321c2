"""Sign-in against the receipts; incidents during the meeting (an equipment failure creates a follow-up
task on the clock, and the risk review hears of every incident after the commit)."""

import datetime as dt

import pytest
import time_machine

from office.clock.services import clock_tick
from office.errors import Forbidden
from office.meetings.models import IncidentCategory, Response
from office.meetings.selectors import attendance
from office.meetings.services.common import MeetingError
from office.meetings.services.incidents import incident_record
from office.meetings.services.notices import notice_send, receipt_answer
from office.meetings.services.signin import sign_in_desk, sign_in_self, sign_in_unit
from office.meetings.signals import meeting_incident_recorded
from office.notifications.models import Notification

from .conftest import at, make_meeting

pytestmark = pytest.mark.django_db

START = at(2026, 12, 3, 9, 0)


@pytest.fixture
def meeting(office):
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        m = make_meeting(office, starts_at=START)
        notice_send(actor=office.organizer, meeting=m)
        receipt_answer(
            actor=office.liaison_a,
            receipt=m.receipts.get(unit=office.dept_a),
            response=Response.ATTEND,
            attendee_name="赵局长",
        )
        receipt_answer(
            actor=office.liaison_b,
            receipt=m.receipts.get(unit=office.dept_b),
            response=Response.ABSENT,
            reason="出差",
        )
    return m


def test_people_sign_themselves_in_units_sign_their_attendees_the_list_follows_the_receipts(office, meeting):
    with time_machine.travel(START - dt.timedelta(minutes=20), tick=False):
        first = sign_in_self(actor=office.deputy, meeting=meeting)
        assert sign_in_self(actor=office.deputy, meeting=meeting).pk == first.pk  # twice keeps the first
        [unit_sign] = sign_in_unit(
            actor=office.liaison_a, meeting=meeting, receipt_ids=[meeting.receipts.get(unit=office.dept_a).pk]
        )
    assert unit_sign.name == "赵局长" and unit_sign.signed_by == office.liaison_a
    att = attendance(actor=office.director, meeting=meeting)
    # expected: 赵局长 (发改), the director and the deputy; 住建 is absent
    assert (att["expected"], att["arrived"]) == (3, 2)
    missing = [r.receipt.addressee for r in att["rows"] if r.expected and not r.signed]
    assert missing == ["王建国"]
    # a unit sees only its own row
    own = attendance(actor=office.liaison_a, meeting=meeting)
    assert [r.receipt.addressee for r in own["rows"]] == ["市发展和改革委员会"]


def test_a_unit_may_not_sign_in_another_units_people_nor_an_uninvited_clerk_himself(office, meeting):
    with time_machine.travel(START - dt.timedelta(minutes=20), tick=False):
        with pytest.raises(MeetingError, match="请选择"):
            sign_in_unit(
                actor=office.liaison_b,
                meeting=meeting,
                receipt_ids=[meeting.receipts.get(unit=office.dept_a).pk],
            )
        with pytest.raises(Forbidden, match="不在本次会议的参会名单"):
            sign_in_self(actor=office.clerk, meeting=meeting)
        walk_in = sign_in_desk(
            actor=office.organizer, meeting=meeting, name="孙记者", unit_name="市融媒体中心"
        )
    assert walk_in.name == "孙记者"


def test_sign_in_is_closed_long_before_and_after_the_meeting(office, meeting):
    with (
        time_machine.travel(START - dt.timedelta(hours=4), tick=False),
        pytest.raises(MeetingError, match="会前 3 小时"),
    ):
        sign_in_self(actor=office.deputy, meeting=meeting)
    with (
        time_machine.travel(START + dt.timedelta(hours=3), tick=False),
        pytest.raises(MeetingError, match="已结束"),
    ):
        sign_in_self(actor=office.deputy, meeting=meeting)


def test_an_equipment_failure_creates_a_follow_up_task_on_the_clock_and_tells_the_risk_review(
    office, meeting, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, incident, **kwargs):
        heard.append(incident)

    meeting_incident_recorded.connect(listener)
    try:
        with time_machine.travel(START + dt.timedelta(minutes=40), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                incident = incident_record(
                    actor=office.organizer,
                    meeting=meeting,
                    category=IncidentCategory.EQUIPMENT,
                    description="视频音响啸叫，会议中断",
                    started_at=START + dt.timedelta(minutes=30),
                    ended_at=START + dt.timedelta(minutes=39),
                    action_taken="更换调音台",
                )
    finally:
        meeting_incident_recorded.disconnect(listener)
    assert incident.minutes_lost == 9
    assert [i.pk for i in heard] == [incident.pk]
    assert heard[0].meeting.kind == "training" and heard[0].category == "equipment"
    task = incident.follow_up
    assert task.is_follow_up and task.owner == office.technician
    assert task.due_at == START + dt.timedelta(minutes=40) + dt.timedelta(hours=24)
    # the follow-up does not make the finished meeting "not ready" — it is its own task with its own alarm
    with time_machine.travel(task.due_at + dt.timedelta(seconds=30), tick=False):
        clock_tick()
    assert Notification.objects.filter(recipient=office.technician, title__contains="设备故障整改").exists()


def test_a_service_failure_creates_no_follow_up(office, meeting):
    with time_machine.travel(START + dt.timedelta(minutes=40), tick=False):
        incident = incident_record(
            actor=office.organizer,
            meeting=meeting,
            category=IncidentCategory.SERVICE,
            description="茶水未及时续上",
            started_at=START + dt.timedelta(minutes=35),
        )
    assert incident.follow_up is None and incident.minutes_lost == 0
