"""Demo data: a generic three-step escalation ladder (apps add their own ladders in their demo/migrations)."""

from .models import LadderTemplate, LadderTemplateStep

GENERIC_LADDER = {
    "code": "generic-3step",
    "name": "通用三级督促",
    "description": "到期提醒科室负责人，逾期一个工作日提请分管领导督促，再逾期一个工作日报主任督办。",
    "steps": [
        {"order": 1, "name": "到期提醒", "wait_working_days": 2, "recipients": "role:section_chief"},
        {"order": 2, "name": "分管领导督促", "wait_working_days": 1, "recipients": "deputy_directors"},
        {"order": 3, "name": "主任督办", "wait_working_days": 1, "recipients": "director"},
    ],
}


def populate(stdout) -> None:
    spec = GENERIC_LADDER
    template, created = LadderTemplate.objects.get_or_create(
        code=spec["code"], defaults={"name": spec["name"], "description": spec["description"]}
    )
    for step in spec["steps"]:
        LadderTemplateStep.objects.get_or_create(
            template=template,
            order=step["order"],
            defaults={
                "name": step["name"],
                "wait_working_days": step["wait_working_days"],
                "recipients": step["recipients"],
                "action": "clock.notify",
            },
        )
    stdout.write(f"clock: ladder template {template.code} {'created' if created else 'present'}\n")
