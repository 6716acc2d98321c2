from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "research"
    label = "research"
    verbose_name = _("政研")

    def ready(self):
        from office.files.registry import register_file_kind
        from office.web.navigation import NavItem, register_nav

        from . import access, dashboard, handlers  # noqa: F401  the clock's resolvers, actions, timer; dashboard providers
        from .selectors import record_attachment_file

        register_nav(NavItem(label=_("政研"), url_name="research:home", order=55, allowed=access.can_use))
        register_file_kind("research-record-attachment", record_attachment_file)
