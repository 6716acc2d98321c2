from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "office.web"
    label = "web"
    verbose_name = _("门户")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from office.audit.access import can_read_access_log, can_read_audit_trail

        from .display import mirror_on_login
        from .navigation import NavItem, register_nav

        user_logged_in.connect(mirror_on_login, dispatch_uid="office.web.display.mirror_on_login")
        register_nav(NavItem(label=_("首页"), url_name="home", external=True, order=0))
        register_nav(
            NavItem(label=_("审计日志"), url_name="audit-list", allowed=can_read_audit_trail, order=900)
        )
        register_nav(
            NavItem(label=_("涉密访问记录"), url_name="access-log", allowed=can_read_access_log, order=910)
        )
