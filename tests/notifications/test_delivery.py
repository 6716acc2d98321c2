"""Delivery against a real local SMTP server and a real local robot server: failures are retried with
backoff (time moved with time-machine), every attempt is recorded, and each dedupe key is delivered once."""

import json
from datetime import datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from prometheus_client import REGISTRY

from office.audit.models import AuditEvent
from office.notifications import conf
from office.notifications.models import AttemptOutcome, Channel, DeliveryAttempt, Notification, Status
from office.notifications.services import notification_retry, notify, notify_units
from office.notifications.tasks import notification_deliver_task, notification_redeliver_due_task
from tests.factories import StaffFactory, UnitFactory

from .factories import WebhookTargetFactory

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _metric(name: str, channel: str) -> float:
    return REGISTRY.get_sample_value(name, {"channel": channel}) or 0.0


@pytest.fixture
def subject(db):
    return UnitFactory(name="督办对象单位", code="subject-unit")


def _run(callbacks_fixture, fn, **kwargs):
    """Run a task and then its after-commit callbacks, as a real commit would."""
    with callbacks_fixture(execute=True):
        return fn(**kwargs)


def test_email_failures_are_retried_with_backoff_and_delivered_exactly_once(
    smtp_server, person, subject, django_capture_on_commit_callbacks
):
    smtp_server.fail_first = 3
    failed_before = _metric("office_notifications_failed_total", "email")
    sent_before = _metric("office_notifications_sent_total", "email")
    with time_machine.travel(START, tick=False) as clock:
        # notify() and the commit: the after-commit task makes attempt 1 (eager here)
        with django_capture_on_commit_callbacks(execute=True):
            rows = notify(
                recipients=[person], subject=subject, step="overdue", title="事项已逾期", level="urgent"
            )
        email = next(n for n in rows if n.channel == Channel.EMAIL)
        email.refresh_from_db()
        assert (email.status, email.attempts) == (Status.PENDING, 1)
        assert email.next_attempt_at == START + timedelta(seconds=conf.backoff_seconds(1))

        # not due yet: the task (e.g. a duplicate message) and the sweep do nothing
        assert notification_deliver_task(notification_id=email.pk) == "skipped"
        assert _run(django_capture_on_commit_callbacks, notification_redeliver_due_task) == 0

        waits = []
        for _ in range(10):
            email.refresh_from_db()
            if email.status != Status.PENDING:
                break
            waits.append(email.next_attempt_at - timezone.now())
            clock.move_to(email.next_attempt_at)
            # the countdown task sent after the failed attempt arrives, and a duplicate of it
            _run(django_capture_on_commit_callbacks, notification_deliver_task, notification_id=email.pk)
            notification_deliver_task(notification_id=email.pk)

        email.refresh_from_db()
        assert email.status == Status.SENT
        assert email.attempts == 4
        assert waits == [timedelta(seconds=conf.backoff_seconds(n)) for n in (1, 2, 3)]
        assert email.delivered_at == START + sum(waits, timedelta())

        # run everything again: nothing more is sent
        assert notification_deliver_task(notification_id=email.pk) == "skipped"
        clock.shift(timedelta(days=1))
        assert _run(django_capture_on_commit_callbacks, notification_redeliver_due_task) == 0
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[person], subject=subject, step="overdue", title="事项已逾期", level="urgent")

    assert len(smtp_server.accepted) == 1
    assert smtp_server.attempts == 4
    outcomes = list(email.delivery_attempts.order_by("number").values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.FAILED] * 3 + [AttemptOutcome.SENT]
    assert "451" in email.delivery_attempts.get(number=1).error
    assert _metric("office_notifications_failed_total", "email") - failed_before == 3
    assert _metric("office_notifications_sent_total", "email") - sent_before == 1

    envelope = smtp_server.accepted[0]
    assert envelope.rcpt_tos == ["zhang@example.gov.cn"]
    message = message_from_bytes(envelope.original_content)
    subject_line = str(make_header(decode_header(message["Subject"])))
    assert subject_line.startswith("【紧急】事项已逾期")
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }
    assert "事项已逾期" in parts["text/plain"] and "同志" in parts["text/plain"]
    assert "<h2" in parts["text/html"]


