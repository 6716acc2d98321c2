"""Feedback (反馈): progress, per milestone or not, and the result; the director hears at once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.files.validation import check_upload
from office.org.types import Actor

from .. import access
from ..models import (
    Feedback,
    FeedbackKind,
    FeedbackReview,
    ItemUnit,
    Milestone,
    Status,
    SupervisionItem,
)
from . import timers
from .common import (
    SupervisionError,
    actor_label,
    actor_user,
    checked_item,
    item_url,
    notify_audience,
    refresh_next_milestone,
    resolve_open_steps,
    unit_assignment_for_actor,
)


@transaction.atomic
def feedback_submit(
    *,
    actor: Actor,
    item: SupervisionItem | int,
    content: str,
    kind: str = FeedbackKind.PROGRESS,
    milestone=None,
    attachment=None,
) -> Feedback:
    """反馈 (progress, optionally for a milestone) or the result (办理结果). The director hears at once.

    An attachment is checked by content and size (``check_upload``) before anything is written, and
    stored under a random name; its original name is kept as ``attachment_name``."""
    action = "result" if kind == FeedbackKind.RESULT else "feedback"
    item = checked_item(actor=actor, item=item, action=action)
    if kind not in FeedbackKind.values:
        raise SupervisionError(
            _("反馈类型不正确。"), code="invalid", fields={"kind": [_("反馈类型不正确。")]}
        )
    if item.status not in (Status.ISSUED, Status.IN_PROGRESS):
        raise SupervisionError(_("当前状态不能报送反馈。"))
    if not (content or "").strip():
        raise SupervisionError(
            _("请填写反馈内容。"), code="invalid", fields={"content": [_("请填写反馈内容。")]}
        )
    if milestone is not None and milestone.item_id != item.pk:
        raise SupervisionError(_("节点不属于该事项。"), code="invalid")
    checked = check_upload(attachment, field="attachment") if attachment else None
    assignment = unit_assignment_for_actor(item, actor)
    now = timezone.now()
    fb = Feedback(
        item=item,
        kind=kind,
        content=content.strip(),
        milestone=milestone,
        unit=assignment.unit if assignment else item.lead_unit,
        submitted_by=actor_user(actor),
        submitted_by_label=actor_label(actor)[:100],
        submitted_at=now,
    )
    if checked is not None:
        fb.attachment = checked.file
        fb.attachment_name = checked.original_name
    fb.full_clean()
    fb.save()
    if assignment is not None and not assignment.acknowledged_at:
        # Reporting is acknowledging by deed.
        ItemUnit.objects.filter(pk=assignment.pk).update(
            acknowledged_at=now, acknowledged_by=actor_label(actor)[:100]
        )
        timers.timer_cancel(subject=assignment, kind=timers.ACK_DUE)
    fields = ["last_feedback_at", "progress", "updated_at"]
    item.last_feedback_at = now
    item.progress = fb.content[:2000]
    if milestone is not None and milestone.reported_at is None:
        Milestone.objects.filter(pk=milestone.pk).update(reported_at=now)
        timers.timer_cancel(subject=milestone)
        refresh_next_milestone(item)
    if kind == FeedbackKind.RESULT:
        item.status = Status.SUBMITTED
        fields.append("status")
    elif item.status == Status.ISSUED:
        item.status = Status.IN_PROGRESS
        fields.append("status")
    item.save(update_fields=fields)
    # Catching up ends the open ladder step (a later miss goes one rung higher).
    late = item.milestones.filter(reported_at__isnull=True, due_at__lt=now).exists()
    if kind == FeedbackKind.RESULT or not late:
        resolve_open_steps(item, "单位已报送" + ("办理结果" if kind == FeedbackKind.RESULT else "进展"))
    audit_record(
        actor=actor,
        verb=f"supervision.{kind}_submitted",
        subject=item,
        data={"feedback": fb.pk, "milestone": milestone.title if milestone else None},
    )
    what = _("办理结果") if kind == FeedbackKind.RESULT else _("进展反馈")
    notify_audience(
        item,
        "result" if kind == FeedbackKind.RESULT else "progress",
        step=f"feedback:{fb.pk}",
        title=_("{number}收到{what}").format(number=item.number, what=what),
        body=fb.content[:200],
        level="info",
    )
    return fb


@transaction.atomic
def feedback_review(*, actor: Actor, feedback, accepted: bool, note: str = "") -> Feedback:
    fb = Feedback.objects.select_for_update().select_related("item").get(pk=feedback.pk)
    access.item_access_for_action(actor=actor, item=fb.item, action="review_feedback")
    fb.review = FeedbackReview.ACCEPTED if accepted else FeedbackReview.RETURNED
    fb.review_note = note
    fb.save(update_fields=["review", "review_note"])
    audit_record(
        actor=actor,
        verb="supervision.feedback_reviewed",
        subject=fb.item,
        data={"feedback": fb.pk, "accepted": accepted, "note": note},
    )
    if not accepted and fb.unit_id:
        # The unit learns its report was returned, and why.
        from office.notifications.services import notify_units

        notify_units(
            units=[fb.unit],
            subject=fb,
            step="returned",
            title=_("{number}的进展反馈被退回").format(number=fb.item.number),
            body=note[:200],
            url=item_url(fb.item),
            level="warning",
        )
    return fb
