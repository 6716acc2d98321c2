from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "office.security"
    label = "security"
    verbose_name = _("安全管理")

    def ready(self):
        from office.web.navigation import NavItem, register_nav

        from . import access, checks, receivers  # noqa: F401  checks: the system check of 三员分立

        _grant_admin_permissions()
        receivers.connect_axes()
        receivers.connect_access_log()
        receivers.connect_object_permissions()
        register_nav(
            NavItem(
                label=_("安全审计"), url_name="security:log", order=90, allowed=access.can_read_security_log
            )
        )
        register_nav(
            NavItem(
                label=_("账号与角色"), url_name="security:accounts", order=91, allowed=access.can_manage_roles
            )
        )


def _grant_admin_permissions() -> None:
    """The Django permissions of the three administrators' groups, from office/security/access.py's tables
    (sync_roles gives each role's group exactly these after every migrate)."""
    from django.apps import apps

    from office.org.models import Role
    from office.org.roles import grant_permissions

    from .access import AUDIT_ADMIN_MODELS, SECURITY_ADMIN_MODELS, SYSTEM_ADMIN_MODELS

    for role, table in (
        (Role.SYSTEM_ADMIN, SYSTEM_ADMIN_MODELS),
        (Role.SECURITY_ADMIN, SECURITY_ADMIN_MODELS),
        (Role.AUDIT_ADMIN, AUDIT_ADMIN_MODELS),
    ):
        perms = []
        for key, actions in table.items():
            app_label, _dot, model_name = key.partition(".")
            try:
                config = apps.get_app_config(app_label)
            except LookupError:
                continue
            models = [m for m in config.get_models() if not model_name or m._meta.model_name == model_name]
            perms += [f"{app_label}.{a}_{m._meta.model_name}" for m in models for a in actions]
        grant_permissions(role, perms)
