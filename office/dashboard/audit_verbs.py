"""How the dashboard's audit events read (office/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

from office.audit.verbs import register_app, register_fields, register_verbs

register_app("dashboard", _("领导驾驶舱"))
register_verbs(
    "dashboard",
    {"dashboard.briefing_sent": (_("送达每周工作简报"), _("送达每周工作简报（{week_start} 周）"))},
)
register_fields({"week_start": _("周一日期"), "recipients": _("送达人数")})
