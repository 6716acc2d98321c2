"""Who may watch and repair the clock (its status page, retrying a failed timer): the only place."""

from office.errors import forbidden
from office.org.models import Role
from office.org.roles import has_role


def can_operate_clock(actor) -> bool:
    """The director, and the accounts that run the system (Django ``is_staff``)."""
    return bool(getattr(actor, "is_staff", False)) or has_role(actor, Role.DIRECTOR)


def clock_access(*, actor) -> None:
    if not can_operate_clock(actor):
        raise forbidden()
