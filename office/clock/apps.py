from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClockConfig(AppConfig):
    name = "office.clock"
    label = "clock"
    verbose_name = _("时钟与督促")

    def ready(self):
        from office.web.health import register_check
        from office.web.navigation import NavItem, register_nav

        from . import handlers  # noqa: F401  registers the clock's own handlers
        from .selectors import clock_health

        register_check("clock", clock_health)
        from .access import can_operate_clock

        register_nav(NavItem(label=_("时钟"), url_name="clock:status", allowed=can_operate_clock, order=950))
