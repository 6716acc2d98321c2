"""Who may watch and repair the clock (its status page, retrying a failed timer): the only place."""

from office.errors import forbidden
from office.org.models import Role
from office.org.roles import DUTY_ROOM_ROLES, has_role


def can_operate_clock(actor) -> bool:
    """The director, and the accounts that run the system (Django ``is_staff``)."""
    return bool(getattr(actor, "is_staff", False)) or has_role(actor, Role.DIRECTOR)


def clock_access(*, actor) -> None:
    if not can_operate_clock(actor):
        raise forbidden()


def can_see_clock_alarm(actor) -> bool:
    """Who is warned on every page when the clock has stopped: the duty room and the director (they
    are the ones whose deadlines and alarms would silently stop), and the system's operators."""
    return can_operate_clock(actor) or has_role(actor, *DUTY_ROOM_ROLES)
