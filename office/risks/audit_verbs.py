"""How the post-risk register's audit events read (office/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

from office.audit.verbs import register_app, register_fields, register_subject_url, register_verbs

register_app("risks", _("岗位风险排查"))
register_subject_url("risks.risk", "risks:risk")
register_subject_url("risks.reviewcampaign", "risks:campaign")
register_subject_url("risks.riskreview", "risks:review")
register_verbs(
    "risks",
    {
        "risks.post_created": (_("新增岗位"), _("新增岗位 {code}")),
        "risks.post_updated": _("修改岗位"),
        "risks.risk_created": _("登记风险点"),
        "risks.risk_updated": _("修改风险点"),
        "risks.incident_assigned": _("将风险事件归入风险点"),
        "risks.campaign_opened": (_("发起风险排查"), _("发起风险排查，截止 {deadline}")),
        "risks.campaign_closed": _("结束风险排查"),
        "risks.review_submitted": _("提交风险排查结果"),
        "risks.review_approved": _("同意风险排查结果"),
        "risks.review_returned": (_("退回风险排查结果"), _("退回风险排查结果（{note}）")),
        "risks.incident_recorded": _("记录风险事件"),
        "risks.level_raised": _("因风险事件上调风险等级"),
    },
)
register_fields(
    {
        "likelihood": _("可能性"),
        "impact": _("影响程度"),
        "controls": _("防控措施数"),
        "controls_effective": _("防控措施有效"),
        "reviews": _("排查条数"),
        "approve": _("同意"),
        "risk": _("风险点"),
        "incident": _("风险事件"),
        "score": _("风险值"),
    }
)
