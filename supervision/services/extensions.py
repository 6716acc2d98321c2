"""Extensions (延期): asked by the lead unit before the due date, decided by the office."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.notifications.services import notify, notify_units
from office.org.types import Actor

from ..models import (
    ACTIVE_STATUSES,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
    Status,
    SupervisionItem,
)
from . import timers
from .common import (
    SupervisionError,
    actor_label,
    actor_user,
    as_due_at,
    checked_item,
    director_users,
    item_url,
    refresh_next_milestone,
    resolve_open_steps,
    unit_assignment_for_actor,
)


@transaction.atomic
def extension_request(*, actor: Actor, item: SupervisionItem | int, reason: str, new_due) -> ExtensionRequest:
    """延期: asked by the lead unit (or, for an internal assignment, the assignee) before the due date,
    with a reason and a new date."""
    item = checked_item(actor=actor, item=item, action="extend")
    if item.status not in (Status.ISSUED, Status.IN_PROGRESS):
        raise SupervisionError(_("当前状态不能申请延期。"))
    assignment = unit_assignment_for_actor(item, actor)
    now = timezone.now()
    if item.due_at and item.due_at <= now:
        raise SupervisionError(_("已超过办结时限，不能再申请延期。"))
    new_due_at = as_due_at(new_due)
    if new_due_at is None or (item.due_at and new_due_at <= item.due_at):
        raise SupervisionError(
            _("延期后的时限须晚于原时限。"),
            code="invalid",
            fields={"new_due": [_("延期后的时限须晚于原时限。")]},
        )
    if item.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise SupervisionError(_("已有待审批的延期申请。"))
    if not (reason or "").strip():
        raise SupervisionError(
            _("请填写延期理由。"), code="invalid", fields={"reason": [_("请填写延期理由。")]}
        )
    ext = ExtensionRequest(
        item=item,
        unit=assignment.unit if assignment else item.lead_unit,
        requested_by_label=actor_label(actor)[:100],
        reason=reason.strip(),
        old_due_at=item.due_at,
        new_due_at=new_due_at,
    )
    ext.full_clean()
    ext.save()
    audit_record(
        actor=actor,
        verb="supervision.extension_requested",
        subject=item,
        data={"extension": ext.pk, "new_due_at": new_due_at, "reason": reason},
    )
    recipients = list(item.commissioners.all()) or director_users()
    notify(
        recipients=recipients,
        subject=item,
        step=f"extension:{ext.pk}",
        title=_("{number}申请延期").format(number=item.number),
        body=reason[:200],
        url=item_url(item),
        level="warning",
    )
    return ext


@transaction.atomic
def extension_decide(*, actor: Actor, extension, approve: bool, note: str = "") -> ExtensionRequest:
    """Approval moves the due date and stops the ladder's open step; refusal keeps everything."""
    ext = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    item = checked_item(actor=actor, item=ext.item_id, action="decide_extension")
    if ext.status != ExtensionStatus.PENDING:
        raise SupervisionError(_("该延期申请已处理。"))
    if not approve and not (note or "").strip():
        raise SupervisionError(
            _("不予批准须说明理由。"), code="invalid", fields={"note": [_("请填写理由。")]}
        )
    ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    ext.decided_by = actor_user(actor)
    ext.decided_at = timezone.now()
    ext.decision_note = note
    ext.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve and item.status in ACTIVE_STATUSES:
        timers.timer_cancel(subject=item, kind=timers.ITEM_DUE)
        item.due_at = ext.new_due_at
        item.due_revision += 1
        item.save(update_fields=["due_at", "due_revision", "updated_at"])
        timers.timer_schedule(subject=item, kind=timers.ITEM_DUE, step=item.due_revision, due_at=item.due_at)
        # Milestones beyond the new date move with it; the open ladder step stops.
        for ms in item.milestones.filter(reported_at__isnull=True, due_at__gt=ext.new_due_at):
            Milestone.objects.filter(pk=ms.pk).update(due_at=ext.new_due_at)
            timers.timer_schedule(subject=ms, kind=timers.MILESTONE_DUE, due_at=ext.new_due_at)
        refresh_next_milestone(item)
        resolve_open_steps(item, "延期获批")
    audit_record(
        actor=actor,
        verb="supervision.extension_" + ("approved" if approve else "refused"),
        subject=item,
        data={"extension": ext.pk, "new_due_at": ext.new_due_at, "note": note},
    )
    if ext.unit_id:
        notify_units(
            units=[ext.unit],
            subject=item,
            step=f"extension_decided:{ext.pk}",
            title=_("{number}延期申请").format(number=item.number)
            + (_("已批准") if approve else _("未获批准")),
            body=note,
            url=item_url(item),
        )
    return ext
