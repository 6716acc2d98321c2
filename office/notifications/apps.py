from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "office.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self):
        from office.web.navigation import NavItem, register_nav

        from . import metrics

        metrics.register()

        register_nav(NavItem(label=_("消息中心"), url_name="notifications:inbox", external=True, order=800))
