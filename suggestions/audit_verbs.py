"""How the suggestion campaigns' audit events read (office/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

from office.audit.verbs import register_app, register_subject_url, register_verbs

register_app("suggestions", _("出点子、吐心声"))
register_subject_url("suggestions.campaign", "suggestions:campaign")
register_subject_url("suggestions.submission", "suggestions:submission")
register_subject_url("suggestions.talk", "suggestions:talk")
register_verbs(
    "suggestions",
    {
        "suggestions.campaign_opened": _("发起征集活动"),
        "suggestions.campaign_closed": _("结束征集活动"),
        "suggestions.submitted": _("提交意见建议"),
        "suggestions.entered": _("代为录入意见建议"),
        "suggestions.triaged": _("分办意见建议"),
        "suggestions.assigned": _("交办意见建议"),
        "suggestions.answered": _("答复意见建议"),
        "suggestions.replied": _("回复意见建议"),
        "suggestions.merged": _("合并意见建议"),
        "suggestions.to_supervision": _("意见建议转督办"),
        "suggestions.talk_scheduled": _("安排谈心谈话"),
        "suggestions.talk_rescheduled": _("调整谈心谈话时间"),
        "suggestions.talk_cancelled": _("取消谈心谈话"),
        "suggestions.talk_responded": _("回应谈心谈话安排"),
        "suggestions.talk_notes_written": _("记录谈心谈话"),
        "suggestions.talk_followup": _("谈心谈话后续事项"),
    },
)
