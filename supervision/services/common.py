"""Helpers shared by the supervision services: the error type, row locks, who acts, notify helpers."""

import datetime as dt

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.errors import ServiceError
from office.notifications.services import notify
from office.org.principals import UnitPrincipal
from office.org.roles import is_internal
from office.org.selectors import staff_for_user, unit_of_user, users_with_role
from office.workdays.services import end_of_day

from ..models import ItemUnit, SupervisionItem
from . import timers


class SupervisionError(ServiceError):
    """A supervision rule was broken; the message is for a clerk."""


def locked_item(item) -> SupervisionItem:
    pk = item.pk if isinstance(item, SupervisionItem) else item
    return SupervisionItem.objects.select_for_update().get(pk=pk)


def actor_label(actor) -> str:
    if actor is None:
        return "系统"
    if isinstance(actor, UnitPrincipal):
        return str(actor)
    staff = staff_for_user(actor)
    return staff.name if staff else actor.get_username()


def actor_user(actor):
    """The user to store in a foreign key (None for an API key or the system)."""
    if actor is None or isinstance(actor, UnitPrincipal) or not getattr(actor, "pk", None):
        return None
    return actor


def item_url(item) -> str:
    return reverse("supervision:detail", args=[item.pk])


def director_users() -> list:
    return list(users_with_role("director"))


def item_units(item) -> list:
    return [a.unit for a in ItemUnit.objects.filter(item=item).select_related("unit")]


def unit_assignment_for_actor(item, actor) -> ItemUnit | None:
    """The actor's unit's place on the item; None for office staff."""
    if is_internal(actor):
        return None
    unit = unit_of_user(actor)
    if unit is None:
        raise SupervisionError(_("您的账号未关联单位。"), code="forbidden")
    assignment = ItemUnit.objects.filter(item=item, unit=unit).first()
    if assignment is None:
        raise SupervisionError(_("该事项不属于本单位。"), code="not_found")
    return assignment


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


def resolve_open_steps(item, resolution: str) -> int:
    from ..models import LadderStep

    n = 0
    for step in item.ladder_steps.filter(resolved_at__isnull=True):
        LadderStep.objects.filter(pk=step.pk).update(resolved_at=timezone.now(), resolution=resolution)
        timers.cancel_step(step)
        n += 1
    return n
