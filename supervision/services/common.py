from django.urls import reverse

from office.api.errors import ServiceError
from office.org.principals import UnitPrincipal
from office.org.roles import is_internal
from office.org.selectors import staff_for_user, unit_of_user, users_with_role

from ..models import ItemUnit, SupervisionItem


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
        raise SupervisionError("您的账号未关联单位。", code="forbidden")
    assignment = ItemUnit.objects.filter(item=item, unit=unit).first()
    if assignment is None:
        raise SupervisionError("该事项不属于本单位。", code="not_found")
    return assignment
