from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    label = "documents"
    verbose_name = _("办文")

    def ready(self):
        from office.org.models import Role
        from office.org.roles import INTERNAL_ROLES, grant_permissions
        from office.web.navigation import NavItem, register_nav

        for role in INTERNAL_ROLES:
            grant_permissions(role, ["documents.view_document"])
        grant_permissions(Role.DIRECTOR, ["documents.change_document"])
        from . import handlers  # noqa: F401 (registers the clock handlers)
        from .access import can_list

        self._ready_incoming()
        register_nav(
            NavItem(label=_("公文"), url_name="documents:home", external=True, order=40, allowed=can_list)
        )
        from .proofreading.terms import connect_signals

        connect_signals()  # the proofreader's cached word list follows ProofreadTerm edits

    def _ready_incoming(self):
        """收文: the deadline's clock handler, the protected file, the register in the navigation."""
        from office.files.registry import register_file_kind
        from office.web.navigation import NavItem, register_nav

        from .incoming import access as incoming_access
        from .incoming import handlers as incoming_handlers  # noqa: F401 (registers the clock handler)
        from .incoming.selectors import incoming_file

        register_file_kind("documents-incoming", incoming_file)
        register_nav(
            NavItem(
                label=_("收文"),
                url_name="documents:incoming-list",
                order=41,
                allowed=incoming_access.can_list,
            )
        )

        from . import dashboard  # noqa: F401  the director's dashboard: panel, my-work and briefing providers
