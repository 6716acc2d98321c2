"""The clock's own timer handlers and ladder actions (apps register theirs in their handlers.py)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record

from .models import LadderStatus, LadderStepStatus, SubjectLadderStep
from .registry import get_ladder_action, ladder_action, resolve_recipients, timer_handler
from .services.ladders import LADDER_STEP_KIND

CLOCK_LABEL = "时钟"


def _person(user) -> dict:
    staff = getattr(user, "staff", None)
    return {"id": user.pk, "name": staff.name if staff else user.get_username()}


@timer_handler(LADDER_STEP_KIND)
def fire_ladder_step(timer) -> None:
    """One frozen ladder step: resolve who is in charge now, run the step's action, mark it fired."""
    step_id = (timer.data or {}).get("ladder_step") or timer.step
    step = SubjectLadderStep.objects.select_for_update().select_related("ladder").filter(pk=step_id).first()
    if step is None or step.status != LadderStepStatus.PENDING or step.ladder.status != LadderStatus.RUNNING:
        return  # stopped, paused, or already done: nothing to do, and firing again does nothing
    subject = timer.subject
    if subject is None:
        return  # the subject is gone
    recipients = resolve_recipients(step.recipients, subject)
    get_ladder_action(step.action)(subject, step, recipients)
    now = timezone.now()
    step.status, step.fired_at = LadderStepStatus.FIRED, now
    step.recipients_resolved = [_person(u) for u in recipients]
    step.save(update_fields=["status", "fired_at", "recipients_resolved"])
    ladder = step.ladder
    if not ladder.steps.filter(status=LadderStepStatus.PENDING).exists():
        ladder.status, ladder.ended_at = LadderStatus.COMPLETED, now
        ladder.save(update_fields=["status", "ended_at"])
    audit_record(
        actor=None,
        actor_label=CLOCK_LABEL,
        verb="clock.ladder_step_fired",
        subject=subject,
        data={
            "ladder": ladder.template_code,
            "step": step.order,
            "name": step.name,
            "recipients": [p["name"] for p in step.recipients_resolved],
        },
    )


@timer_handler("clock.probe")
def fire_probe(timer) -> None:
    """Does nothing: used by the benchmark and by administrators to see the clock fire."""


@ladder_action("clock.notify")
def notify_step(subject, step, recipients) -> None:
    """The generic ladder action: tell the step's recipients that the step was reached."""
    from office.notifications.services import notify

    if not recipients:
        # Nobody holds the role right now: fail loudly (retried, then shown on the clock page) rather
        # than mark the step done with no one told.
        raise LookupError(f"督促步骤“{step.name}”没有可通知的人员（{step.recipients}）")

    notify(
        recipients=recipients,
        subject=subject,
        step=f"clock.ladder:{step.ladder_id}:{step.order}",
        title=f"{step.name}：{subject}",
        body=_("{template_name} 第 {step} 步“{name}”已到期。").format(
            template_name=step.ladder.template_name, step=step.order + 1, name=step.name
        ),
        url=getattr(subject, "get_absolute_url", lambda: "")(),
        level="urgent" if step.order >= 2 else "warning",
    )
