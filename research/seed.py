"""The ladder templates 政研 uses: seeded by migration 0002, created again on first use if a template is
missing altogether (a database flushed after the migrations ran). A template an administrator
deactivated stays deactivated; an edited one is left alone."""

LADDERS = {
    "research-milestone": (
        "政研：课题节点期限",
        "起算时间为节点的完成期限：到期提醒牵头研究人员，仍未完成 1 个工作日后提请分管政研室的副主任督促。",
        [
            ("节点到期提醒", {"wait_hours": 0}, "research_lead", "research.milestone_due"),
            ("逾期提请分管领导", {"wait_working_days": 1}, "research_deputy", "research.milestone_due"),
        ],
    ),
    "research-call": (
        "政研：选题征集截止",
        "起算时间为截止前的提醒时刻（默认截止前 3 天）：提醒各单位和办公室干部提出选题。"
        "截止时征集自动结束（时钟定时器），并通知政研室汇总建议、编制年度计划。",
        [
            ("截止前提醒", {"wait_hours": 0}, "research_call_audience", "research.call_remind"),
        ],
    ),
}


def seed_defaults(LadderTemplate, LadderTemplateStep) -> None:  # noqa: N803  (models, historical or not)
    for code, (name, description, steps) in LADDERS.items():
        template, created = LadderTemplate.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        if created:
            for order, (step_name, wait, recipients, action) in enumerate(steps):
                LadderTemplateStep.objects.create(
                    template=template,
                    order=order,
                    name=step_name,
                    recipients=recipients,
                    action=action,
                    **wait,
                )


def ensure_default_ladders() -> None:
    from office.clock.models import LadderTemplate, LadderTemplateStep

    if LadderTemplate.objects.filter(code__in=list(LADDERS)).count() < len(LADDERS):
        seed_defaults(LadderTemplate, LadderTemplateStep)
