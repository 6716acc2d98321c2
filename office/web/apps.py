from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "office.web"
    label = "web"
    verbose_name = _("门户")

    def ready(self):
        from .navigation import NavItem, register_nav

        register_nav(NavItem(label=_("首页"), url_name="home", external=True, order=0))
        register_nav(
            NavItem(
                label=_("审计日志"), url_name="audit-list", roles=("director", "deputy_director"), order=900
            )
        )
