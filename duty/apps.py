from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "duty"
    label = "duty"
    verbose_name = _("值班")

    def ready(self):
        from office.org.roles import grant_permissions
        from office.web.navigation import NavItem, register_nav

        from . import handlers  # noqa: F401  (registers timer handlers and recipient resolvers)

        duty_perms = [
            f"duty.{verb}_{model}"
            for model in ("urgentreport", "phonerecord", "logentry", "handover", "swaprequest")
            for verb in ("view", "add", "change")
        ]
        for role in ("duty_officer", "duty_leader", "director"):
            grant_permissions(role, duty_perms + ["duty.view_roster", "duty.view_shift"])
        for role in ("duty_leader", "director"):
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
        roles = ("duty_officer", "duty_leader", "director", "deputy_director")
        register_nav(NavItem(label=_("值班"), url_name="duty:board", roles=roles, order=30))
