from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "office.risks"
    label = "risks"
    verbose_name = _("岗位风险排查")

    def ready(self):
        from office.meetings.signals import meeting_incident_recorded
        from office.web.navigation import NavItem, register_nav

        from . import access, dashboard, handlers  # noqa: F401  the clock's timer, resolvers, ladder action; the dashboard
        from .hooks import register_risk_receiver
        from .services.incidents import meeting_incident_received, receive_risk_event

        register_nav(
            NavItem(
                label=_("风险排查"), url_name="risks:register", order=75, allowed=access.can_view_register
            )
        )
        register_risk_receiver(receive_risk_event)
        meeting_incident_recorded.connect(meeting_incident_received, dispatch_uid="risks.meeting_incident")
