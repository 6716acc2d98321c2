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
        from .access import can_list

        register_nav(
            NavItem(label=_("公文"), url_name="documents:list", external=True, order=40, allowed=can_list)
        )
        from .proofreading.terms import connect_signals

        connect_signals()  # the proofreader's cached word list follows ProofreadTerm edits
