"""The weekly briefing: it renders (.docx) for an empty week and a busy one, goes to the director's
inbox once, on the first working day of the week on the office's calendar, and is downloadable."""

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone

from office.dashboard.models import WeeklyBriefing
from office.dashboard.services import (
    briefing_content,
    briefing_docx,
    briefing_send,
    first_working_day_of_week,
)
from office.notifications.models import Notification
from office.workdays.models import WorkdayOverride

from . import world as W
from .conftest import at

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_the_briefing_renders_for_an_empty_week(director, clock):
    data, name = briefing_docx(actor=director, week_start=dt.date(2026, 3, 9))
    text = docx_text(data)
    assert name == "每周工作简报（2026年3月9日）.docx"
    assert "2026年3月2日至2026年3月8日工作情况" in text
    assert "新交办督办事项0件" in text and "接报紧急信息0起" in text


def test_the_briefing_document_is_chinese_when_the_director_reads_in_english(director, clock):
    # an official document is in the office's language; only the page follows the reader's choice
    from django.utils import translation

    with translation.override("en"):
        data, name = briefing_docx(actor=director, week_start=dt.date(2026, 3, 9))
    text = docx_text(data)
    assert name == "每周工作简报（2026年3月9日）.docx"
    assert "上周情况" in text and "新交办督办事项0件" in text
    assert "Last week" not in text and "Supervision" not in text


def test_the_briefing_renders_a_busy_week_with_its_numbers(clock):
    clock.move_to(at(2026, 3, 6, 10, 0))  # last Friday: the week before this one
    w = W.build(k=2, now=timezone.now())
    clock.move_to(at(2026, 3, 9, 9, 0))
    content = briefing_content(actor=w.director, week_start=dt.date(2026, 3, 9))
    titles = [s["title"] for s in content["sections"]]
    assert titles[:3] == ["督查督办", "值班值守", "公文运转"]
    text = docx_text(briefing_docx(actor=w.director, week_start=dt.date(2026, 3, 9))[0])
    assert "新交办督办事项8件" in text  # 4 per unit of scale issued last week (the 5th long before)
    assert "接报紧急信息2起" in text
    assert "内设机构调研" in text  # the deputy's assignment falls due in the week ahead


def test_only_leaders_may_read_the_briefing(client, clock):
    w = W.people()
    client.force_login(w.staff)
    assert client.get("/dashboard/briefing/").status_code == 403
    assert client.get("/dashboard/briefing.docx?week=2026-03-09").status_code == 403
    client.force_login(w.deputy)
    response = client.get("/dashboard/briefing.docx?week=2026-03-11")
    assert response.status_code == 200
    assert "%E6%AF%8F%E5%91%A8" in response["Content-Disposition"]  # 每周…, for the week's Monday
    assert client.get("/dashboard/briefing/?week=2026-03-11").status_code == 200


def test_sent_once_to_the_director_on_monday_at_eight(director, staff_user):
    with time_machine.travel(at(2026, 3, 9, 7, 59), tick=False):
        assert briefing_send() is None  # before the hour
    with time_machine.travel(at(2026, 3, 9, 8, 0), tick=False):
        briefing = briefing_send()
        assert briefing_send() == briefing  # the task running twice sends once
    inbox = Notification.objects.filter(recipient=director, step="weekly", channel="inbox")
    assert inbox.count() == 1 and inbox.get().url == "/dashboard/briefing/?week=2026-03-09"
    assert not Notification.objects.filter(recipient=staff_user).exists()
    with time_machine.travel(at(2026, 3, 10, 8, 0), tick=False):
        assert briefing_send() is None  # Tuesday is not the first working day of that week
    assert WeeklyBriefing.objects.count() == 1


def test_a_monday_holiday_moves_the_briefing_to_tuesday(director):
    WorkdayOverride.objects.create(date=dt.date(2026, 3, 16), is_working_day=False)
    assert first_working_day_of_week(dt.date(2026, 3, 18)) == dt.date(2026, 3, 17)
    with time_machine.travel(at(2026, 3, 16, 9, 0), tick=False):
        assert briefing_send() is None
    with time_machine.travel(at(2026, 3, 17, 8, 30), tick=False):
        assert briefing_send().week_start == dt.date(2026, 3, 16)


def test_the_beat_schedule_runs_the_briefing_task():
    from office.celery import _office_beat_schedule, app

    _office_beat_schedule(app)
    entry = app.conf.beat_schedule["office-dashboard-weekly-briefing"]
    assert entry["task"] == "office.dashboard.weekly_briefing"
    assert entry["schedule"].hour == {8}
