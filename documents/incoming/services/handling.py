"""初审 (or return), 拟办, 批示, 交办 with a deadline on the office clock, 办复, 办结, 归档."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.clock.services import timer_cancel, timer_schedule
from office.notifications.services import notify, notify_units
from office.org.types import Actor
from office.workdays.services import add_working_days, end_of_day

from .. import access, conf
from ..models import (
    IncomingDocument,
    IncomingStatus,
)
from .common import (
    DUE_TIMER_KIND,
    IncomingError,
    audit,
    checked,
    clerks,
    guard,
    invalid,
    leaders,
    person,
    text,
)


@transaction.atomic
def incoming_check(*, actor: Actor, document: IncomingDocument | int) -> IncomingDocument:
    """初审: complete and ours; it goes on to 拟办."""
    doc = checked(actor=actor, document=document, action="check")
    guard(doc, (IncomingStatus.REGISTERED,), _("只有待初审的来文可以初审。"))
    doc.status = IncomingStatus.CHECKED
    doc.checked_at = timezone.now()
    doc.checked_by = person(actor)
    doc.save(update_fields=["status", "checked_at", "checked_by", "updated_at"])
    audit(actor, "checked", doc)
    return doc


@transaction.atomic
def incoming_return(*, actor: Actor, document: IncomingDocument | int, reason: str) -> IncomingDocument:
    """初审 finds it incomplete or not ours: it goes back to the sender with the reason."""
    doc = checked(actor=actor, document=document, action="return")
    guard(doc, (IncomingStatus.REGISTERED,), _("只有待初审的来文可以退回。"))
    if not text(reason):
        raise invalid("reason", _("请填写退回理由。"))
    doc.status = IncomingStatus.RETURNED
    doc.return_reason = text(reason)[:2000]
    doc.checked_at = timezone.now()
    doc.checked_by = person(actor)
    doc.save(update_fields=["status", "return_reason", "checked_at", "checked_by", "updated_at"])
    audit(actor, "returned", doc, reason=doc.return_reason)
    if doc.sender_unit_id:
        notify_units(
            units=[doc.sender_unit],
            subject=doc,
            step="returned",
            title=_("来文已退回：{title}").format(title=doc.title),
            body=_("退回理由：{reason}").format(reason=doc.return_reason),
            level="warning",
        )
    return doc


@transaction.atomic
def incoming_propose(
    *, actor: Actor, document: IncomingDocument | int, proposal: str, leader=None
) -> IncomingDocument:
    """拟办: the office's proposal; the leader named (or every leader) is asked for a 批示."""
    doc = checked(actor=actor, document=document, action="propose")
    guard(doc, (IncomingStatus.CHECKED, IncomingStatus.PROPOSED), _("来文初审后才能拟办。"))
    if not text(proposal):
        raise invalid("proposal", _("请填写拟办意见。"))
    if leader is not None and not access.can_instruct_any(leader):
        raise invalid("leader", _("呈批领导必须是主任或副主任。"))
    doc.status = IncomingStatus.PROPOSED
    doc.proposal = text(proposal)[:4000]
    doc.proposed_by = person(actor)
    doc.proposed_at = timezone.now()
    doc.save(update_fields=["status", "proposal", "proposed_by", "proposed_at", "updated_at"])
    audit(actor, "proposed", doc, proposal=doc.proposal, leader=leader.get_username() if leader else "")
    notify(
        recipients=[leader] if leader is not None else leaders(),
        subject=doc,
        step="proposed",
        title=_("来文呈批：{title}").format(title=doc.title),
        body=_("拟办意见：{proposal}").format(proposal=doc.proposal),
        url=doc.get_absolute_url(),
        level="warning" if doc.urgency else "info",
    )
    return doc


@transaction.atomic
def incoming_instruct(
    *,
    actor: Actor,
    document: IncomingDocument | int,
    instruction: str,
    deadline: dt.date | None = None,
) -> IncomingDocument:
    """A leader's 批示: text, leader, date, optional deadline. It may be written after the 拟办 or, when a
    leader takes the document up at once, right after the first check."""
    doc = checked(actor=actor, document=document, action="instruct")
    guard(
        doc,
        (IncomingStatus.CHECKED, IncomingStatus.PROPOSED),
        _("该来文不在待批示状态。"),
    )
    if not text(instruction):
        raise invalid("instruction", _("请填写批示内容。"))
    today = timezone.localdate()
    if deadline is not None and deadline < today:
        raise invalid("deadline", _("办理时限不能早于今天。"))
    doc.status = IncomingStatus.INSTRUCTED
    doc.instruction = text(instruction)[:4000]
    doc.instruction_leader = person(actor)
    doc.instructed_on = today
    doc.instruction_deadline = deadline
    doc.save(
        update_fields=[
            "status",
            "instruction",
            "instruction_leader",
            "instructed_on",
            "instruction_deadline",
            "updated_at",
        ]
    )
    audit(
        actor,
        "instructed",
        doc,
        instruction=doc.instruction,
        deadline=deadline.isoformat() if deadline else None,
    )
    notify(
        recipients=clerks(),
        subject=doc,
        step="instructed",
        title=_("领导已批示，待交办：{title}").format(title=doc.title),
        body=doc.instruction,
        url=doc.get_absolute_url(),
    )
    return doc


def _due_at(doc: IncomingDocument, due: dt.date | None) -> dt.datetime:
    if due is not None:
        return end_of_day(due)
    if doc.instruction_deadline is not None:
        return end_of_day(doc.instruction_deadline)
    return add_working_days(timezone.localtime(), conf.default_due_working_days())


