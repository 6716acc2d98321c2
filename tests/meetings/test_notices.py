"""The notice goes to units and people through office.notifications; receipts are answered on the
portal and by the API; missing receipts are chased at the deadline, then escalated to the section in
charge; the last receipt stops the chase."""

import datetime as dt

import pytest
import time_machine

from office.clock.services import clock_tick
from office.errors import Forbidden, NotFound
from office.meetings.models import Response
from office.meetings.services.common import MeetingError
from office.meetings.services.notices import notice_send, receipt_answer
from office.notifications.models import Notification

from .conftest import at, make_meeting

pytestmark = pytest.mark.django_db

START = at(2026, 12, 3, 9, 0)
SENT = at(2026, 11, 30, 10, 0)
DEADLINE = START - dt.timedelta(days=1)  # the default: T−1 day


@pytest.fixture
def noticed(office):
    with time_machine.travel(SENT, tick=False):
        meeting = make_meeting(office, starts_at=START)
        notice = notice_send(actor=office.organizer, meeting=meeting)
    return meeting, notice


def _tick(when):
    with time_machine.travel(when, tick=False):
        clock_tick()


def test_notice_writes_a_receipt_per_unit_and_invited_person_and_tells_them(office, noticed):
    meeting, notice = noticed
    assert notice.deadline == DEADLINE
    got = {(r.unit_id, r.person_id) for r in meeting.receipts.all()}
    assert got == {
        (office.dept_a.pk, None),
        (office.dept_b.pk, None),
        (None, office.director.pk),
        (None, office.deputy.pk),
    }
    for user in (office.liaison_a, office.liaison_b, office.deputy):
        assert Notification.objects.filter(recipient=user, title__startswith="会议通知").exists()
    assert not Notification.objects.filter(recipient=office.liaison_c).exists()  # not invited
    # the checklist's 发出会议通知 is ticked by the sending
    assert meeting.checklist_items.get(code="notice").done_at is not None


def test_the_notice_is_sent_once(office, noticed):
    meeting, _ = noticed
    with pytest.raises(MeetingError, match="不能重复发送"):
        notice_send(actor=office.organizer, meeting=meeting)


def test_a_clerk_outside_the_meeting_staff_cannot_send_the_notice(office):
    with time_machine.travel(SENT, tick=False):
        meeting = make_meeting(office, starts_at=START)
        with pytest.raises(Forbidden):
            notice_send(actor=office.clerk, meeting=meeting)


def test_missing_receipts_are_chased_at_the_deadline_then_escalated_to_the_section_chief(office, noticed):
    meeting, _ = noticed
    with time_machine.travel(SENT + dt.timedelta(hours=1), tick=False):
        receipt_answer(
            actor=office.liaison_a,
            receipt=meeting.receipts.get(unit=office.dept_a),
            response=Response.ATTEND,
            attendee_name="赵局长",
            attendee_post="局长",
        )
    _tick(DEADLINE - dt.timedelta(minutes=1))
    assert not Notification.objects.filter(title__startswith="请尽快报送回执").exists()
    _tick(DEADLINE + dt.timedelta(seconds=30))
    chased = set(
        Notification.objects.filter(title__startswith="请尽快报送回执").values_list("recipient", flat=True)
    )
    # the unit still missing and the invited people who have not answered; not the unit that answered
    assert chased == {office.liaison_b.pk, office.director.pk, office.deputy.pk}
    assert not Notification.objects.filter(recipient=office.chief, title__startswith="回执未齐").exists()
    _tick(DEADLINE + dt.timedelta(hours=2, seconds=30))
    escalation = Notification.objects.get(
        recipient=office.chief, title__startswith="回执未齐", channel="inbox"
    )
    assert "市住房和城乡建设局" in escalation.body and "市发展和改革委员会" not in escalation.body
    assert "尚有 3 个" in escalation.title


def test_the_last_receipt_stops_the_chase_and_ticks_the_checklist(office, noticed):
    meeting, _ = noticed
    with time_machine.travel(SENT + dt.timedelta(hours=2), tick=False):
        for r in meeting.receipts.all():
            receipt_answer(
                actor=office.organizer, receipt=r, response=Response.ATTEND, attendee_name="参会人"
            )
    assert meeting.checklist_items.get(code="receipts").done_at is not None
    _tick(DEADLINE + dt.timedelta(hours=3))
    assert not Notification.objects.filter(title__startswith="请尽快报送回执").exists()
    assert not Notification.objects.filter(title__startswith="回执未齐").exists()


def test_receipt_rules_substitute_needs_name_and_post_absence_a_reason(office, noticed):
    meeting, _ = noticed
    r = meeting.receipts.get(unit=office.dept_a)
    with time_machine.travel(SENT, tick=False):
        with pytest.raises(MeetingError, match="代会须填写") as exc:
            receipt_answer(
                actor=office.liaison_a, receipt=r, response=Response.SUBSTITUTE, attendee_name="钱科长"
            )
        assert exc.value.code == "invalid"
        with pytest.raises(MeetingError, match="请假须说明事由"):
            receipt_answer(actor=office.liaison_a, receipt=r, response=Response.ABSENT)
        done = receipt_answer(
            actor=office.liaison_a,
            receipt=r,
            response=Response.SUBSTITUTE,
            attendee_name="钱科长",
            attendee_post="副局长",
        )
    assert (done.response, done.attendee_name, done.answered_by) == ("substitute", "钱科长", office.liaison_a)


def test_a_unit_cannot_answer_another_units_receipt(office, noticed):
    meeting, _ = noticed
    with time_machine.travel(SENT, tick=False), pytest.raises(NotFound):
        receipt_answer(
            actor=office.liaison_b,
            receipt=meeting.receipts.get(unit=office.dept_a),
            response=Response.ATTEND,
            attendee_name="x",
        )


def test_a_receipt_cannot_change_once_the_meeting_started(office, noticed):
    meeting, _ = noticed
    with (
        time_machine.travel(START + dt.timedelta(minutes=1), tick=False),
        pytest.raises(MeetingError, match="会议已开始"),
    ):
        receipt_answer(
            actor=office.liaison_a,
            receipt=meeting.receipts.get(unit=office.dept_a),
            response=Response.ATTEND,
            attendee_name="x",
        )
