"""The live channel (issue 14): one light poll answers the page's whole state — the unread count the
badge and the inbox share, and the person's open alarms (unread urgent messages, fresh enough); "知道了"
reads the message; the tone and desktop notification are a per-person choice, on by default for the
director and the duty room."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from office.audit.models import AuditEvent
from office.notifications.alarms import alarm_list_for_user, alarm_signals_for, alarm_signals_set
from office.notifications.models import Level
from office.notifications.selectors import unread_count_for_user
from office.org.models import Role
from tests.factories import make_user

from .factories import NotificationFactory


@pytest.fixture
def officer(db):
    return make_user(Role.DUTY_OFFICER)


def _live(client):
    resp = client.get(reverse("notifications:live"))
    assert resp.status_code == 200
    assert "no-cache" in resp["Cache-Control"]
    return resp.json()


def test_an_alarm_is_an_unread_urgent_message_inside_the_window_and_only_the_persons_own(
    officer, person, settings
):
    settings.OFFICE_ALARM_WINDOW_HOURS = 24
    alarm = NotificationFactory(recipient=officer, level=Level.URGENT, title="【已超时未报】二号镇山体滑坡")
    NotificationFactory(recipient=officer, level=Level.WARNING, title="提醒")  # not an alarm
    NotificationFactory(recipient=officer, level=Level.URGENT, read_at=timezone.now())  # acknowledged
    NotificationFactory(  # too old: waits in the inbox
        recipient=officer, level=Level.URGENT, created_at=timezone.now() - timedelta(hours=25)
    )
    NotificationFactory(recipient=person, level=Level.URGENT)  # someone else's
    assert list(alarm_list_for_user(user=officer)) == [alarm]


def test_live_state_names_the_alarm_links_it_and_counts_like_the_inbox(client, officer):
    alarm = NotificationFactory(
        recipient=officer,
        level=Level.URGENT,
        title="【已超时未报】二号镇山体滑坡 电话报告时限 10:05",
        url="/duty/reports/9/",
    )
    NotificationFactory(recipient=officer, title="一般消息")
    client.force_login(officer)
    state = _live(client)
    assert state["unread"] == unread_count_for_user(user=officer) == 2
    assert state["unread_text"] == "2"
    assert state["alarm_total"] == 1
    [row] = state["alarms"]
    assert row["title"] == alarm.title
    assert row["url"] == reverse("notifications:open", args=[alarm.pk])  # follows the link, marks read
    assert row["subject_url"] == "/duty/reports/9/"
    assert row["ack"] == reverse("notifications:acknowledge", args=[alarm.pk])
    assert state["signals"] is True  # a duty officer hears alarms by default
    assert 1 <= state["poll"] <= 5


def test_the_banner_lists_a_few_alarms_and_counts_the_rest(client, officer, settings):
    settings.OFFICE_ALARM_BANNER_LIMIT = 2
    for i in range(5):
        NotificationFactory(recipient=officer, level=Level.URGENT, title=f"警报{i}")
    client.force_login(officer)
    state = _live(client)
    assert [a["title"] for a in state["alarms"]] == ["警报4", "警报3"]  # newest first
    assert state["alarm_total"] == 5


def test_acknowledging_reads_the_message_so_the_inbox_and_the_banner_agree(client, officer):
    alarm = NotificationFactory(recipient=officer, level=Level.URGENT)
    client.force_login(officer)
    resp = client.post(reverse("notifications:acknowledge", args=[alarm.pk]))
    assert resp.status_code == 200
    state = resp.json()
    assert state["alarms"] == [] and state["unread"] == 0
    alarm.refresh_from_db()
    assert alarm.read_at is not None


def test_nobody_acknowledges_someone_elses_alarm(client, officer, person):
    alarm = NotificationFactory(recipient=officer, level=Level.URGENT)
    client.force_login(person)
    assert client.post(reverse("notifications:acknowledge", args=[alarm.pk])).status_code == 404
    alarm.refresh_from_db()
    assert alarm.read_at is None


def test_a_stranger_is_told_to_stop_polling(client):
    assert client.get(reverse("notifications:live")).status_code == 401


def test_a_quiet_poll_costs_a_few_queries(client, officer, django_assert_max_num_queries):
    for _ in range(30):
        NotificationFactory(recipient=officer, read_at=timezone.now())
    client.force_login(officer)
    with django_assert_max_num_queries(4):  # session, user, the unread count (no alarms: nothing more)
        _live(client)


@pytest.mark.parametrize(
    "role,default",
    [(Role.DIRECTOR, True), (Role.DUTY_LEADER, True), (Role.DUTY_OFFICER, True), (Role.STAFF, False)],
)
def test_signals_default_by_role_and_each_person_may_choose(db, role, default):
    user = make_user(role)
    assert alarm_signals_for(user) is default
    alarm_signals_set(actor=user, enabled=not default)
    assert alarm_signals_for(user) is (not default)
    assert AuditEvent.objects.filter(verb="notifications.alarm_signals_set", actor=user).count() == 1


def test_the_preferences_page_switches_the_signals(client, person):
    client.force_login(person)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "当前：警报时不播放提示音" in page
    resp = client.post(reverse("notifications:alarm-signals"), {"enabled": "1"}, follow=True)
    assert "已开启警报提示音和桌面通知" in resp.content.decode()
    assert alarm_signals_for(person) is True


def test_every_signed_in_page_carries_the_alarm_region(client, person):
    client.force_login(person)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert 'id="office-alarm-list" role="alert"' in body
    assert 'data-live-unread="0"' in body  # the inbox says what it showed, so live.js can refresh it
