from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "office.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self):
        from .models import Role
        from .roles import INTERNAL_ROLES, grant_permissions, sync_roles

        for role in INTERNAL_ROLES:
            grant_permissions(role, ["org.view_unit", "org.view_staff"])
        grant_permissions(Role.DIRECTOR, ["org.change_unit", "org.change_staff", "audit.view_auditevent"])
        grant_permissions(Role.DEPUTY_DIRECTOR, ["audit.view_auditevent"])
        # Groups are (re)synced after every migrate, when all apps' permissions exist.
        post_migrate.connect(sync_roles, dispatch_uid="office.org.sync_roles")
