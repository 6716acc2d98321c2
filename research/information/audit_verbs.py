"""How information reporting's audit events read (office/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

from office.audit.verbs import register_app, register_fields, register_subject_url, register_verbs

register_app("information", _("信息报送"))
register_subject_url("information.inforeport", "information:detail")
register_subject_url("information.bulletinissue", "information:bulletin")
register_verbs(
    "information",
    {
        "information.created": _("起草信息"),
        "information.draft_updated": _("修改信息草稿"),
        "information.sign_requested": _("提请单位负责人签发信息"),
        "information.submitted": _("报送信息"),
        "information.received": _("接收信息"),
        "information.edited": (_("编辑信息"), _("编辑信息（第 {version} 版）")),
        "information.to_approval": _("提交领导审批信息"),
        "information.approved": _("审批同意信息"),
        "information.returned": (_("退回信息"), _("退回信息（{reason}）")),
        "information.sent": _("报出信息"),
        "information.published": (_("刊发信息"), _("在 {issue} 刊发信息")),
        "information.issue_published": _("印发信息刊物"),
        "information.adopted": _("登记信息采用"),
        "information.stage_late": _("记录信息办理环节超时"),
    },
)
register_fields(
    {
        "issue": _("刊物期号"),
        "reports": _("信息"),
        "leader": _("批示领导"),
        "type": _("信息类别"),
        "outlet": _("去向"),
        "stage": _("超时环节"),
    }
)
