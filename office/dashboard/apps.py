from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "office.dashboard"
    label = "dashboard"
    verbose_name = _("领导驾驶舱")

    def ready(self):
        from office.web.navigation import NavItem, register_nav

        from . import access

        register_nav(
            NavItem(
                label=_("领导驾驶舱"), url_name="dashboard:home", order=2, allowed=access.can_view_dashboard
            )
        )
        register_nav(
            NavItem(
                label=_("我的工作"), url_name="dashboard:my-work", order=3, allowed=access.can_view_my_work
            )
        )
