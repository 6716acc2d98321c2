"""Alarms: an unread urgent inbox message, fresh enough to matter (``conf.alarm_window_hours``). Every
signed-in page shows them as a banner through the live channel until the person acknowledges them
(acknowledging is reading: the inbox and the banner are one list). Who also hears a tone and gets a
desktop notification is a per-person choice, on by default for ``ALARM_SIGNAL_ROLES``."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from office.audit.services import audit_record
from office.org.roles import ALARM_SIGNAL_ROLES, has_role
from office.org.types import Actor

from . import conf
from .models import Level, Notification
from .selectors import notification_list_for_user


def alarm_list_for_user(*, user: Actor) -> QuerySet[Notification]:
    """The person's open alarms, newest first (read straight off the unread-inbox index)."""
    since = timezone.now() - timedelta(hours=conf.alarm_window_hours())
    return notification_list_for_user(user=user, unread_only=True).filter(
        level=Level.URGENT, created_at__gte=since
    )


def _preference(user):
    from office.web.models import DisplayPreference

    return DisplayPreference.objects.filter(user=user).only("alarm_signals").first()


def alarm_signals_default(user: Actor) -> bool:
    return has_role(user, *ALARM_SIGNAL_ROLES)


def alarm_signals_for(user: Actor) -> bool:
    """Whether the person hears a tone and gets a desktop notification for an alarm."""
    if not isinstance(user, get_user_model()) or not user.is_authenticated:
        return False
    pref = _preference(user)
    if pref is not None and pref.alarm_signals is not None:
        return bool(pref.alarm_signals)
    return alarm_signals_default(user)


@transaction.atomic
def alarm_signals_set(*, actor: Actor, enabled: bool):
    """Everyone chooses for themselves (no rule beyond being the person)."""
    from office.web.models import DisplayPreference

    pref, _created = DisplayPreference.objects.select_for_update().get_or_create(user=actor)
    if pref.alarm_signals != enabled:
        pref.alarm_signals = enabled
        pref.save(update_fields=["alarm_signals", "updated_at"])
        audit_record(
            actor=actor, verb="notifications.alarm_signals_set", subject=pref, data={"enabled": enabled}
        )
    return pref
