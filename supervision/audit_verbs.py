"""How supervision's audit events read (office/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

from office.audit.verbs import register_app, register_subject_url, register_verbs

register_app("supervision", _("督查督办"))
register_subject_url("supervision.supervisionitem", "supervision:detail")
register_verbs(
    "supervision",
    {
        "supervision.item_created": (_("登记督办事项"), _("登记督办事项 {number}")),
        "supervision.item_updated": _("修改督办事项"),
        "supervision.milestone_added": (_("添加节点"), _("添加节点“{title}”（{due_at}）")),
        "supervision.milestone_rescheduled": (
            _("调整节点"),
            _("调整节点“{title}”（{from} → {to}）：{reason}"),
        ),
        "supervision.item_issued": (_("交办督办事项"), _("向 {units} 交办督办事项")),
        "supervision.item_acknowledged": (_("签收督办事项"), _("代表 {unit} 签收督办事项")),
        "supervision.progress_submitted": _("报送办理进展"),
        "supervision.result_submitted": _("报送办理结果"),
        "supervision.feedback_reviewed": _("审核单位反馈"),
        "supervision.item_closed": _("办结督办事项"),
        "supervision.item_sent_back": (_("退回办理结果"), _("退回办理结果（{reason}）")),
        "supervision.item_cancelled": _("撤销督办事项"),
        "supervision.extension_requested": _("申请延期"),
        "supervision.extension_approved": _("批准延期"),
        "supervision.extension_refused": _("不同意延期"),
        "supervision.miss_recorded": _("记录逾期未反馈"),
        "supervision.miss_after_circular": _("记录通报后仍逾期"),
        "supervision.ladder_communication": _("启动沟通催办"),
        "supervision.ladder_notice": _("升级为督办通知"),
        "supervision.ladder_circular": _("升级为通报批评"),
        "supervision.communication_logged": (_("记录沟通情况"), _("记录与 {person} 的沟通")),
        "supervision.notice_published": (_("发出督办通知"), _("发出督办通知 {number}")),
        "supervision.circular_published": (_("印发督办通报"), _("印发督办通报 {number}")),
        "supervision.document_not_sent": _("记录督办文书未能发出"),
        "supervision.site_visit_logged": _("记录实地督查"),
    },
)
