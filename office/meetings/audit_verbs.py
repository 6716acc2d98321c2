"""How the meetings' audit events read (office/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

from office.audit.verbs import register_app, register_fields, register_subject_url, register_verbs

register_app("meetings", _("办会"))
register_subject_url("meetings.meeting", "meetings:detail")
register_verbs(
    "meetings",
    {
        "meetings.meeting_created": (_("登记会议"), _("登记会议“{title}”（{starts_at}）")),
        "meetings.meeting_updated": _("修改会议"),
        "meetings.meeting_cancelled": (_("取消会议"), _("取消会议（{reason}）")),
        "meetings.notice_sent": (_("发出会议通知"), _("向 {units} 发出会议通知，回执截止 {deadline}")),
        "meetings.receipt_answered": (_("填报参会回执"), _("填报 {name} 的参会回执")),
        "meetings.checklist_done": (_("完成会务事项"), _("完成会务事项“{name}”")),
        "meetings.devices_checked": _("检查会场设备"),
        "meetings.decision_added": (_("记录会议决定事项"), _("记录会议决定事项：{text}")),
        "meetings.minutes_drafted": _("起草会议纪要"),
        "meetings.decision_to_supervision": (_("决定事项转为督办"), _("决定事项转为督办事项 {number}")),
        "meetings.seating_generated": (_("生成座次"), _("生成座次（{seats} 个座位）")),
        "meetings.seats_swapped": (_("对调座次"), _("对调 {a} 与 {b} 的座次")),
        "meetings.signed_in": (_("登记会议签到"), _("登记 {name} 签到")),
        "meetings.incident_recorded": (_("记录会务差错"), _("记录会务差错：{description}")),
    },
)
register_fields(
    {
        "people": _("参会人员"),
        "room": _("会场"),
        "devices": _("设备"),
        "order": _("序号"),
        "decision": _("决定事项"),
        "rule": _("排座规则"),
        "seats": _("座位数"),
        "self": _("本人签到"),
        "names": _("签到人员"),
        "desk": _("会务台代签"),
    }
)
