"""The item's flow: draft → issued → in progress → result submitted → closed (or sent back), and
cancellation. Each transition locks the row, guards the state, writes the audit trail and notifies in
the same transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.models import PENDING_Q
from office.clock.selectors import timers_for_subject
from office.errors import not_found
from office.notifications.services import notify, notify_units
from office.org.types import Actor
from office.workdays.services import add_working_days

from .. import access, conf
from ..models import (
    ACTIVE_STATUSES,
    FeedbackKind,
    FeedbackReview,
    ItemUnit,
    Milestone,
    Status,
    SupervisionItem,
    UnitRole,
)
from . import timers
from .common import (
    SupervisionError,
    actor_label,
    actor_user,
    as_due_at,
    checked_item,
    item_units,
    item_url,
    refresh_next_milestone,
    resolve_open_steps,
    unit_assignment_for_actor,
)
from .numbering import next_item_number


@transaction.atomic
def item_create(
    *,
    actor: Actor,
    title: str,
    requirement: str,
    source: str,
    category: str,
    urgency: str = "normal",
    source_date=None,
    source_ref: str = "",
    instructing_leader: str = "",
    lead_unit=None,
    lead_person: str = "",
    assignee=None,
    assisting_units=(),
    commissioners=(),
    due=None,
    due_working_days: int | None = None,
    expected_output: str = "",
    milestones=(),
) -> SupervisionItem:
    """Register an item (draft) with the next number of the year.

    ``due`` is a date or datetime; or give ``due_working_days`` (counted from issue). ``milestones``
    is a list of (title, date-or-datetime).
    """
    access.item_access_for_action(actor=actor, item=None, action="create")
    if lead_unit is None and assignee is None:
        raise SupervisionError(
            _("请指定主办单位，或内部交办的承办人。"),
            code="invalid",
            fields={"lead_unit": [_("请指定主办单位。")]},
        )
    if due is None and not due_working_days:
        due_working_days = conf.default_due_working_days()
    now = timezone.localtime()
    seq, number = next_item_number(now.year)
    item = SupervisionItem(
        number=number,
        year=now.year,
        seq=seq,
        title=title,
        requirement=requirement,
        source=source,
        source_date=source_date,
        source_ref=source_ref,
        instructing_leader=instructing_leader,
        category=category,
        urgency=urgency,
        lead_unit=lead_unit,
        lead_person=lead_person,
        assignee=assignee,
        due_at=as_due_at(due),
        due_working_days=None if due else due_working_days,
        expected_output=expected_output,
        created_by=actor_user(actor),
    )
    item.full_clean()
    item.save()
    if lead_unit is not None:
        ItemUnit.objects.create(item=item, unit=lead_unit, role=UnitRole.LEAD)
    for unit in assisting_units:
        if lead_unit is None or unit.pk != lead_unit.pk:
            ItemUnit.objects.get_or_create(item=item, unit=unit, defaults={"role": UnitRole.ASSIST})
    if commissioners:
        item.commissioners.set(list(commissioners))
    for order, (ms_title, ms_due) in enumerate(milestones, start=1):
        Milestone.objects.create(item=item, order=order, title=ms_title, due_at=as_due_at(ms_due))
    refresh_next_milestone(item)
    audit_record(
        actor=actor,
        verb="supervision.item_created",
        subject=item,
        data={
            "number": number,
            "title": title,
            "source": source,
            "lead_unit": lead_unit.name if lead_unit else None,
        },
    )
    return item


@transaction.atomic
def item_update(*, actor: Actor, item: SupervisionItem | int, updated_at=None, **fields) -> SupervisionItem:
    """Edit a draft. ``updated_at`` (the version the form showed) refuses a stale edit."""
    item = checked_item(actor=actor, item=item, action="edit")
    if item.status != Status.DRAFT:
        raise SupervisionError(_("只有草稿状态的事项可以修改。"))
    if updated_at is not None and abs((item.updated_at - updated_at).total_seconds()) > 0.001:
        raise SupervisionError(_("该事项已被他人修改，请刷新后重试。"))
    allowed = {
        "title",
        "requirement",
        "source",
        "source_date",
        "source_ref",
        "instructing_leader",
        "category",
        "urgency",
        "lead_person",
        "expected_output",
        "due_working_days",
    }
    changed = []
    for name, value in fields.items():
        if name == "due":
            item.due_at = as_due_at(value)
            changed.append("due_at")
        elif name in allowed:
            setattr(item, name, value)
            changed.append(name)
    item.full_clean()
    item.save(update_fields=[*changed, "updated_at"])
    audit_record(actor=actor, verb="supervision.item_updated", subject=item, data={"fields": sorted(changed)})
    return item


@transaction.atomic
def milestone_add(*, actor: Actor, item: SupervisionItem | int, title: str, due) -> Milestone:
    item = checked_item(actor=actor, item=item, action="add_milestone")
    if item.status in (Status.CLOSED, Status.CANCELLED):
        raise SupervisionError(_("事项已结束，不能再增加节点。"))
    order = item.milestones.count() + 1
    ms = Milestone(item=item, order=order, title=title, due_at=as_due_at(due))
    ms.full_clean()
    ms.save()
    refresh_next_milestone(item)
    if item.status in ACTIVE_STATUSES:
        timers.timer_schedule(subject=ms, kind=timers.MILESTONE_DUE, due_at=ms.due_at)
    audit_record(
        actor=actor,
        verb="supervision.milestone_added",
        subject=item,
        data={"title": title, "due_at": ms.due_at},
    )
    return ms


def milestone_movable(item: SupervisionItem, milestone: Milestone) -> bool:
    """Whether a node can still be moved (the rule ``milestone_reschedule`` enforces, for the page): the
    item not finished, the node neither reported nor missed."""
    return (
        item.status not in (Status.CLOSED, Status.CANCELLED)
        and milestone.reported_at is None
        and milestone.missed_at is None
    )


@transaction.atomic
def milestone_reschedule(
    *, actor: Actor, item: SupervisionItem | int, milestone: Milestone | int, due, reason: str
) -> Milestone:
    """Move a node of the work plan that is still ahead (督办室, the leaders), with a reason: its reminder
    moves with it and the units are told. A node already reported stays as it was; a node already
    missed stays missed (the miss is counted on the ladder and no new date takes it back); no node goes
    past the item's deadline (more time for the whole item is an extension request)."""
    item = checked_item(actor=actor, item=item, action="reschedule_milestone")
    ms_pk = milestone.pk if isinstance(milestone, Milestone) else milestone
    found = Milestone.objects.filter(pk=ms_pk, item=item).first()
    if found is None:
        raise not_found(_("该工作节点不存在。"))
    # Its unfired timer first, then the node: the order in which the clock's sweep takes them (a claimed
    # timer, then its node, supervision.handlers), so that moving a node as it falls due cannot deadlock;
    # a sweep firing it meanwhile commits first, and the node is then found missed.
    list(
        timers_for_subject(found)
        .filter(PENDING_Q, kind=timers.MILESTONE_DUE)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ms = Milestone.objects.select_for_update().get(pk=ms_pk)
    if item.status in (Status.CLOSED, Status.CANCELLED):
        raise SupervisionError(_("事项已结束，不能调整节点。"))
    if ms.reported_at is not None:
        raise SupervisionError(_("该节点已反馈，不能调整。"))
    if ms.missed_at is not None:
        raise SupervisionError(_("该节点已逾期，逾期已记入督办；调整节点不能消除逾期，请督促反馈。"))
    reason = (reason or "").strip()
    if not reason:
        raise SupervisionError(_("请写明调整理由。"), code="invalid", fields={"reason": [_("必填")]})
    new_due = as_due_at(due)
    now = timezone.now()
    if new_due is None or new_due <= now:
        raise SupervisionError(
            _("新的节点时间应晚于现在。"), code="invalid", fields={"due": [_("应晚于现在")]}
        )
    if item.due_at is not None and new_due > item.due_at:
        raise SupervisionError(
            _("节点时间不能晚于办结时限（{due:%Y-%m-%d}）；需要更多时间请走延期申请。").format(
                due=timezone.localtime(item.due_at)
            ),
            code="invalid",
            fields={"due": [_("晚于办结时限")]},
        )
    if new_due == ms.due_at:
        raise SupervisionError(_("节点时间没有变化。"), code="invalid", fields={"due": [_("没有变化")]})
    old_due = ms.due_at
    ms.due_at = new_due
    ms.save(update_fields=["due_at"])
    refresh_next_milestone(item)
    if item.status in ACTIVE_STATUSES:
        timers.timer_schedule(subject=ms, kind=timers.MILESTONE_DUE, due_at=new_due)
    audit_record(
        actor=actor,
        verb="supervision.milestone_rescheduled",
        subject=item,
        data={"title": ms.title, "from": old_due, "to": new_due, "reason": reason},
    )
    if item.status in ACTIVE_STATUSES:
        notify_units(
            units=[a.unit for a in item.assignments.select_related("unit")],
            subject=item,
            step=f"milestone:{ms.pk}:{int(new_due.timestamp())}",
            title=_("{number}工作节点“{title}”调整为 {due:%m月%d日}").format(
                number=item.number, title=ms.title, due=timezone.localtime(new_due)
            ),
            body=reason[:200],
            url=item_url(item),
        )
    return ms


@transaction.atomic
def item_issue(*, actor: Actor, item: SupervisionItem | int) -> SupervisionItem:
    """交办: units are notified and must acknowledge within the acknowledgement deadline."""
    item = checked_item(actor=actor, item=item, action="issue")
    if item.status != Status.DRAFT:
        raise SupervisionError(_("只有草稿状态的事项可以交办。"))
    now = timezone.now()
    if item.due_at is None:
        item.due_at = add_working_days(now, item.due_working_days or conf.default_due_working_days())
    if item.due_at <= now:
        raise SupervisionError(_("办结时限已过，请修改时限后再交办。"), code="invalid")
    item.status = Status.ISSUED
    item.issued_at = now
    item.full_clean()
    item.save(update_fields=["status", "issued_at", "due_at", "updated_at"])
    ack_due = add_working_days(now, conf.ack_working_days())
    assignments = list(item.assignments.select_related("unit"))
    for a in assignments:
        a.ack_due_at = ack_due
        a.save(update_fields=["ack_due_at"])
        timers.timer_schedule(subject=a, kind=timers.ACK_DUE, due_at=ack_due)
    timers.schedule_item_deadlines(item)
    audit_record(
        actor=actor,
        verb="supervision.item_issued",
        subject=item,
        data={"due_at": item.due_at, "units": [a.unit.name for a in assignments]},
    )
    title = _("督办事项交办：{number} {title}").format(number=item.number, title=item.title)
    body = _("请于{ack_due:%Y-%m-%d %H:%M}前签收，办结时限{due_at:%Y-%m-%d}。").format(
        ack_due=timezone.localtime(ack_due), due_at=timezone.localtime(item.due_at)
    )
    if assignments:
        notify_units(
            units=[a.unit for a in assignments],
            subject=item,
            step="issued",
            title=title,
            body=body,
            url=item_url(item),
            level="warning" if item.urgency == "urgent" else "info",
        )
    if item.assignee_id:
        notify(
            recipients=[item.assignee],
            subject=item,
            step="issued",
            title=title,
            body=body,
            url=item_url(item),
        )
    if item.commissioners.exists():
        notify(
            recipients=list(item.commissioners.all()),
            subject=item,
            step="issued",
            title=title,
            body=body,
            url=item_url(item),
        )
    return item


@transaction.atomic
def item_acknowledge(*, actor: Actor, item: SupervisionItem | int, unit=None) -> ItemUnit:
    """签收 by the actor's unit (or, for office staff, on behalf of ``unit``)."""
    item = checked_item(actor=actor, item=item, action="acknowledge")
    if item.status not in ACTIVE_STATUSES:
        raise SupervisionError(_("该事项不在办理中，无需签收。"))
    assignment = unit_assignment_for_actor(item, actor)
    if assignment is None:
        if unit is None:
            raise SupervisionError(_("请选择签收单位。"), code="invalid")
        assignment = ItemUnit.objects.filter(item=item, unit=unit).first()
        if assignment is None:
            raise SupervisionError(_("该单位不是本事项的承办单位。"), code="invalid")
    assignment = ItemUnit.objects.select_for_update().get(pk=assignment.pk)
    if assignment.acknowledged_at:
        raise SupervisionError(_("本单位已签收。"))
    assignment.acknowledged_at = timezone.now()
    assignment.acknowledged_by = actor_label(actor)[:100]
    assignment.save(update_fields=["acknowledged_at", "acknowledged_by"])
    timers.timer_cancel(subject=assignment, kind=timers.ACK_DUE)
    if item.status == Status.ISSUED and not item.assignments.filter(acknowledged_at__isnull=True).exists():
        item.status = Status.IN_PROGRESS
        item.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, verb="supervision.item_acknowledged", subject=item, data={"unit": assignment.unit.name}
    )
    return assignment


