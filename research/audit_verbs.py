"""How policy research's audit events read (office/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

from office.audit.verbs import register_app, register_fields, register_subject_url, register_verbs

register_app("research", _("政研"))
register_subject_url("research.topiccall", "research:call")
register_subject_url("research.topic", "research:topic")
# A plan opens by its year (research:plan), not its pk: its events show the plan without a link.
register_verbs(
    "research",
    {
        "research.call_opened": (_("发起选题征集"), _("发起选题征集，截止 {deadline}")),
        "research.call_closed": _("截止选题征集"),
        "research.proposal_submitted": (_("提交选题建议"), _("提交选题建议“{title}”")),
        "research.proposal_declined": _("未将选题建议列入计划"),
        "research.plan_created": (_("新建年度调研计划"), _("新建 {year} 年度调研计划")),
        "research.topic_added": _("列入调研课题"),
        "research.topic_removed": (_("移出调研课题"), _("移出调研课题“{title}”")),
        "research.plan_submitted": (_("报送调研计划"), _("报送调研计划（{topics} 个课题）")),
        "research.plan_approved": (_("审定调研计划"), _("审定调研计划（{topics} 个课题）")),
        "research.plan_returned": (_("退回调研计划"), _("退回调研计划（{reason}）")),
        "research.milestone_done": _("完成课题节点"),
        "research.milestone_rescheduled": (
            _("调整课题节点时限"),
            _("将课题节点时限由 {from} 调整为 {to}"),
        ),
        "research.record_added": (_("添加调研记录"), _("添加调研记录（{place}）")),
        "research.topic_finished": _("课题结题"),
        "research.output_created": (_("提交调研成果"), _("提交调研成果“{title}”")),
        "research.output_evaluated": _("评定调研成果"),
        "research.output_adopted": (_("登记成果转化"), _("登记成果转化：{label}")),
    },
)
register_fields(
    {
        "output": _("调研成果"),
        "grade": _("评定等级"),
        "previous": _("原等级"),
        "adoption": _("转化记录"),
        "from": _("原时限"),
        "to": _("新时限"),
        "record": _("调研记录"),
        "attachments": _("附件数"),
        "year": _("年度"),
        "plan": _("调研计划"),
        "lead": _("课题负责人"),
        "proposals": _("选题建议"),
        "topics": _("课题数"),
        "call": _("选题征集"),
    }
)
