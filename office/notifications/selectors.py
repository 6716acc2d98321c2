"""Reads of notifications, always scoped to the person asking: nobody sees another's messages."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from .models import Channel, ChannelPreference, DeliveryAttempt, Notification, WebhookTarget


def _person(user):
    """The user as a real account, or None (anonymous users and unit API keys have no inbox)."""
    if user is None or not user.is_authenticated or not isinstance(user, get_user_model()):
        return None
    return user


def notification_list_for_user(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app inbox, newest first."""
    person = _person(user)
    if person is None:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=person, channel=Channel.INBOX).order_by("-created_at", "-id")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count_for_user(*, user) -> int:
    return notification_list_for_user(user=user, unread_only=True).count()


def notification_get_for_user(*, user, id) -> Notification:
    """One of the user's own inbox messages; 404 when missing and when it is someone else's."""
    try:
        return notification_list_for_user(user=user).get(pk=int(id))
    except (Notification.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def preference_for_user(*, user) -> ChannelPreference:
    """The user's channel preferences (an unsaved row with the defaults when never set)."""
    person = _person(user)
    if person is None:
        raise Http404
    return ChannelPreference.objects.filter(user=person).first() or ChannelPreference(user=person)


def webhook_target_for_user(*, user) -> WebhookTarget | None:
    person = _person(user)
    return WebhookTarget.objects.filter(user=person).first() if person else None


def delivery_attempt_list(*, notification) -> QuerySet[DeliveryAttempt]:
    """For admins (the admin site checks permissions)."""
    return DeliveryAttempt.objects.filter(notification=notification).order_by("number")
