"""The seating plan of a meeting from the attendees' ranks (the org's roles), stored, swapped, printed."""

import io

import pytest
import time_machine
from docx import Document as Docx

from office.meetings.models import Response, SeatAssignment
from office.meetings.services.notices import notice_send, receipt_answer
from office.meetings.services.seating_plan import seating_docx, seating_generate, seating_swap

from .conftest import at, make_meeting

pytestmark = pytest.mark.django_db

START = at(2026, 12, 3, 9, 0)


@pytest.fixture
def meeting(office):
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        m = make_meeting(
            office,
            starts_at=START,
            presiding=office.deputy,
            leaders=[office.chief, office.director, office.other_deputy],
        )
        notice_send(actor=office.organizer, meeting=m)
        receipt_answer(
            actor=office.liaison_b,
            receipt=m.receipts.get(unit=office.dept_b),
            response=Response.ATTEND,
            attendee_name="孙局长",
        )
        receipt_answer(
            actor=office.liaison_a,
            receipt=m.receipts.get(unit=office.dept_a),
            response=Response.ATTEND,
            attendee_name="赵局长",
        )
    return m


def _row(meeting, zone):
    return [
        s.name for s in SeatAssignment.objects.filter(meeting=meeting, zone=zone).order_by("row", "index")
    ]


def test_rostrum_by_rank_centre_first_left_rule_and_audience_by_unit_order(office, meeting, settings):
    settings.MEETINGS_SEATING_RULE = "left"
    seating_generate(actor=office.organizer, meeting=meeting)
    # ranks: 王建国 (director) 1, 陈晓东 and 李志强 (deputies) 2 in list order, 郑科长 3. Four people: the first
    # two share the centre, the first on the leaders' left (the audience's right); 3rd at the leaders' left end.
    assert _row(meeting, "rostrum") == ["郑科长", "陈晓东", "王建国", "李志强"]  # seen from the audience
    assert _row(meeting, "audience") == ["赵局长（市发改委）", "孙局长（市住建局）"]  # official unit order


def test_right_rule_mirrors_the_rostrum(office, meeting, settings):
    settings.MEETINGS_SEATING_RULE = "right"
    seating_generate(actor=office.organizer, meeting=meeting)
    assert _row(meeting, "rostrum") == ["李志强", "王建国", "陈晓东", "郑科长"]


def test_swapping_two_seats_and_the_docx_print(office, meeting):
    seating_generate(actor=office.organizer, meeting=meeting)
    a = SeatAssignment.objects.get(meeting=meeting, name="赵局长（市发改委）")
    b = SeatAssignment.objects.get(meeting=meeting, name="王建国")
    before_a, before_b = (a.zone, a.row, a.index), (b.zone, b.row, b.index)
    seating_swap(actor=office.organizer, meeting=meeting, key_a=a.key, key_b=b.key)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.zone, a.row, a.index) == before_b and (b.zone, b.row, b.index) == before_a
    text = "\n".join(
        c.text for t in Docx(io.BytesIO(seating_docx(meeting))).tables for r in t.rows for c in r.cells
    )
    assert "王建国" in text and "赵局长" in text