@pytest.mark.parametrize("fail_with", ["http500", "errcode"])
def test_webhook_failures_are_retried_and_delivered_exactly_once(
    robot_server, subject, django_capture_on_commit_callbacks, fail_with
):
    robot_server.fail_first = 2
    robot_server.fail_with = fail_with
    town = UnitFactory(name="三号镇", code="town-z")
    StaffFactory(unit=town)
    WebhookTargetFactory(unit=town, url=robot_server.url)
    with time_machine.travel(START, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            rows = notify_units(
                units=[town],
                subject=subject,
                step="notice",
                title="督办通知",
                body="请于三日内反馈。",
                url="/s/1/",
            )
        robot = next(n for n in rows if n.channel == Channel.WEBHOOK)
        for _ in range(10):
            robot.refresh_from_db()
            if robot.status != Status.PENDING:
                break
            # the countdown tasks are lost: the sweep finds the row once it is overdue by the grace period
            clock.move_to(robot.next_attempt_at)
            assert _run(django_capture_on_commit_callbacks, notification_redeliver_due_task) == 0
            clock.shift(timedelta(seconds=conf.sweep_grace_seconds()))
            assert _run(django_capture_on_commit_callbacks, notification_redeliver_due_task) == 1
            # a second worker running the same task right after changes nothing
            notification_deliver_task(notification_id=robot.pk)
    robot.refresh_from_db()
    assert robot.status == Status.SENT and robot.attempts == 3
    assert len(robot_server.accepted) == 1
    assert robot_server.attempts == 3
    payload = robot_server.accepted[0]
    assert payload["msgtype"] == "markdown"
    assert "督办通知" in payload["markdown"]["content"]
    assert (
        "http://testserver/s/1/" in payload["markdown"]["content"]
        or "/s/1/" in payload["markdown"]["content"]
    )
    errors = list(robot.delivery_attempts.order_by("number").values_list("error", flat=True))
    assert ("HTTP 500" in errors[0]) if fail_with == "http500" else ("45009" in errors[0])
    assert errors[2] == ""


def test_dingtalk_robot_gets_title_and_text_and_a_signed_url(robot_server, person, subject, settings):
    settings.OFFICE_SITE_URL = "https://office.example.gov.cn"
    WebhookTargetFactory(user=person, kind="dingtalk", url=robot_server.url, secret="SEC123")
    (robot,) = [
        n
        for n in notify(
            recipients=[person],
            subject=subject,
            step="s",
            title="值班提醒",
            url="/duty/",
            channels=["webhook"],
        )
    ]
    assert notification_deliver_task(notification_id=robot.pk) == "sent"
    payload = robot_server.accepted[0]
    assert payload["markdown"]["title"] == "值班提醒"
    assert "[查看详情](https://office.example.gov.cn/duty/)" in payload["markdown"]["text"]
    assert "&timestamp=" in robot_server.paths[0] and "&sign=" in robot_server.paths[0]


def test_delivery_gives_up_after_the_attempt_limit_and_an_admin_can_retry(
    robot_server, person, director, subject, settings, django_capture_on_commit_callbacks
):
    settings.OFFICE_NOTIFY_MAX_ATTEMPTS = 3
    robot_server.fail_first = 100
    WebhookTargetFactory(user=person, url=robot_server.url)
    with time_machine.travel(START, tick=False) as clock:
        (robot,) = notify(recipients=[person], subject=subject, step="s", title="t", channels=["webhook"])
        for _ in range(5):
            notification_deliver_task(notification_id=robot.pk)
            robot.refresh_from_db()
            if robot.next_attempt_at:
                clock.move_to(robot.next_attempt_at)
        assert robot.status == Status.FAILED and robot.attempts == 3
        assert _metric("office_notifications_gave_up", "webhook") == 1
        assert _metric("office_notifications_failed_total", "webhook") == 3
        assert robot.next_attempt_at is None and "HTTP 500" in robot.last_error
        assert AuditEvent.objects.filter(
            verb="notifications.delivery_failed", subject_id=str(robot.pk)
        ).exists()
        assert _run(django_capture_on_commit_callbacks, notification_redeliver_due_task) == 0

        robot_server.fail_first = 0
        robot_server.attempts = 0
        with django_capture_on_commit_callbacks(execute=True):
            notification_retry(actor=director, notification_id=robot.pk)
    robot.refresh_from_db()
    assert robot.status == Status.SENT and robot.attempts == 4
    assert len(robot_server.accepted) == 1


def test_missing_robot_is_a_permanent_failure_without_retries(person, subject):
    target = WebhookTargetFactory(user=person)
    (robot,) = notify(recipients=[person], subject=subject, step="s", title="t", channels=["webhook"])
    target.delete()
    assert notification_deliver_task(notification_id=robot.pk) == "failed"
    robot.refresh_from_db()
    assert robot.status == Status.FAILED and robot.attempts == 1


def test_robot_url_outside_allowed_hosts_is_never_called(robot_server, person, subject, settings):
    WebhookTargetFactory(user=person, url=robot_server.url)
    settings.OFFICE_NOTIFY_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    (robot,) = notify(recipients=[person], subject=subject, step="s", title="t", channels=["webhook"])
    assert notification_deliver_task(notification_id=robot.pk) == "failed"
    assert robot_server.attempts == 0


def test_a_crash_after_claiming_is_recovered_by_the_sweep_once_the_lease_runs_out(
    smtp_server, person, subject, django_capture_on_commit_callbacks
):
    """The documented at-least-once window: a worker that dies after claiming (possibly after sending)
    leaves the row "sending"; after the lease the sweep sends again."""
    from office.notifications.services import notification_claim

    with time_machine.travel(START, tick=False) as clock:
        (email,) = notify(recipients=[person], subject=subject, step="s", title="t", channels=["email"])
        assert notification_claim(notification_id=email.pk) is not None  # ...and the worker dies here
        email.refresh_from_db()
        assert email.status == Status.SENDING
        assert notification_deliver_task(notification_id=email.pk) == "skipped"  # lease still held
        clock.shift(timedelta(seconds=conf.lease_seconds() + conf.sweep_grace_seconds() - 1))
        assert _run(django_capture_on_commit_callbacks, notification_redeliver_due_task) == 0
        clock.shift(timedelta(seconds=2))
        assert _run(django_capture_on_commit_callbacks, notification_redeliver_due_task) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 2
    outcomes = list(email.delivery_attempts.order_by("number").values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.EXPIRED, AttemptOutcome.SENT]
    assert len(smtp_server.accepted) == 1


def test_deliver_task_ignores_inbox_rows_and_missing_rows(person, subject):
    (inbox,) = notify(recipients=[person], subject=subject, step="s", title="t", channels=["inbox"])
    assert notification_deliver_task(notification_id=inbox.pk) == "skipped"
    assert notification_deliver_task(notification_id=999999) == "skipped"
    assert DeliveryAttempt.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_both_send_the_same_notification(robot_server, monkeypatch):
    """Worker A claims and is mid-request (the robot holds the request open); worker B runs the same
    task meanwhile and must not send. Then a row locked by another transaction is skipped outright."""
    import threading

    from django.db import connection, transaction

    from office.notifications.services import notification_claim, notification_deliver

    monkeypatch.setattr("office.notifications.services._dispatch", lambda *args: None)  # workers below
    person = StaffFactory().user
    subject = UnitFactory(code="pg-subject")
    WebhookTargetFactory(user=person, url=robot_server.url)
    with transaction.atomic():
        (robot,) = notify(recipients=[person], subject=subject, step="s", title="t", channels=["webhook"])

    robot_server.hold = threading.Event()
    results = {}

    def worker_a():
        try:
            results["a"] = notification_deliver(notification_id=robot.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=worker_a)
    thread.start()
    assert robot_server.entered.wait(timeout=10)
    results["b"] = notification_deliver(notification_id=robot.pk)
    robot_server.hold.set()
    thread.join(timeout=10)
    assert results == {"a": "sent", "b": "skipped"}
    assert len(robot_server.accepted) == 1

    # a row locked by someone else (another worker's claim transaction) is skipped, not waited for
    with transaction.atomic():
        (second,) = notify(recipients=[person], subject=subject, step="s2", title="t", channels=["webhook"])
    locked, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=second.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert locked.wait(timeout=10)
    try:
        assert notification_claim(notification_id=second.pk) is None
    finally:
        release.set()
        thread.join(timeout=10)
    assert Notification.objects.get(pk=second.pk).attempts == 0


def test_robot_payload_shapes():
    from office.notifications.channels import robot_payload

    n = Notification(title="标题", body="正文", url="https://x.example/a", level="urgent")
    wecom = robot_payload("wecom", n)
    assert wecom == {
        "msgtype": "markdown",
        "markdown": {"content": "### 【紧急】标题\n\n正文\n\n[查看详情](https://x.example/a)"},
    }
    ding = robot_payload("dingtalk", n)
    assert ding["msgtype"] == "markdown" and ding["markdown"]["title"] == "【紧急】标题"
    assert json.dumps(ding, ensure_ascii=False)


def test_dingtalk_signature_matches_the_documented_algorithm():
    import base64
    import hashlib
    import hmac
    from urllib.parse import quote_plus

    from office.notifications.channels import dingtalk_signed_url

    url = dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SEC", timestamp_ms=1700000000000
    )
    expected = quote_plus(base64.b64encode(hmac.new(b"SEC", b"1700000000000\nSEC", hashlib.sha256).digest()))
    assert (
        url == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign={expected}"
    )


def test_metrics_endpoint_reports_delivery_counts_from_the_database(client, person, subject, settings):
    (email,) = notify(recipients=[person], subject=subject, step="m", title="t", channels=["email"])
    assert notification_deliver_task(notification_id=email.pk) == "sent"  # locmem backend
    body = client.get("/metrics").content.decode()
    assert 'office_notifications_sent_total{channel="email"} 1.0' in body
    assert 'office_notifications_failed_total{channel="webhook"} 0.0' in body
    assert 'office_notifications_waiting{channel="email"} 0.0' in body
