from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "research.information"
    label = "information"
    verbose_name = _("信息报送")

    def ready(self):
        from office.files.registry import register_file_kind
        from office.web.navigation import NavItem, register_nav

        from . import access, dashboard, handlers  # noqa: F401  the clock's stage deadlines; dashboard providers
        from .selectors import attachment_file

        register_nav(
            NavItem(
                label=_("信息报送"),
                url_name="information:list",
                order=45,
                external=True,
                allowed=access.can_list,
            )
        )
        register_file_kind("information-attachment", attachment_file)
