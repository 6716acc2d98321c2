"""Who may read the audit trail and the classified-access log: the only place of these rules."""

from office.conf import office_setting
from office.errors import forbidden
from office.org.models import Role
from office.org.roles import AUDIT_READER_ROLES, has_role
from office.org.selectors import unit_of_user


def can_read_audit_trail(actor) -> bool:
    """The director, the deputy directors, or an account granted ``audit.view_auditevent``."""
    return has_role(actor, *AUDIT_READER_ROLES) or bool(
        getattr(actor, "pk", None) and actor.has_perm("audit.view_auditevent")
    )


def audit_trail_access(*, actor) -> None:
    if not can_read_audit_trail(actor):
        raise forbidden()


def confidential_unit_codes() -> list[str]:
    """The section(s) whose chief keeps the classified-access log (机要科 by default)."""
    return list(office_setting("OFFICE_CONFIDENTIAL_UNIT_CODES", ["jiyao"]))


def can_read_access_log(actor) -> bool:
    if has_role(actor, Role.DIRECTOR):
        return True
    if not has_role(actor, Role.SECTION_CHIEF):
        return False
    unit = unit_of_user(actor)
    return unit is not None and unit.code in confidential_unit_codes()


def access_log_access(*, actor) -> None:
    """The director and the 机要科 chief read who read classified objects."""
    if not can_read_access_log(actor):
        raise forbidden()