@transaction.atomic
def item_close(*, actor: Actor, item: SupervisionItem | int, note: str = "") -> SupervisionItem:
    """办结/销号: the office verified the result; every timer of the item is cancelled."""
    item = checked_item(actor=actor, item=item, action="close")
    if item.status != Status.SUBMITTED:
        raise SupervisionError(_("只有已报送办理结果的事项可以办结。"))
    item.status = Status.CLOSED
    item.closed_at = timezone.now()
    item.status_note = note
    item.save(update_fields=["status", "closed_at", "status_note", "updated_at"])
    item.feedback.filter(kind=FeedbackKind.RESULT, review=FeedbackReview.PENDING).update(
        review=FeedbackReview.ACCEPTED, review_note=note
    )
    resolve_open_steps(item, "事项已办结")
    cancelled = timers.cancel_all(item)
    audit_record(
        actor=actor,
        verb="supervision.item_closed",
        subject=item,
        data={"note": note, "timers_cancelled": cancelled},
    )
    units = item_units(item)
    if units:
        notify_units(
            units=units,
            subject=item,
            step="closed",
            title=_("督办事项已办结：{number}").format(number=item.number),
            url=item_url(item),
        )
    return item


@transaction.atomic
def item_send_back(*, actor: Actor, item: SupervisionItem | int, reason: str) -> SupervisionItem:
    """退回重办 with reasons: back to in progress; the result feedback is marked returned."""
    item = checked_item(actor=actor, item=item, action="send_back")
    if item.status != Status.SUBMITTED:
        raise SupervisionError(_("只有已报送办理结果的事项可以退回。"))
    if not (reason or "").strip():
        raise SupervisionError(
            _("请填写退回理由。"), code="invalid", fields={"reason": [_("请填写退回理由。")]}
        )
    item.status = Status.IN_PROGRESS
    item.status_note = reason.strip()
    item.save(update_fields=["status", "status_note", "updated_at"])
    item.feedback.filter(kind=FeedbackKind.RESULT, review=FeedbackReview.PENDING).update(
        review=FeedbackReview.RETURNED, review_note=reason.strip()
    )
    # The due-date timer skipped while the result was pending; re-arm it (at least a working day ahead).
    item.due_revision += 1
    item.save(update_fields=["due_revision"])
    soonest = add_working_days(timezone.now(), 1)
    rearm = max(item.due_at, soonest) if item.due_at else soonest
    timers.timer_schedule(subject=item, kind=timers.ITEM_DUE, step=item.due_revision, due_at=rearm)
    audit_record(actor=actor, verb="supervision.item_sent_back", subject=item, data={"reason": reason})
    units = item_units(item)
    if units:
        notify_units(
            units=units,
            subject=item,
            step=f"sent_back:{item.due_revision}",
            title=_("督办事项退回重办：{number}").format(number=item.number),
            body=reason,
            url=item_url(item),
            level="warning",
        )
    return item


@transaction.atomic
def item_cancel(*, actor: Actor, item: SupervisionItem | int, reason: str) -> SupervisionItem:
    item = checked_item(actor=actor, item=item, action="cancel")
    if item.status in (Status.CLOSED, Status.CANCELLED):
        raise SupervisionError(_("事项已结束，不能撤销。"))
    if not (reason or "").strip():
        raise SupervisionError(
            _("请填写撤销理由。"), code="invalid", fields={"reason": [_("请填写撤销理由。")]}
        )
    was_issued = item.status != Status.DRAFT
    item.status = Status.CANCELLED
    item.status_note = reason.strip()
    item.closed_at = timezone.now()
    item.save(update_fields=["status", "status_note", "closed_at", "updated_at"])
    resolve_open_steps(item, "事项已撤销")
    cancelled = timers.cancel_all(item)
    audit_record(
        actor=actor,
        verb="supervision.item_cancelled",
        subject=item,
        data={"reason": reason, "timers_cancelled": cancelled},
    )
    units = item_units(item)
    if was_issued and units:
        notify_units(
            units=units,
            subject=item,
            step="cancelled",
            title=_("督办事项已撤销：{number}").format(number=item.number),
            body=reason,
            url=item_url(item),
        )
    return item
