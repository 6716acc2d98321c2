import pytest
from django.contrib.contenttypes.models import ContentType

from office.notifications.models import Channel, ChannelPreference, Level, Notification, Status
from office.notifications.services import notify, notify_units
from office.org.models import Role
from office.org.principals import UnitPrincipal
from tests.factories import StaffFactory, UnitFactory, make_user

from .factories import WebhookTargetFactory


@pytest.fixture
def subject(db):
    return UnitFactory(name="督办对象单位", code="subject-unit")


def test_notify_writes_one_inbox_row_per_recipient_delivered_at_once(person, other_person, subject):
    rows = notify(recipients=[person, other_person, person], subject=subject, step="ladder-1", title="请办理")
    inbox = [n for n in rows if n.channel == Channel.INBOX]
    assert sorted(n.recipient_id for n in inbox) == sorted([person.pk, other_person.pk])
    assert all(n.status == Status.SENT and n.delivered_at and n.read_at is None for n in inbox)
    assert inbox[0].subject_type == ContentType.objects.get_for_model(subject)
    assert inbox[0].subject_id == str(subject.pk)


def test_repeat_notify_for_same_key_is_a_no_op(person, subject, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as first_callbacks:
        first = notify(recipients=[person], subject=subject, step="s", title="一", level="urgent")
    with django_capture_on_commit_callbacks() as second_callbacks:
        second = notify(recipients=[person], subject=subject, step="s", title="二（重复）", level="urgent")
    assert {n.pk for n in first} == {n.pk for n in second}
    assert Notification.objects.count() == len(first) == 2  # inbox + email (urgent, has address)
    assert Notification.objects.filter(title="二（重复）").count() == 0
    # one delivery task for the e-mail, only the first time
    assert len(first_callbacks) == 1
    assert len(second_callbacks) == 0


def test_another_step_or_subject_is_a_new_key(person, subject):
    notify(recipients=[person], subject=subject, step="s1", title="一", channels=["inbox"])
    notify(recipients=[person], subject=subject, step="s2", title="二", channels=["inbox"])
    notify(recipients=[person], subject=UnitFactory(), step="s1", title="三", channels=["inbox"])
    assert Notification.objects.filter(recipient=person).count() == 3


def test_default_channels_follow_preferences_and_level(person, subject):
    # defaults: e-mail from "warning" up, no robot
    notify(recipients=[person], subject=subject, step="info", title="一般", level=Level.INFO)
    notify(recipients=[person], subject=subject, step="warn", title="提醒", level=Level.WARNING)
    assert set(Notification.objects.filter(step="info").values_list("channel", flat=True)) == {"inbox"}
    assert set(Notification.objects.filter(step="warn").values_list("channel", flat=True)) == {
        "inbox",
        "email",
    }

    ChannelPreference.objects.create(
        user=person, email_enabled=False, webhook_enabled=True, webhook_min_level=Level.URGENT
    )
    WebhookTargetFactory(user=person)
    notify(recipients=[person], subject=subject, step="warn2", title="提醒", level=Level.WARNING)
    notify(recipients=[person], subject=subject, step="urgent", title="紧急", level=Level.URGENT)
    assert set(Notification.objects.filter(step="warn2").values_list("channel", flat=True)) == {"inbox"}
    assert set(Notification.objects.filter(step="urgent").values_list("channel", flat=True)) == {
        "inbox",
        "webhook",
    }


def test_channels_a_person_cannot_receive_are_skipped(db, subject):
    no_email = make_user(Role.STAFF)
    rows = notify(
        recipients=[no_email], subject=subject, step="s", title="t", channels=["inbox", "email", "webhook"]
    )
    assert [n.channel for n in rows] == ["inbox"]


def test_inactive_users_and_api_keys_get_nothing(person, subject):
    gone = make_user(Role.STAFF)
    gone.is_active = False
    gone.save()

    class FakeKey:
        unit = subject
        name = "k"
        prefix = "p"

    rows = notify(recipients=[gone, UnitPrincipal(FakeKey()), None], subject=subject, step="s", title="t")
    assert rows == []


def test_unknown_level_or_channel_is_refused(person, subject):
    with pytest.raises(ValueError):
        notify(recipients=[person], subject=subject, step="s", title="t", level="critical")
    with pytest.raises(ValueError):
        notify(recipients=[person], subject=subject, step="s", title="t", channels=["sms"])


def test_notify_units_reaches_active_people_and_the_unit_robot_once(
    subject, django_capture_on_commit_callbacks
):
    town = UnitFactory(name="一号镇", code="town-x")
    quiet_town = UnitFactory(name="二号镇", code="town-y")
    a = StaffFactory(unit=town).user
    b = StaffFactory(unit=town).user
    StaffFactory(unit=town, is_active=False)
    c = StaffFactory(unit=quiet_town).user
    WebhookTargetFactory(unit=town)
    with django_capture_on_commit_callbacks() as callbacks:
        rows = notify_units(units=[town, quiet_town], subject=subject, step="notice", title="督办通知")
    inbox = {n.recipient_id for n in rows if n.channel == Channel.INBOX}
    robots = [n for n in rows if n.channel == Channel.WEBHOOK]
    assert inbox == {a.pk, b.pk, c.pk}
    assert [(n.recipient_unit_id, n.status) for n in robots] == [(town.pk, Status.PENDING)]
    assert len(callbacks) == 1  # the robot delivery
    again = notify_units(units=[town], subject=subject, step="notice", title="督办通知")
    assert {n.pk for n in again} <= {n.pk for n in rows}
    assert Notification.objects.count() == 4


def test_title_is_collapsed_and_clipped(person, subject):
    (row,) = notify(
        recipients=[person], subject=subject, step="s", title="长" * 300 + "\n", channels=["inbox"]
    )
    assert row.title == "长" * 200


def test_unsaved_subject_or_empty_title_is_refused(person, subject):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValueError):
        notify(recipients=[person], subject=UnitFactory.build(), step="s", title="t")
    with pytest.raises(ValidationError):
        notify(recipients=[person], subject=subject, step="s", title="  ")
    assert not Notification.objects.exists()


def test_a_broker_outage_after_commit_fails_nobody_and_leaves_the_delivery_to_the_sweep(
    transactional_db, monkeypatch, caplog
):
    """Redis restarting as a report comes in: the notifications are committed with the report, handing
    the e-mail to a worker fails, and the caller's request must not fail over it (it did: Django's robust
    on_commit could not name a functools.partial and raised from its own log line, a 500 after commit)."""
    from kombu.exceptions import OperationalError

    from office.notifications import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.notification_deliver_task, "delay", broker_down)
    person = make_user(Role.STAFF, user__email="zhang@example.gov.cn")
    subject = UnitFactory(name="督办对象单位", code="subject-unit")
    rows = notify(recipients=[person], subject=subject, step="s", title="紧急", level="urgent")  # commits
    email = Notification.objects.get(pk=next(n.pk for n in rows if n.channel == Channel.EMAIL))
    assert email.status == Status.PENDING  # the delivery sweep sends it when the broker is back
    assert "not handed to the broker" in caplog.text
