from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        from documents.services import register_sign_off_hook
        from office.files.registry import register_file_kind
        from office.org.roles import INTERNAL_ROLES, SUPERVISION_MANAGER_ROLES, grant_permissions
        from office.web.navigation import NavItem, register_nav

        from . import access, handlers  # noqa: F401  handlers: registers the clock handlers
        from .selectors import feedback_attachment_file, visit_photo_file
        from .services.ladder import ORIGIN, document_signed

        models = [
            "supervisionitem",
            "itemunit",
            "milestone",
            "feedback",
            "ladderstep",
            "sitevisit",
            "extensionrequest",
        ]
        for role in INTERNAL_ROLES:
            grant_permissions(role, [f"supervision.view_{m}" for m in models])
        manage = [f"supervision.{verb}_{m}" for m in models for verb in ("add", "change")]
        for role in sorted(SUPERVISION_MANAGER_ROLES):
            grant_permissions(role, manage)
        # The navigation asks the same predicates as the views.
        register_nav(
            NavItem(
                label=_("督查督办"),
                url_name="supervision:list",
                external=True,
                order=20,
                allowed=access.can_list,
            )
        )
        register_nav(
            NavItem(
                label=_("督办统计"), url_name="supervision:stats", order=21, allowed=access.can_view_stats
            )
        )
        # documents → supervision: a person signed the ladder's notice or circular
        register_sign_off_hook(ORIGIN, document_signed)
        self._ready_incoming_bridge()
        register_file_kind("supervision-feedback", feedback_attachment_file)
        register_file_kind("supervision-visit-photo", visit_photo_file)

    def _ready_incoming_bridge(self):
        """收文 → supervision: a leader's 批示 becomes an item in one step (documents never import us)."""
        from documents.incoming.services import register_supervision_bridge

        from .services import from_documents

        register_supervision_bridge(
            create=from_documents.item_from_incoming,
            summary=from_documents.linked_item_summary,
            allowed=from_documents.can_turn_into_item,
        )

        from . import dashboard  # noqa: F401  the director's dashboard: panel, my-work and briefing providers
