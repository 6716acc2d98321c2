from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    label = "suggestions"
    verbose_name = _("出点子吐心声")

    def ready(self):
        from office.files.registry import register_file_kind
        from office.web.navigation import NavItem, register_nav

        from . import access, handlers  # noqa: F401  handlers: the clock's resolvers and ladder actions
        from .selectors import submission_attachment_file

        register_nav(
            NavItem(label=_("出点子吐心声"), url_name="suggestions:list", order=40, allowed=access.can_list)
        )
        register_file_kind("suggestion-attachment", submission_attachment_file)

        from . import dashboard  # noqa: F401  the director's dashboard: panel, my-work and briefing providers
