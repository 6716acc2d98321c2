from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        from office.org.models import Role
        from office.org.roles import INTERNAL_ROLES, grant_permissions
        from office.web.navigation import NavItem, register_nav

        from . import handlers  # noqa: F401  registers the clock handlers
        from .services import ladder  # noqa: F401  registers the circular sign-off hook

        models = [
            "supervisionitem",
            "itemunit",
            "milestone",
            "feedback",
            "ladderstep",
            "sitevisit",
            "extensionrequest",
        ]
        for role in INTERNAL_ROLES:
            grant_permissions(role, [f"supervision.view_{m}" for m in models])
        manage = [f"supervision.{verb}_{m}" for m in models for verb in ("add", "change")]
        for role in (Role.SUPERVISION_COMMISSIONER, Role.DIRECTOR, Role.DEPUTY_DIRECTOR):
            grant_permissions(role, manage)
        register_nav(NavItem(label=_("督查督办"), url_name="supervision:list", external=True, order=20))
        register_nav(NavItem(label=_("督办统计"), url_name="supervision:stats", order=21))
