"""Every write of the notifications module: ``notify`` and ``notify_units`` (called by other apps inside
their own transactions), delivery (claim, send, record), read marks and preferences."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.errors import ServiceError, not_found
from office.org.types import Actor

from . import conf
from .channels import SENDERS, DeliveryError
from .models import (
    AttemptOutcome,
    Channel,
    ChannelPreference,
    DeliveryAttempt,
    Level,
    Notification,
    Status,
    WebhookKind,
    WebhookTarget,
)

logger = logging.getLogger(__name__)

SYSTEM_LABEL = "消息投递"


class NotificationError(ServiceError):
    pass


# --- writing notifications ------------------------------------------------------------------------


def _key(n: Notification) -> tuple:
    return (n.recipient_id, n.recipient_unit_id, n.channel)


def _dispatch(notification_id: int, countdown: int | None = None) -> None:
    """Hand a delivery to a worker. The message is a fast path only: with the broker down (Redis
    restarting) the row stays pending and the delivery sweep sends it, so the caller's request — a report,
    a follow-up — must not fail over it."""
    from .tasks import notification_deliver_task

    try:
        if countdown:
            notification_deliver_task.apply_async(
                kwargs={"notification_id": notification_id}, countdown=countdown
            )
        else:
            notification_deliver_task.delay(notification_id=notification_id)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep covers it
        logger.warning(
            "notification %s not handed to the broker; the delivery sweep will send it",
            notification_id,
            exc_info=True,
        )


def _dispatch_on_commit(notification_id: int, countdown: int | None = None) -> None:
    # a named function, not a functools.partial: Django 5.2 names a failing robust callback by its
    # __qualname__, which a partial lacks (the log line itself then raised, answering 500 after commit)
    def dispatch() -> None:
        _dispatch(notification_id, countdown)

    transaction.on_commit(dispatch, robust=True)


_FK_FIELDS = ["subject_type", "recipient", "recipient_unit"]


def _write(*, subject, step: str, rows: list[Notification]) -> list[Notification]:
    """Insert the rows whose dedupe key is new, return every row of the call, deliver new ones on commit."""
    if subject is None or subject.pk is None:
        raise ValueError(
            "notify needs a saved subject: the dedupe key is (subject, step, recipient, channel)"
        )
    if not rows:
        return []
    ct = ContentType.objects.get_for_model(subject)
    subject_id = str(subject.pk)
    now = timezone.now()
    for row in rows:
        row.subject_type, row.subject_id, row.step, row.created_at = ct, subject_id, step, now
        if row.channel == Channel.INBOX:
            # The inbox is delivered by the commit itself.
            row.status, row.delivered_at, row.next_attempt_at = Status.SENT, now, None
        else:
            # Due at once: if the after-commit task is lost, the sweep still finds it.
            row.status, row.next_attempt_at = Status.PENDING, now
    same_step = Notification.objects.filter(subject_type=ct, subject_id=subject_id, step=step)
    existing = {
        (r, u, c) for r, u, c in same_step.values_list("recipient_id", "recipient_unit_id", "channel")
    }
    new = [row for row in rows if _key(row) not in existing]
    for row in new:
        # Field rules only: foreign keys are known to exist and the constraints are enforced by the insert.
        row.full_clean(exclude=_FK_FIELDS, validate_unique=False, validate_constraints=False)
    new_keys = {_key(row) for row in new}
    # ignore_conflicts: a concurrent notify() for the same key may have inserted it since we looked.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    wanted = {_key(row) for row in rows}
    result = [n for n in same_step.order_by("id") if _key(n) in wanted]
    for n in result:
        if _key(n) not in new_keys:
            continue
        if n.channel != Channel.INBOX:
            # robust: a broker outage must not break the caller's request; the sweep delivers later.
            _dispatch_on_commit(n.pk)
    return result


def _clip(title: str, url: str) -> tuple[str, str]:
    title = " ".join(str(title).split())
    return title[:200], str(url or "")[:500]


def _check_level(level: str) -> None:
    if level not in Level.values:
        raise ValueError(f"unknown notification level {level!r}")


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    subject,
    step: str,
    title: str,
    body: str = "",
    url: str = "",
    level: str = "info",
    channels: Iterable[str] | None = None,
) -> list[Notification]:
    """Write one notification per recipient and channel; deliver after the caller's commit.

    ``channels`` None means each person's preferences (the inbox always; e-mail and their robot when
    they asked for it at this level). A channel a person cannot receive (no e-mail address, no robot)
    is skipped. A repeat call for the same (subject, step, recipient, channel) writes nothing.
    """
    _check_level(level)
    if channels is not None:
        channels = list(dict.fromkeys(channels))
        unknown = set(channels) - set(Channel.values)
        if unknown:
            raise ValueError(f"unknown notification channels {sorted(unknown)}")
    user_model = get_user_model()
    users: dict[int, User] = {}
    for user in recipients:
        if isinstance(user, user_model) and user.pk and user.is_active:
            users.setdefault(user.pk, user)
    if not users:
        return []
    prefs = {p.user_id: p for p in ChannelPreference.objects.filter(user_id__in=users)}
    robots = set(
        WebhookTarget.objects.filter(user_id__in=users, is_active=True).values_list("user_id", flat=True)
    )
    title, url = _clip(title, url)
    rows = []
    for user in users.values():
        if channels is None:
            pref = prefs.get(user.pk) or ChannelPreference(user=user)
            wanted = [c for c in Channel.values if pref.wants(c, level)]
        else:
            wanted = channels
        for channel in wanted:
            if channel == Channel.EMAIL and not (user.email or "").strip():
                continue
            if channel == Channel.WEBHOOK and user.pk not in robots:
                continue
            rows.append(
                Notification(recipient=user, channel=channel, title=title, body=body, url=url, level=level)
            )
    return _write(subject=subject, step=step, rows=rows)


@transaction.atomic
def notify_units(
    *, units: Iterable, subject, step: str, title: str, body: str = "", url: str = "", level: str = "info"
) -> list[Notification]:
    """Every active person of each unit gets an inbox message; a unit with a robot gets one robot message."""
    _check_level(level)
    unit_ids = list(dict.fromkeys(u.pk for u in units if u is not None))
    if not unit_ids:
        return []
    title, url = _clip(title, url)
    people = (
        get_user_model()
        .objects.filter(staff__unit_id__in=unit_ids, staff__is_active=True, is_active=True)
        .order_by("pk")
    )
    rows = [
        Notification(recipient=user, channel=Channel.INBOX, title=title, body=body, url=url, level=level)
        for user in people
    ]
    robot_units = WebhookTarget.objects.filter(unit_id__in=unit_ids, is_active=True).values_list(
        "unit_id", flat=True
    )
    rows += [
        Notification(
            recipient_unit_id=unit_id, channel=Channel.WEBHOOK, title=title, body=body, url=url, level=level
        )
        for unit_id in sorted(set(robot_units))
    ]
    return _write(subject=subject, step=step, rows=rows)


# --- delivery -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def notification_claim(*, notification_id: int) -> Notification | None:
    """Take a due delivery for this worker: mark it "sending" with a lease and commit before sending.

    Returns None when there is nothing to do: the row is gone, delivered, given up, not due yet, or
    held by another worker (locked now, or claimed with a lease that has not run out).
    """
    n = Notification.objects.select_for_update(skip_locked=True).filter(pk=notification_id).first()
    if n is None or n.channel == Channel.INBOX or n.status in (Status.SENT, Status.FAILED):
        return None
    now = timezone.now()
    if n.next_attempt_at is not None and n.next_attempt_at > now:
        return None
    if n.status == Status.SENDING:
        # The previous worker's lease ran out: it died, or it is stuck (it may have sent already).
        DeliveryAttempt.objects.filter(
            notification=n, number=n.attempts, outcome=AttemptOutcome.IN_PROGRESS
        ).update(outcome=AttemptOutcome.EXPIRED, finished_at=now, error="租约到期仍未回报结果，重新发送")
    n.attempts += 1
    n.status = Status.SENDING
    n.next_attempt_at = now + timedelta(seconds=conf.lease_seconds())
    n.save(update_fields=["attempts", "status", "next_attempt_at"])
    DeliveryAttempt.objects.create(notification=n, number=n.attempts, channel=n.channel, started_at=now)
    return n


@transaction.atomic(durable=True)
def notification_record_outcome(
    *, notification_id: int, number: int, detail: str = "", error: DeliveryError | None = None
) -> str:
    """Write how attempt ``number`` ended and move the row to sent, pending (retry later) or failed."""
    n = Notification.objects.select_for_update().get(pk=notification_id)
    attempt = DeliveryAttempt.objects.select_for_update().get(notification=n, number=number)
    now = timezone.now()
    attempt.finished_at = now
    attempt.outcome = AttemptOutcome.FAILED if error else AttemptOutcome.SENT
    attempt.error = str(error or "")
    attempt.detail = detail[:500]
    attempt.save(update_fields=["finished_at", "outcome", "error", "detail"])
    channel = n.channel
    if error is None:
        if n.status != Status.SENT:
            n.status, n.delivered_at, n.next_attempt_at, n.last_error = Status.SENT, now, None, ""
            n.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_error"])
        return "sent"
    logger.warning("notification %s attempt %s via %s failed: %s", n.pk, number, channel, error)
    if n.status != Status.SENDING or n.attempts != number:
        # This attempt outlived its lease and another one has taken over: only the log changes.
        return "stale"
    n.last_error = str(error)[:2000]
    if error.permanent or n.attempts >= n.attempt_limit:
        n.status, n.next_attempt_at = Status.FAILED, None
        n.save(update_fields=["status", "next_attempt_at", "last_error"])
        audit_record(
            actor=None,
            actor_label=SYSTEM_LABEL,
            verb="notifications.delivery_failed",
            subject=n,
            data={"channel": channel, "attempts": n.attempts, "error": n.last_error[:500]},
        )
        return "failed"
    wait = conf.backoff_seconds(n.attempts)
    n.status, n.next_attempt_at = Status.PENDING, now + timedelta(seconds=wait)
    n.save(update_fields=["status", "next_attempt_at", "last_error"])
    # The countdown task is a fast path only; the sweep picks the row up if the message is lost.
    _dispatch_on_commit(n.pk, wait)
    return "retry"


def notification_deliver(*, notification_id: int) -> str:
    """Claim, send through the channel, record. Safe to run twice or in two workers at once."""
    n = notification_claim(notification_id=notification_id)
    if n is None:
        return "skipped"
    detail, error = "", None
    try:
        detail = SENDERS[n.channel](n)
    except DeliveryError as exc:
        error = exc
    except Exception as exc:  # a bug in a sender: record it and retry within the bound, never loop
        logger.exception("notification %s: unexpected error in sender", n.pk)
        error = DeliveryError(f"{type(exc).__name__}: {exc}")
    return notification_record_outcome(notification_id=n.pk, number=n.attempts, detail=detail, error=error)


def notification_due_ids(*, limit: int | None = None) -> list[int]:
    """Deliveries whose next attempt (or whose lease) is overdue by the grace period, oldest first:
    their own task was lost, or their worker died."""
    overdue = timezone.now() - timedelta(seconds=conf.sweep_grace_seconds())
    return list(
        Notification.objects.filter(status__in=[Status.PENDING, Status.SENDING], next_attempt_at__lte=overdue)
        .exclude(channel=Channel.INBOX)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[: limit or conf.sweep_batch()]
    )


@transaction.atomic
def notification_retry(*, actor: Actor, notification_id: int) -> Notification:
    """Give a failed delivery another round of attempts (admin action)."""
    n = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if n is None:
        raise not_found()
    if n.channel == Channel.INBOX or n.status != Status.FAILED:
        raise NotificationError(_("只有发送失败的邮件或机器人消息可以重新发送。"))
    n.status = Status.PENDING
    n.attempt_limit = n.attempts + conf.max_attempts()
    n.next_attempt_at = timezone.now()
    n.save(update_fields=["status", "attempt_limit", "next_attempt_at"])
    audit_record(actor=actor, verb="notifications.delivery_retried", subject=n, data={"attempts": n.attempts})
    _dispatch_on_commit(n.pk)
    return n


# --- the reader's side ----------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own inbox messages read (404 for anyone else's). Not audited: personal."""
    n = (
        Notification.objects.select_for_update()
        .filter(pk=notification_id, recipient_id=getattr(user, "pk", None), channel=Channel.INBOX)
        .first()
    )
    if n is None or user.pk is None:
        raise not_found()
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return n


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    if getattr(user, "pk", None) is None:
        return 0
    return Notification.objects.filter(recipient=user, channel=Channel.INBOX, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preference_update(
    *,
    user: User,
    email_enabled: bool,
    email_min_level: str,
    webhook_enabled: bool,
    webhook_min_level: str = Level.INFO,
    webhook_url: str | None = None,
    webhook_kind: str = WebhookKind.WECOM,
    webhook_secret: str | None = None,
) -> ChannelPreference:
    """Set a person's channels. ``webhook_url`` None keeps their robot, "" removes it; a ``webhook_secret``
    of None keeps the stored secret."""
    pref, _created = ChannelPreference.objects.select_for_update().get_or_create(user=user)
    pref.email_enabled = email_enabled
    pref.email_min_level = email_min_level
    pref.webhook_enabled = webhook_enabled
    pref.webhook_min_level = webhook_min_level
    pref.full_clean()
    pref.save(
        update_fields=[
            "email_enabled",
            "email_min_level",
            "webhook_enabled",
            "webhook_min_level",
            "updated_at",
        ]
    )
    target = WebhookTarget.objects.select_for_update().filter(user=user).first()
    if webhook_url == "" and target is not None:
        target.delete()
        target = None
    elif webhook_url:
        target = target or WebhookTarget(user=user)
        target.url, target.kind, target.is_active = webhook_url, webhook_kind, True
        if webhook_secret is not None:
            target.secret = webhook_secret
        target.full_clean()
        target.save()
    if webhook_enabled and target is None:
        raise NotificationError(
            _("开启群机器人消息前，请先填写机器人地址。"),
            code="invalid",
            fields={"webhook_url": [_("请填写。")]},
        )
    audit_record(
        actor=user,
        verb="notifications.preference_updated",
        subject=pref,
        data={
            "email_enabled": email_enabled,
            "email_min_level": email_min_level,
            "webhook_enabled": webhook_enabled,
            "webhook_min_level": webhook_min_level,
            "webhook": bool(target),
        },
    )
    return pref


# Short names used in the issue text.
mark_all_read = notification_mark_all_read
preference_update = notification_preference_update
