"""The ladder template the review campaigns use: seeded by migration 0002, and created again on first use if
it is missing altogether (a database flushed after the migrations ran). A template an administrator
deactivated stays deactivated; its steps are editable in the admin (时钟与督促 → 督促流程模板)."""

LADDERS = {
    "risks-campaign": (
        "岗位风险排查：自查督促",
        "起算时间为截止前 48 小时：提醒尚未提交自查的在岗人员两次，逾期一天后提醒其科长。",
        [
            ("截止前两天提醒", 0, "risks_pending_reviewers", "risks.remind_reviews"),
            ("截止当天提醒", 40, "risks_pending_reviewers", "risks.remind_reviews"),
            ("逾期提醒科长", 32, "risks_pending_chiefs", "risks.remind_reviews"),
        ],
    ),
}


def seed_defaults(LadderTemplate, LadderTemplateStep) -> None:  # noqa: N803  (models, historical or not)
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


def ensure_default_ladders() -> None:
    from office.clock.models import LadderTemplate, LadderTemplateStep

    if LadderTemplate.objects.filter(code__in=list(LADDERS)).count() < len(LADDERS):
        seed_defaults(LadderTemplate, LadderTemplateStep)