def _schedule_due(doc: IncomingDocument) -> None:
    assert doc.due_at is not None
    timer_schedule(subject=doc, kind=DUE_TIMER_KIND, due_at=doc.due_at, step=0)
    escalate = doc.due_at + dt.timedelta(hours=conf.escalate_after_hours())
    timer_schedule(subject=doc, kind=DUE_TIMER_KIND, due_at=escalate, step=1)


@transaction.atomic
def incoming_assign(
    *,
    actor: Actor,
    document: IncomingDocument | int,
    handler=None,
    handler_unit=None,
    due: dt.date | None = None,
) -> IncomingDocument:
    """交办 to a handler (a person of the office) or a unit, with a deadline on the office clock: a
    reminder when it falls due and an escalation to the leader after ``DOCUMENTS_INCOMING_ESCALATE_HOURS``.
    The deadline is the one given, else the 批示's, else ``DOCUMENTS_INCOMING_DUE_WORKING_DAYS``."""
    doc = checked(actor=actor, document=document, action="assign")
    guard(doc, (IncomingStatus.INSTRUCTED,), _("领导批示后才能交办。"))
    if handler is None and handler_unit is None:
        raise invalid("handler", _("请指定承办人或承办单位。"))
    if handler is not None and not access.is_office_staff(handler):
        raise invalid("handler", _("承办人必须是机关工作人员。"))
    if due is not None and due < timezone.localdate():
        raise invalid("due", _("办理时限不能早于今天。"))
    doc.status = IncomingStatus.ASSIGNED
    doc.handler = handler
    doc.handler_unit = handler_unit
    doc.assigned_at = timezone.now()
    doc.due_at = _due_at(doc, due)
    doc.save(update_fields=["status", "handler", "handler_unit", "assigned_at", "due_at", "updated_at"])
    _schedule_due(doc)
    audit(
        actor,
        "assigned",
        doc,
        handler=handler.get_username() if handler else None,
        handler_unit=handler_unit.name if handler_unit else None,
        due_at=doc.due_at.isoformat(),
    )
    title = _("来文交办：{title}").format(title=doc.title)
    body = _("办理时限 {due:%Y-%m-%d %H:%M}。批示：{instruction}").format(
        due=timezone.localtime(doc.due_at), instruction=doc.instruction
    )
    if handler is not None:
        notify(
            recipients=[handler],
            subject=doc,
            step="assigned",
            title=title,
            body=body,
            url=doc.get_absolute_url(),
        )
    if handler_unit is not None:
        notify_units(units=[handler_unit], subject=doc, step="assigned", title=title, body=body)
    return doc


@transaction.atomic
def incoming_reply(*, actor: Actor, document: IncomingDocument | int, reply: str) -> IncomingDocument:
    """办复: the handler's result; the deadline's timers stop."""
    doc = checked(actor=actor, document=document, action="reply")
    guard(doc, (IncomingStatus.ASSIGNED,), _("只有办理中的来文可以报送办理结果。"))
    if not text(reply):
        raise invalid("reply", _("请填写办理结果。"))
    doc.status = IncomingStatus.REPLIED
    doc.reply = text(reply)[:8000]
    doc.replied_by = person(actor)
    doc.replied_at = timezone.now()
    doc.save(update_fields=["status", "reply", "replied_by", "replied_at", "updated_at"])
    timer_cancel(subject=doc, kind=DUE_TIMER_KIND)
    late = doc.due_at is not None and doc.replied_at > doc.due_at
    audit(actor, "replied", doc, reply=doc.reply, late=late)
    recipients = [doc.instruction_leader] if doc.instruction_leader_id else []
    notify(
        recipients=recipients + clerks(),
        subject=doc,
        step="replied",
        title=_("来文已办复：{title}").format(title=doc.title),
        body=doc.reply,
        url=doc.get_absolute_url(),
    )
    return doc


@transaction.atomic
def incoming_close(*, actor: Actor, document: IncomingDocument | int) -> IncomingDocument:
    """办结: after the reply, or straight after a 批示 that asks no handling (阅知)."""
    doc = checked(actor=actor, document=document, action="close")
    guard(
        doc,
        (IncomingStatus.REPLIED, IncomingStatus.INSTRUCTED),
        _("来文办复后（或批示无需办理时）才能办结。"),
    )
    doc.status = IncomingStatus.CLOSED
    doc.closed_at = timezone.now()
    doc.save(update_fields=["status", "closed_at", "updated_at"])
    timer_cancel(subject=doc, kind=DUE_TIMER_KIND)
    audit(actor, "closed", doc)
    return doc


@transaction.atomic
def incoming_archive(*, actor: Actor, document: IncomingDocument | int) -> IncomingDocument:
    """归档: a closed (or returned) document whose 传阅 is complete."""
    doc = checked(actor=actor, document=document, action="archive")
    guard(doc, (IncomingStatus.CLOSED, IncomingStatus.RETURNED), _("来文办结或退回后才能归档。"))
    unread = doc.circulations.filter(read_at__isnull=True).count()
    if unread:
        raise IncomingError(_("还有 {n} 人未阅毕，传阅完成后才能归档。").format(n=unread), code="conflict")
    doc.status = IncomingStatus.ARCHIVED
    doc.archived_at = timezone.now()
    doc.save(update_fields=["status", "archived_at", "updated_at"])
    audit(actor, "archived", doc)
    return doc
