from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "office.meetings"
    label = "meetings"
    verbose_name = _("办会")

    def ready(self):
        from office.web.navigation import NavItem, register_nav

        from . import access, dashboard, handlers  # noqa: F401  the clock's resolvers and actions; the dashboard

        register_nav(
            NavItem(label=_("会议"), url_name="meetings:calendar", order=45, allowed=access.can_list)
        )
