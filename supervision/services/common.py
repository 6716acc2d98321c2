"""Helpers shared by the supervision services: the error type, row locks, who acts, notify helpers."""

import datetime as dt

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from office.errors import ServiceError, not_found
from office.notifications.services import notify
from office.org.models import Role, Unit
from office.org.principals import UnitPrincipal
from office.org.selectors import staff_for_user, users_with_role
from office.org.types import Actor
from office.workdays.services import end_of_day

from .. import access, conf
from ..models import ItemUnit, SupervisionItem
from . import timers


class SupervisionError(ServiceError):
    """A supervision rule was broken; the message is for a clerk."""


def locked_item(item) -> SupervisionItem:
    pk = item.pk if isinstance(item, SupervisionItem) else item
    try:
        return SupervisionItem.objects.select_for_update().get(pk=pk)
    except SupervisionItem.DoesNotExist:
        raise not_found() from None


def checked_item(*, actor: Actor, item: SupervisionItem | int, action: str) -> SupervisionItem:
    """The first step of every transition: lock the row (a fresh read), then ask the access module on
    it, so a stale object in the caller's hands decides nothing. ``actor=None`` is the system."""
    item = locked_item(item)
    access.item_access_for_action(actor=actor, item=item, action=action)
    return item


def actor_label(actor: Actor) -> str:
    if actor is None:
        return "系统"
    if isinstance(actor, UnitPrincipal):
        return str(actor)
    staff = staff_for_user(actor)
    return staff.name if staff else actor.get_username()


def actor_user(actor: Actor):
    """The user to store in a foreign key (None for an API key or the system)."""
    if actor is None or isinstance(actor, UnitPrincipal) or not getattr(actor, "pk", None):
        return None
    return actor


def item_url(item) -> str:
    return reverse("supervision:detail", args=[item.pk])


def director_users() -> list:
    return list(users_with_role(Role.DIRECTOR))


def supervision_office_head():
    """The head of the supervision office (the commissioners' chief), or None."""
    unit = Unit.objects.filter(code=conf.office_unit_code()).select_related("head").first()
    head = unit.head if unit is not None else None
    return head if head is not None and head.is_active else None


def item_units(item) -> list:
    return [a.unit for a in ItemUnit.objects.filter(item=item).select_related("unit")]


def unit_assignment_for_actor(item: SupervisionItem, actor: Actor) -> ItemUnit | None:
    """The external actor's unit's place on the item; None for office staff and the system (the access
    module, asked first, has already refused a unit that is not on the item)."""
    return access.own_assignment(actor, item)


def as_due_at(value):
    """A date means the end of that working day (closing time); a datetime is taken as is."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return end_of_day(value)


def refresh_next_milestone(item: SupervisionItem) -> None:
    """Keep the denormalised earliest unreported milestone (the light reads it as a column)."""
    nxt = item.milestones.filter(reported_at__isnull=True).aggregate(m=Min("due_at"))["m"]
    if nxt != item.next_milestone_due:
        item.next_milestone_due = nxt
        SupervisionItem.objects.filter(pk=item.pk).update(next_milestone_due=nxt)


def notify_director(item, *, step: str, title: str, body: str = "", level: str = "info") -> None:
    notify(
        recipients=director_users(),
        subject=item,
        step=step,
        title=title,
        body=body,
        url=item_url(item),
        level=level,
    )


def audience_users(item, event: str) -> list:
    """The people told of ``event`` on ``item``, by the setting ``SUPERVISION_NOTIFY`` (conf.py):
    by default the person who must act (the item's commissioners), and the director of results,
    escalations and late items."""
    users: dict[int, object] = {}
    for who in conf.notify_audience(event):
        if who == "commissioners":
            people = list(item.commissioners.filter(is_active=True)) or director_users()
        elif who == "director":
            people = director_users()
        elif who == "office_head":
            head = supervision_office_head()
            people = [head] if head else []
        else:
            people = []
        for user in people:
            users.setdefault(user.pk, user)
    return list(users.values())


def notify_audience(
    item, event: str, *, subject=None, step: str, title: str, body: str = "", level: str = "info"
) -> None:
    """Tell the audience of ``event`` (see ``audience_users``)."""
    notify(
        recipients=audience_users(item, event),
        subject=subject or item,
        step=step,
        title=title,
        body=body,
        url=item_url(item),
        level=level,
    )


def resolve_open_steps(item, resolution: str) -> int:
    from ..models import LadderStep

    n = 0
    for step in item.ladder_steps.filter(resolved_at__isnull=True):
        LadderStep.objects.filter(pk=step.pk).update(resolved_at=timezone.now(), resolution=resolution)
        timers.cancel_step(step)
        n += 1
    return n
