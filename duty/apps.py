from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "duty"
    label = "duty"
    verbose_name = _("值班")

    def ready(self):
        from office.files.registry import register_file_kind
        from office.org.roles import DUTY_EDITOR_ROLES, DUTY_ROOM_ROLES, grant_permissions
        from office.web.navigation import NavItem, register_nav

        from . import access, handlers  # noqa: F401  (handlers: registers timers and resolvers)
        from .selectors.reports import report_attachment_file

        # Model permissions (admin) follow the same role sets as access.py.
        duty_perms = [
            f"duty.{verb}_{model}"
            for model in ("urgentreport", "phonerecord", "logentry", "handover", "swaprequest")
            for verb in ("view", "add", "change")
        ]
        for role in sorted(DUTY_ROOM_ROLES):
            grant_permissions(role, duty_perms + ["duty.view_roster", "duty.view_shift"])
        for role in sorted(DUTY_EDITOR_ROLES):
            grant_permissions(
                role,
                [
                    "duty.change_roster",
                    "duty.add_roster",
                    "duty.change_shift",
                    "duty.view_rotationmember",
                    "duty.change_rotationmember",
                    "duty.add_rotationmember",
                ],
            )
        register_nav(
            NavItem(label=_("值班"), url_name="duty:board", order=30, allowed=access.can_view_duty_room)
        )
        from office.clock.metrics import register_gauge

        from . import metrics

        register_gauge(
            "office_duty_urgent_reports_open", "Urgent reports still open.", metrics.open_urgent_reports
        )
        register_gauge(
            "office_duty_urgent_reports_overdue",
            "Open urgent reports past a reporting limit not yet met (alarms in force).",
            metrics.urgent_reports_overdue,
        )
        register_file_kind("duty-report-attachment", report_attachment_file)

        from . import dashboard  # noqa: F401  the director's dashboard: panel, my-work and briefing providers
