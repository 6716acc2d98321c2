"""Room booking refuses overlaps (a meeting cancelled frees its room), also under concurrency on
PostgreSQL: the room's row is locked before the overlap is looked for."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection

from office.errors import Forbidden
from office.meetings.models import Meeting
from office.meetings.services.common import MeetingError
from office.meetings.services.meetings import meeting_cancel, meeting_update

from .conftest import at, make_meeting

START = at(2026, 12, 3, 9, 0)


@pytest.mark.django_db
def test_an_overlapping_booking_of_the_same_room_is_refused(office):
    make_meeting(office, starts_at=START, title="甲会")
    with pytest.raises(MeetingError, match="已被预订") as exc:
        make_meeting(office, starts_at=START + dt.timedelta(hours=1), title="乙会")
    assert exc.value.code == "conflict" and "room" in exc.value.fields
    # back to back is fine, and so is another room at the same time
    make_meeting(office, starts_at=START + dt.timedelta(hours=2), title="丙会")
    make_meeting(
        office, starts_at=START, title="丁会", room=office.small_room, units=[office.dept_a], leaders=[]
    )
    assert Meeting.objects.count() == 3


@pytest.mark.django_db
def test_moving_a_meeting_onto_another_is_refused_and_a_cancelled_one_frees_the_room(office):
    first = make_meeting(office, starts_at=START, title="甲会")
    second = make_meeting(office, starts_at=START + dt.timedelta(hours=3), title="乙会")
    with pytest.raises(MeetingError, match="已被预订"):
        meeting_update(actor=office.director, meeting=second, starts_at=START + dt.timedelta(hours=1))
    meeting_cancel(actor=office.director, meeting=first, reason="领导另有安排")
    meeting_update(
        actor=office.director, meeting=second, starts_at=START, ends_at=START + dt.timedelta(hours=2)
    )


@pytest.mark.django_db
def test_a_room_too_small_is_refused(office):
    with pytest.raises(MeetingError, match="只能容纳 4 人"):
        make_meeting(
            office,
            starts_at=START,
            room=office.small_room,
            units=[office.dept_a, office.dept_b, office.dept_c],
        )


@pytest.mark.django_db
def test_only_managers_arrange_meetings(office):
    from office.meetings.services.meetings import meeting_create

    with pytest.raises(Forbidden):
        meeting_create(
            actor=office.clerk,
            meeting_type=office.training,
            title="x",
            starts_at=START,
            ends_at=START + dt.timedelta(hours=1),
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bookings_of_one_room_one_wins(office):
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2)
    results: list[str] = []

    def book(title):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            make_meeting(office, starts_at=START, title=title)
            results.append("ok")
        except MeetingError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(t,)) for t in ("甲会", "乙会")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["conflict", "ok"]
    assert Meeting.objects.filter(room=office.big_room).count() == 1
