"""The ladder templates the campaigns use and the default tags: seeded by migration 0002, and created
again on first use if a template is missing altogether (a database flushed after the migrations ran).
A template an administrator deactivated stays deactivated."""

LADDERS = {
    "suggestions-campaign": (
        "出点子吐心声：截止前提醒",
        "提醒未达到最低条数的人员。起算时间为截止日前两天的提醒时刻（默认 09:00）。",
        [
            ("截止前两天提醒", 0, "suggestions_short", "suggestions.remind_short"),
            ("截止前一天提醒", 24, "suggestions_short", "suggestions.remind_short"),
            ("截止当天上午提醒", 24, "suggestions_short", "suggestions.remind_short"),
        ],
    ),
    "suggestions-reply": (
        "出点子吐心声：答复期限",
        "起算时间为答复期限：到期提醒承办人，仍未答复 48 小时后提醒主任。",
        [
            ("答复到期", 0, "suggestions_assignee", "suggestions.remind_reply"),
            ("答复逾期", 48, "director", "suggestions.remind_reply"),
        ],
    ),
}
TAGS = ("工作机制", "待遇保障", "硬件环境", "队伍建设")


def seed_defaults(LadderTemplate, LadderTemplateStep, Tag) -> None:  # noqa: N803  (models, historical or not)
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
    for name in TAGS:
        Tag.objects.get_or_create(name=name)


def ensure_default_ladders() -> None:
    from office.clock.models import LadderTemplate, LadderTemplateStep

    from .models import Tag

    if LadderTemplate.objects.filter(code__in=list(LADDERS)).count() < len(LADDERS):
        seed_defaults(LadderTemplate, LadderTemplateStep, Tag)
