"""Every write of incoming documents (收文). Each transition: ask access, lock the row, guard the state,
write, audit, notify (delivered after commit).

The 批示 → supervision item step is supervision's service (``supervision.services.from_documents``),
registered here as a bridge from supervision's AppConfig.ready(): documents never import supervision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Classification, Urgency
from documents.services import format_number, next_number
from office.audit.services import audit_record
from office.clock.services import timer_cancel, timer_schedule
from office.errors import ServiceError, not_found
from office.files.validation import CheckedUpload, check_upload
from office.notifications.services import notify, notify_units
from office.org.types import Actor
from office.workdays.services import add_working_days, end_of_day

from . import access, conf
from .models import (
    CIRCULATION_STATUSES,
    Circulation,
    CirculationMode,
    IncomingChannel,
    IncomingDocument,
    IncomingStatus,
)

DUE_TIMER_KIND = "documents.incoming_due"


class IncomingError(ServiceError):
    """A rule of incoming documents was broken; the message is for a clerk."""


def _invalid(field: str, message: str) -> IncomingError:
    return IncomingError(message, code="invalid", fields={field: [message]})


def _person(actor: Actor):
    return actor if isinstance(actor, get_user_model()) and actor.pk else None


def _locked(document: IncomingDocument | int) -> IncomingDocument:
    pk = document.pk if isinstance(document, IncomingDocument) else document
    try:
        return IncomingDocument.objects.select_for_update().get(pk=pk)
    except IncomingDocument.DoesNotExist:
        raise not_found(_("未找到该收文，或您无权查看。")) from None


def _checked(*, actor: Actor, document: IncomingDocument | int, action: str) -> IncomingDocument:
    """Lock first (a fresh read), then ask access on the row itself."""
    doc = _locked(document)
    access.incoming_access_for_action(actor=actor, document=doc, action=action)
    return doc


def _guard(doc: IncomingDocument, allowed: Iterable[str], message: str) -> None:
    if doc.status not in allowed:
        raise IncomingError(message, code="conflict")


def _audit(actor: Actor, verb: str, doc: IncomingDocument, **data: Any) -> None:
    audit_record(
        actor=actor,
        verb=f"documents.incoming_{verb}",
        subject=doc,
        data={"serial": doc.serial, "status": doc.status, **data},
    )


def _text(value: str | None) -> str:
    return (value or "").strip()


def clerks() -> list:
    """The people who sign for and route incoming documents (for notifications)."""
    from office.org.roles import INCOMING_CLERK_ROLES

    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            staff__unit__code__in=access.clerk_unit_codes(),
            groups__name__in=INCOMING_CLERK_ROLES,
        )
        .distinct()
        .order_by("pk")
    )


def leaders() -> list:
    from office.org.roles import DOCUMENT_INSTRUCTING_ROLES

    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=DOCUMENT_INSTRUCTING_ROLES)
        .distinct()
        .order_by("pk")
    )


# --- sign for and register ------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingFields:
    """What the register records about a document (the sign-for form and the API fill it)."""

    issuing_body: str
    title: str
    their_number: str = ""
    their_date: dt.date | None = None
    classification: str = Classification.INTERNAL
    urgency: str = ""
    pages: int = 1
    copies: int = 1


def _clean_fields(f: IncomingFields) -> IncomingFields:
    errors: dict[str, list[str]] = {}
    if not _text(f.title):
        errors["title"] = [_("请填写来文标题。")]
    if not _text(f.issuing_body):
        errors["issuing_body"] = [_("请填写来文机关。")]
    if f.classification not in Classification.values:
        errors["classification"] = [_("密级不正确。")]
    if f.urgency not in Urgency.values:
        errors["urgency"] = [_("紧急程度不正确。")]
    if not isinstance(f.pages, int) or f.pages < 1:
        errors["pages"] = [_("页数至少为 1。")]
    if not isinstance(f.copies, int) or f.copies < 1:
        errors["copies"] = [_("份数至少为 1。")]
    if f.their_date and f.their_date > timezone.localdate():
        errors["their_date"] = [_("成文日期不能晚于今天。")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise IncomingError(first, code="invalid", fields=errors)
    return IncomingFields(
        issuing_body=_text(f.issuing_body)[:100],
        title=_text(f.title)[:200],
        their_number=_text(f.their_number)[:60],
        their_date=f.their_date,
        classification=f.classification,
        urgency=f.urgency,
        pages=f.pages,
        copies=f.copies,
    )


def _new_serial(doc: IncomingDocument) -> None:
    year = timezone.localdate().year
    prefix = conf.serial_prefix()
    doc.prefix, doc.year = prefix, year
    doc.seq = next_number(prefix=prefix, year=year)
    doc.serial = format_number(prefix, year, doc.seq)


def _store_file(doc: IncomingDocument, checked: CheckedUpload | None) -> None:
    if checked is None:
        return
    stored: Any = checked.file
    doc.file.save(stored.name, stored, save=False)
    doc.file_name = checked.original_name[:200]


@transaction.atomic
def incoming_register(
    *,
    actor: Actor,
    channel: str,
    fields: IncomingFields,
    upload=None,
    received_at: dt.datetime | None = None,
) -> IncomingDocument:
    """签收 and 登记 in one step at the desk: a paper or 机要交通 document gets its incoming serial
    (e.g. 收〔2026〕12号) from the documents number register. The file is optional for paper."""
    access.incoming_register_access(actor=actor)
    if channel not in (IncomingChannel.PAPER, IncomingChannel.COURIER):
        raise _invalid("channel", _("请选择来文方式（纸质或机要交通）。"))
    clean = _clean_fields(fields)
    now = timezone.now()
    if received_at is None:
        received_at = now
    if received_at > now + dt.timedelta(minutes=1):
        raise _invalid("received_at", _("签收时间不能晚于当前时间。"))
    checked = check_upload(upload, field="file") if upload else None
    user = _person(actor)
    doc = IncomingDocument(
        channel=channel,
        received_at=received_at,
        received_by=user,
        received_label=(user.get_full_name() or user.get_username()) if user else _("系统"),
        **clean.__dict__,
    )
    _new_serial(doc)
    _store_file(doc, checked)
    doc.full_clean()
    doc.save()
    _audit(actor, "registered", doc, channel=channel, title=doc.title, issuing_body=doc.issuing_body)
    return doc


@transaction.atomic
def incoming_receive_via_api(
    *, actor: Actor, fields: IncomingFields, upload
) -> tuple[IncomingDocument, bool]:
    """Another office's system sends a document with its file. The sending unit is the caller's own;
    the office registers it as received through the API. A retry with the same 来文字号 from the same
    unit returns the document already registered (``created`` False) and registers nothing."""
    unit = access.incoming_api_submit_access(actor=actor)
    clean = _clean_fields(fields)
    if not clean.their_number:
        raise _invalid("their_number", _("请填写来文字号（用于防止重复报送）。"))
    if clean.classification not in (Classification.PUBLIC, Classification.INTERNAL):
        raise _invalid("classification", _("秘密级及以上公文不得通过系统接口报送，请走机要渠道。"))
    existing = IncomingDocument.objects.filter(sender_unit=unit, their_number=clean.their_number).first()
    if existing is not None:
        return existing, False
    if upload is None:
        raise _invalid("file", _("请上传公文文件。"))
    checked = check_upload(upload, field="file")
    doc = IncomingDocument(
        channel=IncomingChannel.API,
        received_at=timezone.now(),
        received_label=str(actor)[:100],
        sender_unit=unit,
        **clean.__dict__,
    )
    _new_serial(doc)
    _store_file(doc, checked)
    doc.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError:
        # the same retry arrived twice at once: the other request registered it
        existing = IncomingDocument.objects.filter(sender_unit=unit, their_number=clean.their_number).first()
        if existing is None:
            raise
        return existing, False
    _audit(
        None,
        "received_via_api",
        doc,
        sender_unit=unit.name,
        their_number=doc.their_number,
        title=doc.title,
    )
    notify(
        recipients=clerks(),
        subject=doc,
        step="received",
        title=_("新来文待初审：{title}").format(title=doc.title),
        body=_("{unit}通过系统接口报送，来文字号 {number}。").format(unit=unit.name, number=doc.their_number),
        url=doc.get_absolute_url(),
        level="warning" if doc.urgency else "info",
    )
    return doc, True


# --- first check, return, 拟办, 批示 -------------------------------------------------------------


@transaction.atomic
def incoming_check(*, actor: Actor, document: IncomingDocument | int) -> IncomingDocument:
    """初审: complete and ours; it goes on to 拟办."""
    doc = _checked(actor=actor, document=document, action="check")
    _guard(doc, (IncomingStatus.REGISTERED,), _("只有待初审的来文可以初审。"))
    doc.status = IncomingStatus.CHECKED
    doc.checked_at = timezone.now()
    doc.checked_by = _person(actor)
    doc.save(update_fields=["status", "checked_at", "checked_by", "updated_at"])
    _audit(actor, "checked", doc)
    return doc


@transaction.atomic
def incoming_return(*, actor: Actor, document: IncomingDocument | int, reason: str) -> IncomingDocument:
    """初审 finds it incomplete or not ours: it goes back to the sender with the reason."""
    doc = _checked(actor=actor, document=document, action="return")
    _guard(doc, (IncomingStatus.REGISTERED,), _("只有待初审的来文可以退回。"))
    if not _text(reason):
        raise _invalid("reason", _("请填写退回理由。"))
    doc.status = IncomingStatus.RETURNED
    doc.return_reason = _text(reason)[:2000]
    doc.checked_at = timezone.now()
    doc.checked_by = _person(actor)
    doc.save(update_fields=["status", "return_reason", "checked_at", "checked_by", "updated_at"])
    _audit(actor, "returned", doc, reason=doc.return_reason)
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
    doc = _checked(actor=actor, document=document, action="propose")
    _guard(doc, (IncomingStatus.CHECKED, IncomingStatus.PROPOSED), _("来文初审后才能拟办。"))
    if not _text(proposal):
        raise _invalid("proposal", _("请填写拟办意见。"))
    if leader is not None and not access.can_instruct_any(leader):
        raise _invalid("leader", _("呈批领导必须是主任或副主任。"))
    doc.status = IncomingStatus.PROPOSED
    doc.proposal = _text(proposal)[:4000]
    doc.proposed_by = _person(actor)
    doc.proposed_at = timezone.now()
    doc.save(update_fields=["status", "proposal", "proposed_by", "proposed_at", "updated_at"])
    _audit(actor, "proposed", doc, proposal=doc.proposal, leader=leader.get_username() if leader else "")
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
    doc = _checked(actor=actor, document=document, action="instruct")
    _guard(
        doc,
        (IncomingStatus.CHECKED, IncomingStatus.PROPOSED),
        _("该来文不在待批示状态。"),
    )
    if not _text(instruction):
        raise _invalid("instruction", _("请填写批示内容。"))
    today = timezone.localdate()
    if deadline is not None and deadline < today:
        raise _invalid("deadline", _("办理时限不能早于今天。"))
    doc.status = IncomingStatus.INSTRUCTED
    doc.instruction = _text(instruction)[:4000]
    doc.instruction_leader = _person(actor)
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
    _audit(
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


# --- assignment on the clock, reply, close, archive ----------------------------------------------


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
    doc = _checked(actor=actor, document=document, action="assign")
    _guard(doc, (IncomingStatus.INSTRUCTED,), _("领导批示后才能交办。"))
    if handler is None and handler_unit is None:
        raise _invalid("handler", _("请指定承办人或承办单位。"))
    if handler is not None and not access.is_office_staff(handler):
        raise _invalid("handler", _("承办人必须是机关工作人员。"))
    if due is not None and due < timezone.localdate():
        raise _invalid("due", _("办理时限不能早于今天。"))
    doc.status = IncomingStatus.ASSIGNED
    doc.handler = handler
    doc.handler_unit = handler_unit
    doc.assigned_at = timezone.now()
    doc.due_at = _due_at(doc, due)
    doc.save(update_fields=["status", "handler", "handler_unit", "assigned_at", "due_at", "updated_at"])
    _schedule_due(doc)
    _audit(
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
    doc = _checked(actor=actor, document=document, action="reply")
    _guard(doc, (IncomingStatus.ASSIGNED,), _("只有办理中的来文可以报送办理结果。"))
    if not _text(reply):
        raise _invalid("reply", _("请填写办理结果。"))
    doc.status = IncomingStatus.REPLIED
    doc.reply = _text(reply)[:8000]
    doc.replied_by = _person(actor)
    doc.replied_at = timezone.now()
    doc.save(update_fields=["status", "reply", "replied_by", "replied_at", "updated_at"])
    timer_cancel(subject=doc, kind=DUE_TIMER_KIND)
    late = doc.due_at is not None and doc.replied_at > doc.due_at
    _audit(actor, "replied", doc, reply=doc.reply, late=late)
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
    doc = _checked(actor=actor, document=document, action="close")
    _guard(
        doc,
        (IncomingStatus.REPLIED, IncomingStatus.INSTRUCTED),
        _("来文办复后（或批示无需办理时）才能办结。"),
    )
    doc.status = IncomingStatus.CLOSED
    doc.closed_at = timezone.now()
    doc.save(update_fields=["status", "closed_at", "updated_at"])
    timer_cancel(subject=doc, kind=DUE_TIMER_KIND)
    _audit(actor, "closed", doc)
    return doc


@transaction.atomic
def incoming_archive(*, actor: Actor, document: IncomingDocument | int) -> IncomingDocument:
    """归档: a closed (or returned) document whose 传阅 is complete."""
    doc = _checked(actor=actor, document=document, action="archive")
    _guard(doc, (IncomingStatus.CLOSED, IncomingStatus.RETURNED), _("来文办结或退回后才能归档。"))
    unread = doc.circulations.filter(read_at__isnull=True).count()
    if unread:
        raise IncomingError(_("还有 {n} 人未阅毕，传阅完成后才能归档。").format(n=unread), code="conflict")
    doc.status = IncomingStatus.ARCHIVED
    doc.archived_at = timezone.now()
    doc.save(update_fields=["status", "archived_at", "updated_at"])
    _audit(actor, "archived", doc)
    return doc


# --- 传阅 -------------------------------------------------------------------------------------------


def _send(circ: Circulation, doc: IncomingDocument, now: dt.datetime) -> None:
    circ.sent_at = now
    circ.save(update_fields=["sent_at"])
    notify(
        recipients=[circ.reader],
        subject=doc,
        step=f"circulate:{circ.pk}",
        title=_("请阅文：{title}").format(title=doc.title),
        body=_("收文编号 {serial}，阅毕请在页面点击“阅毕”。").format(serial=doc.serial),
        url=doc.get_absolute_url(),
    )


@transaction.atomic
def incoming_circulate(
    *, actor: Actor, document: IncomingDocument | int, readers: Iterable, mode: str
) -> list[Circulation]:
    """传阅 to several readers, at once or in the order given (the next receives it when the previous has
    read it). A reader already on the list is skipped. Being on the list lets a reader see a classified
    document (need-to-know, granted per document)."""
    doc = _checked(actor=actor, document=document, action="circulate")
    _guard(doc, CIRCULATION_STATUSES, _("来文初审后、归档前才能传阅。"))
    if mode not in CirculationMode.values:
        raise _invalid("mode", _("请选择传阅方式。"))
    readers = list(dict.fromkeys(readers))
    if not readers:
        raise _invalid("readers", _("请选择阅文人。"))
    if any(not access.is_office_staff(r) for r in readers):
        raise _invalid("readers", _("阅文人必须是机关工作人员。"))
    already = set(doc.circulations.values_list("reader_id", flat=True))
    new = [r for r in readers if r.pk not in already]
    if not new:
        raise _invalid("readers", _("所选人员都已在传阅名单中。"))
    start = (doc.circulations.aggregate(m=Max("order"))["m"] or 0) + 1
    now = timezone.now()
    rows = [
        Circulation.objects.create(
            document=doc, reader=r, order=start + i, mode=mode, started_by=_person(actor), created_at=now
        )
        for i, r in enumerate(new)
    ]
    if mode == CirculationMode.PARALLEL:
        for circ in rows:
            _send(circ, doc, now)
    elif not doc.circulations.filter(
        mode=CirculationMode.SEQUENTIAL, sent_at__isnull=False, read_at__isnull=True
    ).exists():
        _send(rows[0], doc, now)
    _audit(actor, "circulated", doc, mode=mode, readers=[r.get_username() for r in new])
    return rows


@transaction.atomic
def incoming_mark_read(*, actor: Actor, document: IncomingDocument | int, note: str = "") -> Circulation:
    """阅毕: the reader holding it marks it read; in sequential 传阅 it goes on to the next reader."""
    doc = _checked(actor=actor, document=document, action="read")
    circ = Circulation.objects.select_for_update().get(document=doc, reader_id=getattr(actor, "pk", None))
    if circ.read_at is not None:
        raise IncomingError(_("您已阅毕该文件。"), code="conflict")
    if circ.sent_at is None:
        raise IncomingError(_("还没有轮到您阅文。"), code="conflict")
    now = timezone.now()
    circ.read_at = now
    circ.note = _text(note)[:500]
    circ.save(update_fields=["read_at", "note"])
    if circ.mode == CirculationMode.SEQUENTIAL:
        nxt = (
            doc.circulations.select_related("reader")
            .filter(mode=CirculationMode.SEQUENTIAL, sent_at__isnull=True)
            .order_by("order", "id")
            .first()
        )
        if nxt is not None:
            _send(nxt, doc, now)
    _audit(actor, "read", doc, note=circ.note)
    return circ


@transaction.atomic
def incoming_urge_reader(
    *, actor: Actor, document: IncomingDocument | int, circulation_id: int
) -> Circulation:
    """催阅 the reader who holds it, at most ``DOCUMENTS_INCOMING_URGE_PER_DAY`` times a day."""
    doc = _checked(actor=actor, document=document, action="urge")
    circ = (
        Circulation.objects.select_for_update()
        .select_related("reader")
        .filter(document=doc, pk=circulation_id)
        .first()
    )
    if circ is None:
        raise not_found(_("传阅记录不存在。"))
    if not circ.holding:
        raise IncomingError(_("只能催阅正在阅文的人员。"), code="conflict")
    today = timezone.localdate()
    count = circ.urge_day_count if circ.urge_day == today else 0
    if count >= conf.urge_limit_per_day():
        raise IncomingError(_("今天已催阅 {n} 次，请明天再催。").format(n=count), code="conflict")
    circ.urge_day, circ.urge_day_count = today, count + 1
    circ.urge_count += 1
    circ.urged_at = timezone.now()
    circ.save(update_fields=["urge_day", "urge_day_count", "urge_count", "urged_at"])
    notify(
        recipients=[circ.reader],
        subject=doc,
        step=f"urge:{circ.pk}:{circ.urge_count}",
        title=_("催阅：{title}").format(title=doc.title),
        body=_("该文件正在等您阅毕，请尽快阅文。"),
        url=doc.get_absolute_url(),
        level="warning",
    )
    _audit(actor, "reader_urged", doc, reader=circ.reader.get_username(), count=circ.urge_count)
    return circ


# --- 转督办: the bridge supervision registers ------------------------------------------------------


@dataclass(frozen=True)
class LinkedItem:
    """What the incoming page shows of the supervision item its 批示 became."""

    id: int
    number: str
    status: str
    status_display: str
    url: str


@dataclass
class SupervisionBridge:
    create: Callable[..., Any]  # create(*, actor, document) -> item (idempotent)
    summary: Callable[[int], LinkedItem | None]
    allowed: Callable[[Actor], bool]  # may this person register a supervision item at all


_BRIDGE: list[SupervisionBridge] = []


def register_supervision_bridge(
    *,
    create: Callable[..., Any],
    summary: Callable[[int], LinkedItem | None],
    allowed: Callable[[Actor], bool],
) -> None:
    """Supervision registers, from its AppConfig.ready(), how a 批示 becomes an item and how the item
    reads back. Documents never import supervision."""
    _BRIDGE[:] = [SupervisionBridge(create=create, summary=summary, allowed=allowed)]


def supervision_bridge() -> SupervisionBridge | None:
    return _BRIDGE[0] if _BRIDGE else None


def incoming_to_supervision(*, actor: Actor, document: IncomingDocument | int):
    """“转督办”: the 批示 becomes a supervision item through supervision's own service."""
    bridge = supervision_bridge()
    if bridge is None:
        raise IncomingError(_("督查督办模块未启用，不能转督办。"), code="conflict")
    return bridge.create(actor=actor, document=document)


