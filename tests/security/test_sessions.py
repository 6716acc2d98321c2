"""Session rules: idle and absolute limits, one session per account (the first learns why), sign-out
clears the session server-side."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from office.security.models import EventKind, SecurityEvent

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def test_an_idle_session_ends_and_the_person_learns_why(client, director, settings):
    settings.OFFICE_SESSION_IDLE_MINUTES = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert sign_in(client, director).status_code == 302
        key = client.session.session_key
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity: the idle clock starts again
        clock.shift(timedelta(minutes=31))
        response = client.get("/documents/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert not Session.objects.filter(session_key=key).exists()  # ended server-side
        page = client.get(response["Location"]).content.decode()
        assert "会话已超时结束" in page
    row = SecurityEvent.objects.get(kind=EventKind.SESSION_TIMEOUT)
    assert row.actor == director and row.data["idle_seconds"] >= 31 * 60


def test_the_absolute_limit_ends_a_busy_session(client, director, settings):
    settings.OFFICE_SESSION_IDLE_MINUTES = 30
    settings.OFFICE_SESSION_ABSOLUTE_HOURS = 12
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, director)
        for _i in range(12 * 3):  # a request every 20 minutes for 12 hours
            clock.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=20))
        assert client.get("/").status_code == 302
    assert SecurityEvent.objects.filter(kind=EventKind.SESSION_TIMEOUT, actor=director).exists()


def test_a_second_sign_in_ends_the_first_session(director, settings):
    settings.OFFICE_SESSION_SINGLE = True
    first, second = Client(), Client()
    sign_in(first, director)
    assert first.get("/").status_code == 200
    sign_in(second, director)
    response = first.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "已在别处登录" in first.get(response["Location"]).content.decode()
    assert second.get("/").status_code == 200
    assert SecurityEvent.objects.filter(kind=EventKind.SESSION_REPLACED, actor=director).count() == 1


def test_without_the_setting_two_sessions_live_side_by_side(director, settings):
    settings.OFFICE_SESSION_SINGLE = False
    first, second = Client(), Client()
    sign_in(first, director)
    sign_in(second, director)
    assert first.get("/").status_code == 200 and second.get("/").status_code == 200


def test_sign_out_deletes_the_session_server_side(client, director):
    sign_in(client, director)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_the_warning_script_is_on_every_page_when_sessions_end(client, director, settings):
    settings.OFFICE_SESSION_IDLE_MINUTES = 30
    client.force_login(director)
    page = client.get("/").content.decode()
    assert (
        'src="/static/security/session.js"' in page
        and 'data-idle="1800"' in page
        and 'data-warn="60"' in page
    )
    assert "会话将在 1 分钟后结束" in page
