"""三员分立: what the system, security and audit administrators may do — the one place it is decided.

- the system administrator (系统管理员): accounts, units, configuration; not the business content, not
  the audit trail nor the security log, not roles or permissions;
- the security administrator (安全管理员): roles, permissions, clearances, password and session policy,
  API keys, two-factor resets; not account creation, not the audit trail;
- the audit administrator (审计管理员): reads and exports the audit trail and the security log; changes
  nothing.

None can grant itself another's role (office/security/services.check_role_separation). The Django admin
asks ``admin_permission`` for every model (office/security/admin.py wraps each registered ModelAdmin);
the security pages ask the ``can_*`` functions below.
"""

from office.org.models import Role
from office.org.roles import THREE_ADMIN_ROLES, has_role, user_roles
from office.org.types import Actor


def _holds(user: Actor, role: str) -> bool:
    # user_roles, not has_role: a superuser is not one of the three (the system check refuses superusers)
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return role in user_roles(user)


def is_system_admin(user: Actor) -> bool:
    return _holds(user, Role.SYSTEM_ADMIN)


def is_security_admin(user: Actor) -> bool:
    return _holds(user, Role.SECURITY_ADMIN)


def is_audit_admin(user: Actor) -> bool:
    return _holds(user, Role.AUDIT_ADMIN)


def admin_roles(user: Actor) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return user_roles(user) & THREE_ADMIN_ROLES


def is_administrator(user: Actor) -> bool:
    """One of the three administrators, or a superuser (the demo's all-powerful ``admin``)."""
    return bool(getattr(user, "is_superuser", False)) or bool(admin_roles(user))


def can_read_security_log(user: Actor) -> bool:
    """The audit administrator reads (and exports) the security log and the audit trail."""
    return is_audit_admin(user) or bool(
        getattr(user, "is_superuser", False) and getattr(user, "is_active", False)
    )


can_export_security_log = can_read_security_log


def can_manage_roles(user: Actor) -> bool:
    return is_security_admin(user) or bool(
        getattr(user, "is_superuser", False) and getattr(user, "is_active", False)
    )


can_reset_otp = can_manage_roles


def can_open_security_pages(user: Actor) -> bool:
    return can_read_security_log(user) or can_manage_roles(user)


# --- the Django admin ---------------------------------------------------------------------------------
# What each administrator may do there, by app label or "app_label.model": view / add / change / delete.
SYSTEM_ADMIN_MODELS: dict[str, frozenset[str]] = {
    "auth.user": frozenset({"view", "add", "change"}),
    "org.unit": frozenset({"view", "add", "change"}),
    "org.staff": frozenset({"view", "add", "change"}),
    "workdays": frozenset({"view", "add", "change", "delete"}),
    "django_celery_beat": frozenset({"view", "add", "change", "delete"}),
    "notifications.notificationtemplate": frozenset({"view", "add", "change"}),
    "sites": frozenset({"view", "change"}),
}
SECURITY_ADMIN_MODELS: dict[str, frozenset[str]] = {
    "auth.user": frozenset({"view", "change"}),  # roles and permissions only (the form shows nothing else)
    "auth.group": frozenset({"view", "change"}),
    "auth.permission": frozenset({"view"}),
    "org.unitapikey": frozenset({"view", "add", "change"}),
    "security.accountsecurity": frozenset({"view", "change"}),
    "axes": frozenset({"view", "delete"}),  # lift a lockout
    "otp_totp": frozenset({"view", "delete"}),
    "otp_static": frozenset({"view", "delete"}),
}
AUDIT_ADMIN_MODELS: dict[str, frozenset[str]] = {
    "security.securityevent": frozenset({"view"}),
    "audit": frozenset({"view"}),
}
_BY_ROLE: dict[str, dict[str, frozenset[str]]] = {
    Role.SYSTEM_ADMIN: SYSTEM_ADMIN_MODELS,
    Role.SECURITY_ADMIN: SECURITY_ADMIN_MODELS,
    Role.AUDIT_ADMIN: AUDIT_ADMIN_MODELS,
}


def admin_permission(user: Actor, app_label: str, model_name: str, action: str) -> bool | None:
    """What an administrator may do with a model in the Django admin: True/False for one of the three
    administrators, None for anybody else (the model admin's own answer stands)."""
    held = admin_roles(user)
    if not held or not getattr(user, "is_active", False):
        return None
    key = f"{app_label}.{model_name}"
    for role in held:
        table = _BY_ROLE[role]
        allowed = table.get(key, table.get(app_label, frozenset()))
        if action in allowed:
            return True
    return False


def admin_module_permission(user: Actor, app_label: str) -> bool | None:
    held = admin_roles(user)
    if not held or not getattr(user, "is_active", False):
        return None
    return any(key == app_label or key.startswith(app_label + ".") for role in held for key in _BY_ROLE[role])


def otp_may_be_skipped(user: Actor) -> bool:
    """An external unit's liaison may sign in with the password only when OFFICE_OTP_EXEMPT_LIAISONS is on —
    never an administrator, the director or anyone cleared for 秘密 and above."""
    from .conf import otp_exempt_liaisons

    if not otp_exempt_liaisons() or user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_administrator(user) or getattr(user, "is_staff", False):
        return False
    roles = user_roles(user)
    if roles != {Role.EXTERNAL_UNIT}:
        return False
    return not cleared_for_secret(user)


def cleared_for_secret(user: Actor) -> bool:
    try:
        from documents.access import cleared_levels
    except ImportError:  # pragma: no cover - documents is always installed
        return False
    return bool(cleared_levels(user)) or has_role(user, Role.DIRECTOR)
