import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from office.audit.models import AuditEvent
from office.notifications.models import AttemptOutcome, Channel, DeliveryAttempt, Status
from office.notifications.services import NotificationError, notification_retry

from .factories import NotificationFactory


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", "root@example.gov.cn", "pass-word-123")


@pytest.fixture
def failed_email(person):
    n = NotificationFactory(
        recipient=person,
        channel=Channel.EMAIL,
        status=Status.FAILED,
        attempts=6,
        last_error="451",
        delivered_at=None,
    )
    DeliveryAttempt.objects.create(
        notification=n, number=1, outcome=AttemptOutcome.FAILED, error="451 try later"
    )
    return n


def test_admin_shows_attempts_read_only_and_retries_failed_rows(
    client, admin_user, failed_email, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    change = client.get(reverse("admin:notifications_notification_change", args=[failed_email.pk]))
    assert change.status_code == 200 and "451 try later" in change.content.decode()
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 200
    with django_capture_on_commit_callbacks() as callbacks:
        resp = client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "retry_failed", "_selected_action": [failed_email.pk]},
        )
    assert resp.status_code == 302
    failed_email.refresh_from_db()
    assert failed_email.status == Status.PENDING
    assert failed_email.attempt_limit == 6 + 6
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(verb="notifications.delivery_retried", actor=admin_user).count() == 1


def test_only_failed_deliveries_can_be_retried(person, director):
    inbox = NotificationFactory(recipient=person)
    with pytest.raises(NotificationError):
        notification_retry(actor=director, notification_id=inbox.pk)
    sent = NotificationFactory(recipient=person, channel=Channel.EMAIL, status=Status.SENT)
    with pytest.raises(NotificationError):
        notification_retry(actor=director, notification_id=sent.pk)
