"""Escalation ladders: a template's steps frozen onto a subject, each step a timer of the clock.

Step N is due at (step N-1's due time, or the anchor) + its wait, in hours or in working days (the
closing time of the Nth working day). All pending steps are scheduled as timers when the ladder
starts, so the whole plan is visible at once; who receives a step is resolved when it fires.
"""

from datetime import datetime, timedelta
from typing import cast

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.types import Actor
from office.workdays.services import add_working_days, working_days_between

from ..models import (
    LadderStatus,
    LadderStepStatus,
    LadderTemplate,
    SubjectLadder,
    SubjectLadderStep,
)
from .errors import ClockError
from .timers import TimerSpec, timer_cancel, timers_schedule

LADDER_STEP_KIND = "clock.ladder_step"
LIVE = (LadderStatus.RUNNING, LadderStatus.PAUSED)


def _ct(subject):
    return ContentType.objects.get_for_model(subject)


def _ladders_of(subject):
    return SubjectLadder.objects.filter(subject_type=_ct(subject), subject_id=str(subject.pk))


def _live_ladder(subject, *, lock: bool = True) -> SubjectLadder | None:
    qs = _ladders_of(subject).filter(status__in=LIVE)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def step_due(previous: datetime, step) -> datetime:
    if step.wait_working_days is not None:
        return add_working_days(previous, step.wait_working_days)
    return previous + timedelta(hours=float(step.wait_hours or 0))


def _pending_steps(ladder: SubjectLadder) -> list[SubjectLadderStep]:
    return list(ladder.steps.select_for_update().filter(status=LadderStepStatus.PENDING).order_by("order"))


def _retime(steps: list[SubjectLadderStep], anchor: datetime) -> None:
    previous = anchor
    for step in steps:
        step.due_at = step_due(previous, step)
        previous = step.due_at
    SubjectLadderStep.objects.bulk_update(steps, ["due_at"])


def _schedule(subject, steps: list[SubjectLadderStep]) -> None:
    """Every pending step's timer, in one read and one insert (``timers_schedule``)."""
    timers_schedule(
        subject=subject,
        timers=[
            TimerSpec(
                kind=LADDER_STEP_KIND,
                step=step.pk,
                due_at=cast(datetime, step.due_at),  # every pending step has been timed
                data={"ladder_step": step.pk},
            )
            for step in steps
        ],
    )


@transaction.atomic
def ladder_start(
    *, subject, template_code: str, anchor: datetime | None = None, start_step: int = 0, actor=None
) -> SubjectLadder:
    """Freeze the template's steps onto ``subject`` and schedule them. ``start_step`` (0-based) enters the
    ladder at a higher step: the steps before it are marked skipped and it waits its own wait from the anchor."""
    template = LadderTemplate.objects.filter(code=template_code, is_active=True).first()
    if template is None:
        raise ClockError(
            _("督促流程模板“{template_code}”不存在或已停用。").format(template_code=template_code)
        )
    source = list(template.steps.order_by("order", "id"))
    if not source:
        raise ClockError(_("督促流程模板“{name}”没有任何步骤。").format(name=template.name))
    if not 0 <= start_step < len(source):
        raise ClockError(_("起始步骤超出范围（共 {count} 步）。").format(count=len(source)))
    if _live_ladder(subject) is not None:
        raise ClockError(_("该事项已有进行中的督促流程，请先终止后再启动。"))
    anchor = anchor or timezone.now()
    ladder = SubjectLadder.objects.create(
        subject_type=_ct(subject),
        subject_id=str(subject.pk),
        template=template,
        template_code=template.code,
        template_name=template.name,
        status=LadderStatus.RUNNING,
        anchor_at=anchor,
        started_by=actor if isinstance(actor, get_user_model()) else None,
    )
    steps = SubjectLadderStep.objects.bulk_create(
        [
            SubjectLadderStep(
                ladder=ladder,
                order=i,
                name=s.name,
                wait_hours=s.wait_hours,
                wait_working_days=s.wait_working_days,
                recipients=s.recipients,
                action=s.action,
                status=LadderStepStatus.SKIPPED if i < start_step else LadderStepStatus.PENDING,
            )
            for i, s in enumerate(source)
        ]
    )
    pending = [s for s in steps if s.status == LadderStepStatus.PENDING]
    _retime(pending, anchor)
    _schedule(subject, pending)
    audit_record(
        actor=actor,
        actor_label="" if actor else "时钟",
        verb="clock.ladder_started",
        subject=subject,
        data={"template": template.code, "start_step": start_step, "anchor": anchor.isoformat()},
    )
    return ladder


