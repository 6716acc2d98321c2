"""The meeting types with their default service checklists (DOMAIN.md, "Meetings") and the ladder
templates the checklist and the receipts use: seeded by migration 0002, created again on first use when
missing altogether (a database flushed after the migrations ran). Rows an administrator changed or
deactivated are left alone."""

# code: (name, description, [(step name, wait hours, recipients, action)])
LADDERS = {
    "meetings-checklist": (
        "办会：会务事项督促",
        "起算时间为事项的完成时限：到期提醒责任人，30 分钟后提醒承办科室科长，再 30 分钟后提醒分管副主任。",
        [
            ("会务事项到期，提醒责任人", 0, "meetings_item_owner", "meetings.checklist_remind"),
            ("逾期 30 分钟，提醒科长", 0.5, "meetings_section_chief", "meetings.checklist_remind"),
            ("仍未完成，提醒分管副主任", 0.5, "meetings_deputy_in_charge", "meetings.checklist_remind"),
        ],
    ),
    "meetings-av-check": (
        "办会：视频音响调试督促",
        "起算时间为会前 2 小时：未调试完毕即提醒技术保障人员，会前 1 小时提醒科长，会前 30 分钟提醒分管副主任。",
        [
            ("视频音响未调试，提醒技术保障人员", 0, "meetings_item_owner", "meetings.checklist_remind"),
            ("会前 1 小时仍未调试，提醒科长", 1, "meetings_section_chief", "meetings.checklist_remind"),
            (
                "会前 30 分钟仍未调试，提醒分管副主任",
                0.5,
                "meetings_deputy_in_charge",
                "meetings.checklist_remind",
            ),
        ],
    ),
    "meetings-receipts": (
        "办会：回执催报",
        "起算时间为回执截止时间：催报未回执的单位和人员，2 小时后仍未齐全报承办科室科长。",
        [
            ("回执截止，催报未回执单位", 0, "meetings_missing_receipts", "meetings.chase_receipts"),
            ("回执仍未齐全，报承办科室", 2, "meetings_section_chief", "meetings.escalate_receipts"),
        ],
    ),
}

# item code, name, minutes before the start, owner kind, needs devices, ladder
CHECKLIST = [
    ("notice", "发出会议通知", 2 * 24 * 60, "organizer", False, "meetings-checklist"),
    ("receipts", "回执收齐", 24 * 60, "organizer", False, "meetings-checklist"),
    ("seating", "座次审定", 24 * 60, "section_chief", False, "meetings-checklist"),
    ("name-cards", "桌签制作", 24 * 60, "organizer", False, "meetings-checklist"),
    ("av-test", "视频音响调试（用实际课件和视频链路）", 120, "technician", True, "meetings-av-check"),
    ("recording", "录音录像、摄影安排", 60, "technician", False, "meetings-checklist"),
    ("duty-handover", "值班室衔接（告知总值班室）", 60, "organizer", False, "meetings-checklist"),
    ("tea", "茶水供应", 30, "organizer", False, "meetings-checklist"),
]
# code, name, order, notice offset override (minutes)
TYPES = [
    ("standing-committee", "常委会", 10, 3 * 24 * 60),
    ("leaders", "市级领导会", 20, None),
    ("topic", "专题会", 30, None),
    ("training", "培训会", 40, None),
    ("video", "视频会", 50, None),
]


def seed_defaults(apps_get_model) -> None:
    """``apps_get_model(app_label, model)``: the historical models in a migration, the real ones otherwise."""
    LadderTemplate = apps_get_model("clock", "LadderTemplate")  # noqa: N806
    LadderTemplateStep = apps_get_model("clock", "LadderTemplateStep")  # noqa: N806
    MeetingType = apps_get_model("meetings", "MeetingType")  # noqa: N806
    ChecklistTemplate = apps_get_model("meetings", "ChecklistTemplate")  # noqa: N806
    ChecklistTemplateItem = apps_get_model("meetings", "ChecklistTemplateItem")  # noqa: N806
    for code, (name, description, steps) in LADDERS.items():
        template, created = LadderTemplate.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        if created:
            for order, (step_name, hours, recipients, action) in enumerate(steps):
                LadderTemplateStep.objects.create(
                    template=template,
                    order=order,
                    name=step_name,
                    wait_hours=hours,
                    recipients=recipients,
                    action=action,
                )
    for code, name, order, notice_offset in TYPES:
        mtype, created = MeetingType.objects.get_or_create(code=code, defaults={"name": name, "order": order})
        if not created:
            continue
        checklist = ChecklistTemplate.objects.create(meeting_type=mtype, name=f"{name}会务清单")
        for i, (icode, iname, offset, owner, devices, ladder) in enumerate(CHECKLIST):
            if icode == "notice" and notice_offset:
                offset = notice_offset
            ChecklistTemplateItem.objects.create(
                template=checklist,
                order=i,
                code=icode,
                name=iname,
                offset_minutes=offset,
                owner_kind=owner,
                needs_devices=devices,
                ladder_code=ladder,
            )


def ensure_defaults() -> None:
    from django.apps import apps

    from office.clock.models import LadderTemplate

    from .models import MeetingType

    if (
        LadderTemplate.objects.filter(code__in=list(LADDERS)).count() < len(LADDERS)
        or not MeetingType.objects.exists()
    ):
        seed_defaults(apps.get_model)
