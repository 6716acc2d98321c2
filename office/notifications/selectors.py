"""Reads of notifications, always scoped to the person asking: nobody sees another's messages."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from office.errors import not_found
from office.org.types import Actor

from .models import Channel, ChannelPreference, DeliveryAttempt, Notification, WebhookTarget


def _person(user):
    """The user as a real account, or None (anonymous users and unit API keys have no inbox)."""
    if user is None or not user.is_authenticated or not isinstance(user, get_user_model()):
        return None
    return user


def notification_list_for_user(*, user: Actor, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app inbox, newest first."""
    person = _person(user)
    if person is None:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=person, channel=Channel.INBOX).order_by("-created_at", "-id")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count_for_user(*, user: Actor, limit: int | None = None) -> int:
    """Unread inbox messages. With ``limit`` the count stops at ``limit + 1`` (the badge shows "99+"),
    so its cost does not grow with a huge unread backlog."""
    qs = notification_list_for_user(user=user, unread_only=True)
    if limit is not None:
        return qs.order_by()[: limit + 1].count()
    return qs.count()


def notification_get_for_user(*, user: Actor, id) -> Notification:
    """One of the user's own inbox messages; 404 when missing and when it is someone else's."""
    try:
        return notification_list_for_user(user=user).get(pk=int(id))
    except (Notification.DoesNotExist, TypeError, ValueError):
        raise not_found() from None


def preference_for_user(*, user: Actor) -> ChannelPreference:
    """The user's channel preferences (an unsaved row with the defaults when never set)."""
    person = _person(user)
    if person is None:
        raise not_found()
    return ChannelPreference.objects.filter(user=person).first() or ChannelPreference(user=person)


def webhook_target_for_user(*, user: Actor) -> WebhookTarget | None:
    person = _person(user)
    return WebhookTarget.objects.filter(user=person).first() if person else None


def delivery_attempt_list(*, notification) -> QuerySet[DeliveryAttempt]:
    """For admins (the admin site checks permissions)."""
    return DeliveryAttempt.objects.filter(notification=notification).order_by("number")


def delivery_stats() -> dict:
    """Counts for the metrics, from the database so that every worker's deliveries are included:
    attempts by channel and outcome, rows given up, and rows waiting (with the oldest wait)."""
    from django.db.models import Count, Min
    from django.utils import timezone

    from .models import AttemptOutcome, Status

    attempts: dict[tuple[str, str], int] = {
        (row["channel"], row["outcome"]): row["n"]
        for row in DeliveryAttempt.objects.filter(outcome__in=[AttemptOutcome.SENT, AttemptOutcome.FAILED])
        .values("channel", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    }
    waiting = Notification.objects.filter(
        status__in=[Status.PENDING, Status.SENDING], next_attempt_at__isnull=False
    )
    due = dict(waiting.values_list("channel").annotate(n=Count("id")).order_by())
    oldest = waiting.filter(next_attempt_at__lte=timezone.now()).aggregate(t=Min("next_attempt_at"))["t"]
    gave_up = dict(
        Notification.objects.filter(status=Status.FAILED)
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "sent": {ch: n for (ch, outcome), n in attempts.items() if outcome == AttemptOutcome.SENT},
        "failed": {ch: n for (ch, outcome), n in attempts.items() if outcome == AttemptOutcome.FAILED},
        "waiting": due,
        "gave_up": gave_up,
        "oldest_due_seconds": (timezone.now() - oldest).total_seconds() if oldest else 0.0,
    }