def _require_live(subject) -> SubjectLadder:
    ladder = _live_ladder(subject)
    if ladder is None:
        raise ClockError(_("该事项没有进行中的督促流程。"))
    return ladder


@transaction.atomic
def ladder_pause(*, subject, actor: Actor = None, reason: str = "") -> SubjectLadder:
    ladder = _require_live(subject)
    if ladder.status != LadderStatus.RUNNING:
        raise ClockError(_("督促流程已暂停。"))
    ladder.status, ladder.paused_at, ladder.reason = LadderStatus.PAUSED, timezone.now(), reason[:200]
    ladder.save(update_fields=["status", "paused_at", "reason"])
    timer_cancel(subject=subject, kind=LADDER_STEP_KIND)
    audit_record(actor=actor, verb="clock.ladder_paused", subject=subject, data={"reason": reason})
    return ladder


def _shift_by_pause(steps: list[SubjectLadderStep], *, paused_at: datetime, now: datetime) -> None:
    """Move pending steps later by the pause: hour waits by its duration, working-day waits by the
    working days it covered (so they still end at closing time). A deadline that passed during a short
    pause gets back the time it had left when the ladder was paused."""
    elapsed = now - paused_at
    lost_days = working_days_between(paused_at, now)
    for step in steps:
        due_at = cast(datetime, step.due_at)  # every pending step has been timed
        if step.wait_working_days is not None:
            due = add_working_days(due_at, lost_days) if lost_days else due_at
        else:
            due = due_at + elapsed
        if due <= now:
            due = now + max(due_at - paused_at, timedelta(0))
        step.due_at = due
    SubjectLadderStep.objects.bulk_update(steps, ["due_at"])


@transaction.atomic
def ladder_resume(*, subject, actor: Actor = None, anchor: datetime | None = None) -> SubjectLadder:
    """Resume a paused ladder. With ``anchor`` the pending steps are re-timed from it; without, every
    pending step moves later by the pause (the clock stood still meanwhile, see ``_shift_by_pause``)."""
    ladder = _require_live(subject)
    if ladder.status != LadderStatus.PAUSED:
        raise ClockError(_("督促流程未暂停，无需恢复。"))
    now = timezone.now()
    steps = _pending_steps(ladder)
    if anchor is not None:
        _retime(steps, anchor)
    else:
        _shift_by_pause(steps, paused_at=ladder.paused_at or now, now=now)
    ladder.status, ladder.paused_at = LadderStatus.RUNNING, None
    ladder.save(update_fields=["status", "paused_at"])
    _schedule(subject, steps)
    audit_record(
        actor=actor,
        verb="clock.ladder_resumed",
        subject=subject,
        data={"anchor": anchor.isoformat() if anchor else None},
    )
    return ladder


@transaction.atomic
def ladder_stop(*, subject, actor: Actor = None, reason: str = "") -> SubjectLadder | None:
    """Stop the subject's ladder and cancel its timers. Quietly does nothing when none is live, so a
    subject that closes can always call it."""
    ladder = _live_ladder(subject)
    if ladder is None:
        return None
    now = timezone.now()
    ladder.status, ladder.ended_at, ladder.paused_at, ladder.reason = (
        LadderStatus.STOPPED,
        now,
        None,
        reason[:200],
    )
    ladder.save(update_fields=["status", "ended_at", "paused_at", "reason"])
    ladder.steps.filter(status=LadderStepStatus.PENDING).update(status=LadderStepStatus.CANCELLED)
    timer_cancel(subject=subject, kind=LADDER_STEP_KIND)
    audit_record(actor=actor, verb="clock.ladder_stopped", subject=subject, data={"reason": reason})
    return ladder


@transaction.atomic
def ladder_restart_from(*, subject, anchor: datetime, actor: Actor = None) -> SubjectLadder:
    """Re-time the pending steps from ``anchor`` (e.g. an approved extension of the deadline)."""
    ladder = _require_live(subject)
    steps = _pending_steps(ladder)
    _retime(steps, anchor)
    if ladder.status == LadderStatus.RUNNING:
        _schedule(subject, steps)
    ladder.anchor_at = anchor
    ladder.save(update_fields=["anchor_at"])
    audit_record(
        actor=actor, verb="clock.ladder_retimed", subject=subject, data={"anchor": anchor.isoformat()}
    )
    return ladder


def ladder_plan(subject) -> list[dict]:
    """The whole plan of the subject's latest ladder: every step with its due time and status."""
    from ..selectors import ladder_plan as _plan

    return _plan(subject)


def ladder_next_action(subject) -> dict | None:
    from ..selectors import ladder_next_action as _next

    return _next(subject)
