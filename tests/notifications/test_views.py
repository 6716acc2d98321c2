import pytest
from django.urls import reverse
from django.utils import timezone

from office.audit.models import AuditEvent
from office.notifications.models import ChannelPreference, Notification, WebhookTarget
from office.notifications.selectors import (
    notification_get_for_user,
    notification_list_for_user,
    unread_count_for_user,
)
from office.org.models import Role
from office.org.principals import UnitPrincipal
from tests.factories import make_user

from .factories import NotificationFactory


@pytest.fixture
def mine(person):
    return NotificationFactory(recipient=person, title="我的消息", url="/supervision/7/")


@pytest.fixture
def theirs(other_person):
    return NotificationFactory(recipient=other_person, title="别人的消息")


def test_inbox_lists_only_my_messages_with_unread_filter(client, person, mine, theirs):
    NotificationFactory(recipient=person, title="已读消息", read_at=timezone.now())
    client.force_login(person)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "我的消息" in body and "已读消息" in body and "别人的消息" not in body
    unread = client.get(reverse("notifications:inbox"), {"show": "unread"}).content.decode()
    assert "我的消息" in unread and "已读消息" not in unread


def test_inbox_requires_login(client):
    resp = client.get(reverse("notifications:inbox"))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_someone_elses_message_is_404_for_read_and_open(client, person, theirs):
    client.force_login(person)
    assert client.post(reverse("notifications:mark-read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_selectors_scope_to_the_person(person, other_person, mine, theirs):
    assert list(notification_list_for_user(user=person)) == [mine]
    assert unread_count_for_user(user=other_person) == 1
    from django.http import Http404

    with pytest.raises(Http404):
        notification_get_for_user(user=person, id=theirs.pk)

    class FakeKey:
        unit = None
        name = "k"
        prefix = "p"

    assert unread_count_for_user(user=UnitPrincipal(FakeKey())) == 0


def test_mark_read_with_htmx_returns_the_row_and_refreshes_the_badge(client, person, mine):
    client.force_login(person)
    resp = client.post(reverse("notifications:mark-read", args=[mine.pk]), HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    assert resp["HX-Trigger"] == "notificationsChanged"
    body = resp.content.decode()
    assert f'id="notification-{mine.pk}"' in body and "已读" in body
    mine.refresh_from_db()
    first_read = mine.read_at
    assert first_read is not None
    client.post(reverse("notifications:mark-read", args=[mine.pk]), HTTP_HX_REQUEST="true")
    mine.refresh_from_db()
    assert mine.read_at == first_read  # marking twice keeps the first time


def test_open_marks_read_and_follows_only_local_links(client, person, mine):
    client.force_login(person)
    resp = client.get(reverse("notifications:open", args=[mine.pk]))
    assert resp.status_code == 302 and resp["Location"] == "/supervision/7/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    evil = NotificationFactory(recipient=person, url="https://evil.example/")
    resp = client.get(reverse("notifications:open", args=[evil.pk]))
    assert resp["Location"] == reverse("notifications:inbox")


def test_mark_all_read_touches_only_my_messages(client, person, mine, theirs):
    NotificationFactory(recipient=person)
    client.force_login(person)
    resp = client.post(reverse("notifications:mark-all-read"), follow=True)
    assert "已将 2 条消息标为已读" in resp.content.decode()
    assert unread_count_for_user(user=person) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_badge_fragment_shows_the_count_and_no_longer_polls_on_its_own(client, person, mine):
    """The live channel (live.js) fills the badge now: the fragment has no polling of its own."""
    client.force_login(person)
    resp = client.get(reverse("notifications:badge"))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert 'data-testid="unread-count">1<' in body
    assert "hx-trigger" not in body
    assert "no-cache" in resp["Cache-Control"]


def test_every_page_has_the_badge_and_the_live_channel(client, person, mine):
    client.force_login(person)
    body = client.get(reverse("notifications:preferences")).content.decode()
    assert 'id="inbox-badge"' in body and 'hx-trigger="every' not in body
    assert f'data-live-url="{reverse("notifications:live")}"' in body and "office/live.js" in body


def test_badge_tells_htmx_to_stop_polling_after_logout(client):
    assert client.get(reverse("notifications:badge")).status_code == 286


def test_home_page_shows_my_inbox(client, person, mine, theirs):
    client.force_login(person)
    body = client.get("/").content.decode()
    assert "我的消息" in body and "别人的消息" not in body


def test_inbox_page_query_count_does_not_grow_with_messages(client, person, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    NotificationFactory(recipient=person)
    client.force_login(person)
    client.get(reverse("notifications:inbox"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notifications:inbox"))
    NotificationFactory.create_batch(39, recipient=person)
    # the same count with 40 messages as with one (the navigation's own reads vary with the apps installed)
    with django_assert_max_num_queries(len(one.captured_queries)):
        resp = client.get(reverse("notifications:inbox"))
    assert resp.status_code == 200
    assert resp.content.decode().count('id="notification-') == 30


def test_preferences_are_saved_and_audited(client, person, settings):
    client.force_login(person)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    resp = client.post(
        reverse("notifications:preferences"),
        {
            "email_enabled": "on",
            "email_min_level": "urgent",
            "webhook_enabled": "on",
            "webhook_min_level": "warning",
            "webhook_kind": "dingtalk",
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "webhook_secret": "SECxyz",
        },
    )
    assert resp.status_code == 302
    pref = ChannelPreference.objects.get(user=person)
    assert (pref.email_min_level, pref.webhook_enabled, pref.webhook_min_level) == ("urgent", True, "warning")
    target = WebhookTarget.objects.get(user=person)
    assert (target.kind, target.secret) == ("dingtalk", "SECxyz")
    assert AuditEvent.objects.filter(verb="notifications.preference_updated", actor=person).count() == 1
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "SECxyz" not in page  # the secret is never sent back

    # saving again without a secret keeps it
    client.post(
        reverse("notifications:preferences"),
        {
            "email_min_level": "info",
            "webhook_enabled": "on",
            "webhook_min_level": "info",
            "webhook_kind": "dingtalk",
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
        },
    )
    target.refresh_from_db()
    assert target.secret == "SECxyz"
    assert ChannelPreference.objects.get(user=person).email_enabled is False


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "请先填写机器人地址"),
        ("http://10.0.0.8/hook", "不在允许范围内"),
        ("not a url", "请输入完整的网址"),
    ],
)
def test_bad_robot_settings_show_a_chinese_error_and_save_nothing(client, person, url, message):
    client.force_login(person)
    resp = client.post(
        reverse("notifications:preferences"),
        {
            "email_enabled": "on",
            "email_min_level": "info",
            "webhook_enabled": "on",
            "webhook_min_level": "info",
            "webhook_kind": "wecom",
            "webhook_url": url,
        },
    )
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not ChannelPreference.objects.filter(user=person).exists()
    assert not WebhookTarget.objects.exists()


def test_external_unit_user_has_an_inbox_too(client, db):
    user = make_user(Role.EXTERNAL_UNIT)
    NotificationFactory(recipient=user, title="乡镇消息")
    client.force_login(user)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "乡镇消息" in body
    assert "消息中心" in body  # navigation entry shown to external units


def test_inbox_pages_newest_first_without_counting_everything(client, person):
    NotificationFactory.create_batch(31, recipient=person)
    oldest = person.notifications.order_by("created_at", "id").first()
    client.force_login(person)
    first = client.get(reverse("notifications:inbox")).content.decode()
    assert first.count('id="notification-') == 30 and f'id="notification-{oldest.pk}"' not in first
    assert "较早" in first and "较新" not in first
    second = client.get(reverse("notifications:inbox"), {"page": 2}).content.decode()
    assert second.count('id="notification-') == 1 and f'id="notification-{oldest.pk}"' in second
    assert "较新" in second and "较早" not in second
    assert client.get(reverse("notifications:inbox"), {"page": "x"}).status_code == 200
    assert client.get(reverse("notifications:inbox"), {"page": "9" * 30}).status_code == 200


def test_badge_caps_a_large_backlog_at_99_plus(client, person):
    NotificationFactory.create_batch(101, recipient=person)
    client.force_login(person)
    body = client.get(reverse("notifications:badge")).content.decode()
    assert 'data-testid="unread-count">99+<' in body
    assert unread_count_for_user(user=person, limit=99) == 100
    assert unread_count_for_user(user=person) == 101