@transaction.atomic
def incoming_lock_for_supervision(*, actor: Actor, document: IncomingDocument | int) -> IncomingDocument:
    """The document locked for supervision's “转督办”, once it carries a leader's 批示."""
    doc = _checked(actor=actor, document=document, action="to_supervision")
    if not doc.instruction:
        raise IncomingError(_("领导批示后才能转督办。"), code="conflict")
    if doc.instruction_leader_id:
        doc = IncomingDocument.objects.select_related(
            "instruction_leader__staff", "handler_unit", "handler"
        ).get(pk=doc.pk)
    return doc


@transaction.atomic
def incoming_link_supervision_item(
    *, actor: Actor, document: IncomingDocument | int, item_id: int
) -> IncomingDocument:
    """Record the supervision item a 批示 became (called by supervision's service, in its transaction).
    A document links one item: a second link is refused."""
    doc = _checked(actor=actor, document=document, action="to_supervision")
    if doc.supervision_item_id is not None and doc.supervision_item_id != item_id:
        raise IncomingError(_("该来文已转督办。"), code="conflict")
    if doc.supervision_item_id is None:
        doc.supervision_item_id = item_id
        doc.save(update_fields=["supervision_item_id", "updated_at"])
        _audit(actor, "to_supervision", doc, item_id=item_id)
    return doc
