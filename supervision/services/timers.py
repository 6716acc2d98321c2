"""The supervision deadlines as timers of the office clock (office.clock): one timer per deadline,
keyed by (subject, kind, step) so a deadline can never fire twice."""

from office.clock.services import timer_cancel, timer_schedule

MILESTONE_DUE = "supervision.milestone_due"
ITEM_DUE = "supervision.item_due"
ACK_DUE = "supervision.ack_due"
STEP_DUE = "supervision.step_due"
COMMUNICATION_LOG_DUE = "supervision.communication_log_due"


def schedule_item_deadlines(item) -> None:
    """Arm the item's due date and every unreported milestone (on issue)."""
    if item.due_at:
        timer_schedule(subject=item, kind=ITEM_DUE, step=item.due_revision, due_at=item.due_at)
    for ms in item.milestones.filter(reported_at__isnull=True):
        timer_schedule(subject=ms, kind=MILESTONE_DUE, due_at=ms.due_at)


def cancel_all(item) -> int:
    """Every unfired timer of the item and of its milestones, units and ladder steps."""
    n = timer_cancel(subject=item)
    for related in (*item.milestones.all(), *item.assignments.all(), *item.ladder_steps.all()):
        n += timer_cancel(subject=related)
    return n


def cancel_step(step) -> int:
    return timer_cancel(subject=step)


__all__ = ["timer_schedule", "timer_cancel", "schedule_item_deadlines", "cancel_all", "cancel_step"]
