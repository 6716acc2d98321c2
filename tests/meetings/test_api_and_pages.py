"""The units' API (per-unit key): notices addressed to them, receipts, sign-in status; the contract's
error body. And the pages: the calendar's readiness badges (loud when a meeting within 2 h is not
ready), the meeting page's sections, the create form's refusal of a double booking, queries that do not
grow with the number of meetings."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from office.meetings.models import Response
from office.meetings.services.notices import notice_send
from office.org.services import api_key_issue

from .conftest import at, make_meeting

pytestmark = pytest.mark.django_db

START = at(2026, 12, 3, 9, 0)
NOW = at(2026, 11, 30, 10, 0)


@pytest.fixture
def noticed(office):
    with time_machine.travel(NOW, tick=False):
        m = make_meeting(office, starts_at=START)
        notice_send(actor=office.organizer, meeting=m)
    return m


def _key(office, unit) -> Client:
    _k, raw = api_key_issue(actor=office.director, unit=unit, name="会议系统对接")
    return Client(headers={"X-Api-Key": raw})


def test_a_unit_reads_its_notices_answers_its_receipt_and_reads_its_sign_in_status_by_key(office, noticed):
    api = _key(office, office.dept_a)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        body = api.get("/api/v1/meetings/notices").json()
        [notice] = body["results"] if "results" in body else body
        assert notice["title"] == noticed.title
        [receipt] = notice["receipts"]  # its own receipt only
        assert receipt["addressee"] == "市发展和改革委员会" and receipt["response"] == "pending"
        bad = api.post(
            f"/api/v1/meetings/receipts/{receipt['id']}",
            {"response": "substitute"},
            content_type="application/json",
        )
        assert bad.status_code == 400 and bad.json()["code"] == "invalid"
        ok = api.post(
            f"/api/v1/meetings/receipts/{receipt['id']}",
            {"response": "substitute", "attendee_name": "钱科长", "attendee_post": "副主任"},
            content_type="application/json",
        )
        assert ok.status_code == 200 and ok.json()["response"] == "substitute"
    status = api.get(f"/api/v1/meetings/notices/{noticed.pk}/sign-ins").json()
    assert status == {
        "meeting": noticed.pk,
        "expected": 1,
        "arrived": 0,
        "rows": [
            {
                "receipt": receipt["id"],
                "addressee": "市发展和改革委员会",
                "expected": "钱科长",
                "signed_at": None,
            }
        ],
    }


def test_another_unit_gets_404_for_the_notice_and_the_receipt(office, noticed):
    api = _key(office, office.dept_c)
    assert api.get("/api/v1/meetings/notices").json()["results"] == []
    assert api.get(f"/api/v1/meetings/notices/{noticed.pk}").status_code == 404
    rid = noticed.receipts.get(unit=office.dept_a).pk
    resp = api.post(
        f"/api/v1/meetings/receipts/{rid}",
        {"response": "attend", "attendee_name": "x"},
        content_type="application/json",
    )
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    assert noticed.receipts.get(pk=rid).response == Response.PENDING


def test_a_meeting_not_yet_noticed_is_unknown_to_its_units(office):
    m = make_meeting(office, starts_at=START)
    api = _key(office, office.dept_a)
    assert api.get(f"/api/v1/meetings/notices/{m.pk}").status_code == 404


def test_calendar_shows_readiness_and_is_loud_within_two_hours(office):
    soon = timezone.now() + dt.timedelta(hours=1)
    make_meeting(office, starts_at=soon, title="一小时后的培训会")
    client = Client()
    client.force_login(office.director)
    html = client.get(f"/meetings/?view=week&date={timezone.localdate(soon).isoformat()}").content.decode()
    assert "一小时后的培训会" in html
    assert "2 小时内开会但会务未就绪" in html and "未就绪（8 项未完成），即将开会" in html


def test_calendar_queries_do_not_grow_with_the_meetings(office, django_assert_max_num_queries):
    client = Client()
    client.force_login(office.director)
    make_meeting(office, starts_at=START, title="会1")
    url = f"/meetings/?view=month&date={START.date().isoformat()}"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(2, 8):
        make_meeting(office, starts_at=START + dt.timedelta(days=i), title=f"会{i}", room=None)
    with django_assert_max_num_queries(len(one)):
        html = client.get(url).content.decode()
    assert "会7" in html


def test_the_create_form_shows_a_double_booking_on_the_room_field(office):
    make_meeting(office, starts_at=START, title="甲会")
    client = Client()
    client.force_login(office.director)
    resp = client.post(
        "/meetings/new/",
        {
            "meeting_type": office.training.pk,
            "title": "乙会",
            "starts_at": "2026-12-03T10:00",
            "ends_at": "2026-12-03T11:00",
            "room": office.big_room.pk,
            "classification": "internal",
        },
    )
    assert resp.status_code == 400
    assert "已被预订" in resp.content.decode()


def test_the_meeting_page_for_staff_and_for_the_invited_unit(office, noticed):
    client = Client()
    client.force_login(office.organizer)
    html = client.get(noticed.get_absolute_url()).content.decode()
    for text in ("会务清单", "视频音响调试", "签到二维码", "会中事故记录", "会议纪要与议定事项", "座次"):
        assert text in html
    client.force_login(office.liaison_a)
    html = client.get(noticed.get_absolute_url()).content.decode()
    assert "填写回执" in html and "会务清单" not in html and "市住房和城乡建设局" not in html


def test_dashboard_panel_and_my_work(office, noticed):
    from office.meetings.dashboard import meetings_panel, meetings_work

    with time_machine.travel(START - dt.timedelta(hours=20), tick=False):
        now = timezone.now()
        panel = meetings_panel(office.director, now)
        assert [m.title for m in panel["tomorrow"]] == [noticed.title] and panel["today"] == []
        # the T−1 day items are late: receipts, seating, name cards
        assert {i.code for i in panel["late"]} == {"receipts", "seating", "name-cards"}
        assert meetings_panel(office.liaison_a, now) is None
        tech = {w.title for w in meetings_work(office.technician, now)}
        assert f"{noticed.title}：视频音响调试（用实际课件和视频链路）" in tech
        assert [w.kind for w in meetings_work(office.liaison_a, now)] == ["回执"]
        assert [w.kind for w in meetings_work(office.deputy, now)] == ["回执"]


def test_a_second_editor_saving_over_the_first_is_refused_and_nothing_is_overwritten(office):
    # Two people opened the edit form of the same meeting; the first saves; the second's save, made from
    # the version they read, is refused with a clear message and the first one's title stays.
    meeting = make_meeting(office, starts_at=START, title="甲会")
    client = Client()
    client.force_login(office.director)
    form = {
        "meeting_type": office.training.pk,
        "starts_at": "2026-12-03T09:00",
        "ends_at": "2026-12-03T11:00",
        "room": office.big_room.pk,
        "classification": "internal",
        "version": meeting.version,
    }
    first = client.post(f"/meetings/{meeting.pk}/edit/", {**form, "title": "甲会（改期）"})
    assert first.status_code == 302
    second = client.post(f"/meetings/{meeting.pk}/edit/", {**form, "title": "甲会（另改）"})
    assert second.status_code == 400
    assert "已被他人修改" in second.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "甲会（改期）" and meeting.version == 2
