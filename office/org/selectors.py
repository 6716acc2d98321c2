"""Reads of the organisation, scoped by who asks."""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from .models import Staff, Unit
from .principals import UnitPrincipal
from .types import Actor


def staff_for_user(user: Actor) -> Staff | None:
    """The staff profile of ``user`` (None for an account without one)."""
    if user is None or not user.is_authenticated or isinstance(user, UnitPrincipal):
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def unit_of_user(user: Actor) -> Unit | None:
    """The unit a user (or an API key) belongs to."""
    if isinstance(user, UnitPrincipal):
        return user.unit
    staff = staff_for_user(user)
    return staff.unit if staff else None


def unit_list_for_user(*, user: Actor) -> QuerySet[Unit]:
    """Units visible to the caller: office staff see all; an external unit (user or API key) its own."""
    from .access import unit_scope

    return unit_scope(actor=user, qs=Unit.objects.select_related("parent").order_by("sort_order", "id"))


def staff_list(*, unit: Unit | None = None, active_only: bool = True) -> QuerySet[Staff]:
    qs = Staff.objects.select_related("unit", "user")
    if unit is not None:
        qs = qs.filter(unit=unit)
    if active_only:
        qs = qs.filter(is_active=True, user__is_active=True)
    return qs


def unit_head(unit: Unit) -> User | None:
    """The unit's current head (a user), resolved now: used by the clock when a step fires."""
    head = unit.head if unit.head_id else None
    return head if head is not None and head.is_active else None


def deputies_in_charge_of(unit: Unit) -> QuerySet[Staff]:
    return unit.deputies_in_charge.filter(is_active=True, user__is_active=True).select_related("user")


def users_with_role(role: str) -> QuerySet[User]:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=role, is_active=True).distinct()


def leaders() -> QuerySet[User]:
    """The office's leaders (the director and the deputies, LEADERSHIP_ROLES), active, in a fixed order:
    the one list every form offers and every service accepts when a leader is to be named."""
    from django.contrib.auth import get_user_model

    from .roles import LEADERSHIP_ROLES

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=sorted(LEADERSHIP_ROLES))
        .select_related("staff__unit")
        .distinct()
        .order_by("pk")
    )


def office_people() -> QuerySet[User]:
    """The office's own active people (its leadership and its sections), with their staff profile and
    unit: whom a form offers to hold a post, own a risk or serve a meeting."""
    from .models import UnitKind

    return (
        User.objects.filter(is_active=True, staff__unit__kind__in=[UnitKind.OFFICE, UnitKind.SECTION])
        .select_related("staff__unit")
        .order_by("staff__unit__sort_order", "staff__unit_id", "pk")
    )
