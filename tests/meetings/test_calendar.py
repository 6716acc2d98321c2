"""The meetings calendar: its SQL does not grow with the meetings shown (month and week), and the readiness
badge it words for each meeting (once per page, in Python) says exactly what meetings/_badge.html says."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from office.meetings.models import Meeting, MeetingStatus
from office.meetings.selectors import calendar_for_user

from .conftest import at, make_meeting

pytestmark = pytest.mark.django_db

NOW = at(2026, 12, 1, 8, 0)


def _queries(client, url) -> list[str]:
    client.get(url)  # the session's and the header's once-a-while reads happen here, not in the count
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _meetings(office, days, *, prefix):
    """One meeting a day, in turn in the big room, the small room and no room, training and standing
    committee, half of them with their checklist done (the readiness counts differ from one to the next)."""
    made = []
    for i in days:
        m = make_meeting(
            office,
            starts_at=at(2026, 12, 1, 9, 0) + dt.timedelta(days=i),
            title=f"{prefix}{i}",
            mtype=office.standing if i % 2 else office.training,
            room=office.small_room if i % 3 == 1 else office.big_room,
        )
        if i % 3 == 2:
            Meeting.objects.filter(pk=m.pk).update(room=None)
        if i % 2:
            m.checklist_items.update(done_at=timezone.now())
        made.append(m)
    return made


@pytest.mark.parametrize("view", ["month", "week"])
def test_the_calendar_reads_the_same_queries_for_one_meeting_and_for_ten(office, view):
    client = Client()
    client.force_login(office.director)
    url = f"/meetings/?view={view}&date=2026-12-01"
    with time_machine.travel(NOW, tick=False):
        _meetings(office, [0], prefix="会")
        one = _queries(client, url)
        # the week of 1 December runs to Sunday the 6th
        _meetings(office, range(1, 6 if view == "week" else 10), prefix="会")
        Meeting.objects.filter(title="会3").update(status=MeetingStatus.CANCELLED)
        ten = _queries(client, url)
        html = client.get(url).content.decode()
    assert len(ten) == len(one), "\n".join(ten)
    assert "会5" in html and len(_badges(html)) >= 6


def _badges(html: str) -> list[str]:
    return re.findall(r'<span class="badge [^"]*">[^<]*</span>', html)


@pytest.mark.parametrize("view", ["month", "week"])
def test_every_badge_of_the_calendar_says_what_the_badge_template_says(office, view):
    """Ready, not ready, not ready and starting within two hours (loud), cancelled."""
    with time_machine.travel(NOW, tick=False):
        ready, waiting, _soon, cancelled = (
            make_meeting(office, starts_at=at(2026, 12, 2, 9, 0), title="就绪的会", room=office.small_room),
            make_meeting(office, starts_at=at(2026, 12, 3, 9, 0), title="未就绪的会"),
            make_meeting(office, starts_at=NOW + dt.timedelta(hours=1), title="一小时后的会"),
            make_meeting(office, starts_at=at(2026, 12, 4, 9, 0), title="取消的会"),
        )
        ready.checklist_items.update(done_at=timezone.now())
        waiting.checklist_items.filter(pk=waiting.checklist_items.first().pk).update(done_at=timezone.now())
        Meeting.objects.filter(pk=cancelled.pk).update(status=MeetingStatus.CANCELLED)
        client = Client()
        client.force_login(office.director)
        html = client.get(f"/meetings/?view={view}&date=2026-12-01").content.decode()
        shown = calendar_for_user(user=office.director, start=at(2026, 11, 30), end=at(2026, 12, 7))
    expected = [_badges(render_to_string("meetings/_badge.html", {"m": m}))[0] for m in shown]
    assert len(expected) == 4 and len(set(expected)) == 4  # the four kinds, each worded its own way
    assert _badges(html) == expected
    assert "⚠ 未就绪（8 项未完成），即将开会" in html and "▲ 未就绪（7 项）" in html


def test_the_calendar_leaves_the_badges_out_for_a_unit(office):
    """Readiness is the office's business: an invited unit's liaison sees no badge."""
    with time_machine.travel(NOW, tick=False):
        m = make_meeting(office, starts_at=at(2026, 12, 2, 9, 0), title="发改委参加的会")
        from office.meetings.services.notices import notice_send

        notice_send(actor=office.organizer, meeting=m)
        client = Client()
        client.force_login(office.liaison_a)
        html = client.get("/meetings/?view=month&date=2026-12-01").content.decode()
    assert "发改委参加的会" in html and not _badges(html)
