"""Who may read the audit trail and the classified-access log: the only place of these rules."""

from office.conf import office_setting
from office.errors import forbidden
from office.org.models import Role
from office.org.roles import AUDIT_READER_ROLES, has_role
from office.org.selectors import unit_of_user
from office.org.types import Actor


def can_read_audit_trail(actor: Actor) -> bool:
    """The director and the deputy directors (a superuser holds every role)."""
    return has_role(actor, *AUDIT_READER_ROLES)


def audit_trail_access(*, actor: Actor) -> None:
    if not can_read_audit_trail(actor):
        raise forbidden()


def confidential_unit_codes() -> list[str]:
    """The section(s) whose chief keeps the classified-access log (机要科 by default)."""
    return list(office_setting("OFFICE_CONFIDENTIAL_UNIT_CODES", ["jiyao"]))


def can_read_access_log(actor: Actor) -> bool:
    if has_role(actor, Role.DIRECTOR):
        return True
    if not has_role(actor, Role.SECTION_CHIEF):
        return False
    unit = unit_of_user(actor)
    return unit is not None and unit.code in confidential_unit_codes()


def access_log_access(*, actor: Actor) -> None:
    """The director and the 机要科 chief read who read classified objects."""
    if not can_read_access_log(actor):
        raise forbidden()
