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


def test_ranks_of_answers_what_rank_of_answers_for_every_kind_of_user(office, django_assert_num_queries):
    """The plan ranks everyone in one query; the answers are rank_of's: director 1, deputy 2, chief 3,
    staff and units 9, and an inactive deputy or a superuser ranks with everyone else (9)."""
    from django.contrib.auth import get_user_model

    from office.meetings.selectors import rank_of, ranks_of
    from office.org.models import Role
    from tests.factories import make_user

    gone = make_user(Role.DEPUTY_DIRECTOR, unit=office.root, name="已调离副主任")
    gone.is_active = False
    gone.save()
    root_user = make_user(Role.DIRECTOR, unit=office.root, name="超级管理员")
    root_user.is_superuser = True
    root_user.save()
    both = make_user(Role.SECTION_CHIEF, Role.DEPUTY_DIRECTOR, unit=office.root, name="兼任")
    people = [
        office.director,
        office.deputy,
        office.chief,
        office.clerk,
        office.liaison_a,
        gone,
        root_user,
        both,
    ]
    fresh = list(get_user_model().objects.filter(pk__in=[u.pk for u in people]))
    with django_assert_num_queries(1):
        ranks = ranks_of(fresh)
    assert ranks == {u.pk: rank_of(u) for u in people}
    assert [ranks[u.pk] for u in people] == [1, 2, 3, 9, 9, 9, 9, 2]


def _meeting_with_leaders(office, n: int, day: int):
    from office.meetings.models import Receipt
    from office.org.models import Role
    from tests.factories import make_user

    roles = [Role.DEPUTY_DIRECTOR, Role.SECTION_CHIEF, Role.STAFF]
    leaders = [make_user(roles[i % 3], unit=office.root, name=f"领导{day}-{i:02d}") for i in range(n)]
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        m = make_meeting(
            office, starts_at=at(2026, 12, day, 9, 0), presiding=office.director, leaders=leaders
        )
        notice_send(actor=office.organizer, meeting=m)
        for liaison, r in (
            (office.liaison_a, m.receipts.get(unit=office.dept_a)),
            (office.liaison_b, m.receipts.get(unit=office.dept_b)),
        ):
            receipt_answer(
                actor=liaison, receipt=r, response=Response.ATTEND, attendee_name=f"{liaison.staff.name}本人"
            )
    # two people seated with the audience (列席): answered, not among the leaders
    guests = [make_user(Role.STAFF, unit=office.general, name=f"列席{day}-甲"), office.other_deputy]
    Receipt.objects.bulk_create(
        [Receipt(meeting=m, person=g, response=Response.ATTEND) for g in guests if g not in leaders]
    )
    return m


def test_the_seating_plan_reads_the_same_queries_for_three_leaders_and_for_fifteen(office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, big = _meeting_with_leaders(office, 3, 3), _meeting_with_leaders(office, 15, 4)
    counts = []
    for m in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            seating_generate(actor=office.organizer, meeting=m)
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    front = [
        s.name for s in SeatAssignment.objects.filter(meeting=big, zone="rostrum", row=0).order_by("index")
    ]
    # fifteen a row: the director (presiding, first in rank) at the centre of the front row, the first
    # deputy at the leaders' left (the audience's right); the sixteenth (staff, last listed) behind
    assert len(front) == 15 and front[7:9] == ["王建国", "领导4-00"]
    assert SeatAssignment.objects.get(meeting=big, zone="rostrum", row=1).name == "领导4-14"
    # 列席 first in the audience, by rank: the deputy (2) before the staff member (9)
    assert _row(big, "audience")[:2] == ["李志强", "列席4-甲"]
