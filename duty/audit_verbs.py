"""How the duty room's audit events read (office/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

from office.audit.verbs import register_app, register_subject_url, register_verbs

register_app("duty", _("值班值守"))
register_subject_url("duty.urgentreport", "duty:report-detail")
register_subject_url("duty.shift", "duty:shift-detail")
register_subject_url("duty.roster", "duty:roster-detail")
register_subject_url("duty.handover", "duty:handover-detail")
register_verbs(
    "duty",
    {
        "duty.report_received": (_("接报紧急信息"), _("接报{level}紧急信息")),
        "duty.report_level_changed": _("调整紧急信息级别"),
        "duty.report_reported_upward": _("向上级报告紧急信息"),
        "duty.report_final": _("报送终报"),
        "duty.report_followup": _("报送续报"),
        "duty.report_phone_alerted": _("发出电话报告时限警报"),
        "duty.report_written_alerted": _("发出书面报告时限警报"),
        "duty.handover_alerted": _("发出交接班未确认警报"),
        "duty.phone_alerted": _("发出来电逾期警报"),
        "duty.handover_written": _("填写交班记录"),
        "duty.handover_acknowledged": _("确认接班"),
        "duty.log_added": _("记录值班日志"),
        "duty.phone_recorded": _("登记来电"),
        "duty.phone_handled": _("办结来电"),
        "duty.roster_generated": _("生成值班表"),
        "duty.roster_imported": _("导入值班表"),
        "duty.roster_published": _("发布值班表"),
        "duty.shift_assigned": _("安排班次人员"),
        "duty.gap_detected": _("发现值班空档"),
        "duty.swap_proposed": _("申请换班"),
        "duty.swap_accepted": _("同意换班"),
        "duty.swap_approved": _("批准换班"),
        "duty.swap_rejected": _("驳回换班"),
        "duty.swap_cancelled": _("取消换班"),
    },
)
