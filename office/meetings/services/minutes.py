"""Minutes (会议纪要): the decisions of a meeting, the minutes drafted as a document through the
documents app (doc type 纪要), and each decision made a supervision item in one step by supervision's
own service (carrying the meeting, the decision text, the lead unit and the deadline), linked both ways
(``decision.supervision_item`` and ``item.meeting_decision``), once only: a second click returns the
item already made."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import DocType
from office.audit.services import audit_record
from office.org.types import Actor

from .. import access
from ..models import Meeting, MinutesDecision
from .common import MeetingError, locked_meeting, user_or_none

NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    if 1 <= n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    return str(n)


@transaction.atomic
def decision_add(
    *, actor: Actor, meeting: Meeting | int, text: str, lead_unit=None, deadline: dt.date | None = None
) -> MinutesDecision:
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="manage")
    text = (text or "").strip()
    if not text:
        raise MeetingError(_("请填写议定事项。"), code="invalid", fields={"text": [_("请填写议定事项。")]})
    order = meeting.decisions.count() + 1
    decision = MinutesDecision.objects.create(
        meeting=meeting,
        order=order,
        text=text,
        lead_unit=lead_unit,
        deadline=deadline,
        created_by=user_or_none(actor),
    )
    audit_record(
        actor=actor, verb="meetings.decision_added", subject=meeting, data={"order": order, "text": text}
    )
    return decision


def minutes_body(meeting: Meeting) -> str:
    """The minutes' text: an official document's body, in Chinese whatever the page's language
    (docs/i18n.md: data, not interface)."""
    start = timezone.localtime(meeting.starts_at)
    lines = [
        "{date}，{presiding}主持召开{title}。会议议定事项如下：".format(
            date=start.strftime("%Y年%m月%d日"),
            presiding=getattr(getattr(meeting.presiding, "staff", None), "name", "") or "会议",
            title=meeting.title,
        )
    ]
    for d in meeting.decisions.select_related("lead_unit").order_by("order", "id"):
        extra = []
        if d.lead_unit is not None:
            extra.append(f"牵头单位：{d.lead_unit.name}")
        if d.deadline:
            extra.append("完成时限：{date}".format(date=d.deadline.strftime("%Y年%m月%d日")))
        lines.append(f"{_numeral(d.order)}、{d.text}" + (f"（{'；'.join(extra)}）" if extra else ""))
    return "\n".join(lines)


@transaction.atomic
def minutes_draft(*, actor: Actor, meeting: Meeting | int, body: str = ""):
    """The minutes as a draft document (纪要) of the meeting's 密级, addressed to its units. Once: a
    second call returns the document already drafted."""
    from documents.services import document_create

    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="manage")
    if meeting.minutes_document_id:
        return meeting.minutes_document
    if not meeting.decisions.exists() and not (body or "").strip():
        raise MeetingError(_("请先录入议定事项，或填写纪要正文。"), code="invalid")
    doc = document_create(
        actor=actor,
        doc_type=DocType.MINUTES,
        title=f"{meeting.title}纪要"[:200],
        body=(body or "").strip() or minutes_body(meeting),
        main_recipients="各参会单位",
        issuing_body="市委办公室",
        origin="meetings",
        origin_ref=str(meeting.pk),
        classification=meeting.classification,
        recipient_units=list(meeting.units.all()),
    )
    meeting.minutes_document = doc
    meeting.save(update_fields=["minutes_document", "updated_at"])
    audit_record(actor=actor, verb="meetings.minutes_drafted", subject=meeting, data={"document": doc.pk})
    return doc


@transaction.atomic
def decision_to_supervision(*, actor: Actor, decision: MinutesDecision | int, title: str = ""):
    """One step: the decision becomes a supervision item (lead unit, deadline, the meeting as its source).
    A second call returns the existing item, never a second one."""
    from supervision.models import Category, Source, SupervisionItem
    from supervision.services.items import item_create

    pk = decision.pk if isinstance(decision, MinutesDecision) else decision
    locked = MinutesDecision.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise access.not_found()
    decision = locked
    meeting = Meeting.objects.select_related("meeting_type").get(pk=decision.meeting_id)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="to_supervision")
    if decision.supervision_item_id:
        return SupervisionItem.objects.get(pk=decision.supervision_item_id)
    if decision.lead_unit_id is None:
        msg = _("请先为该议定事项指定牵头单位。")
        raise MeetingError(msg, code="invalid", fields={"lead_unit": [msg]})
    source = Source.STANDING_COMMITTEE if meeting.kind == "standing-committee" else Source.LEADERS_MEETING
    item = item_create(
        actor=actor,
        title=((title or "").strip() or decision.text)[:200],
        requirement=decision.text,
        source=source,
        source_date=timezone.localtime(meeting.starts_at).date(),
        source_ref=f"{meeting.title}（纪要第{_numeral(decision.order)}项）"[:120],
        instructing_leader=getattr(getattr(meeting.presiding, "staff", None), "name", ""),
        category=Category.OTHER,
        lead_unit=decision.lead_unit,
        due=decision.deadline,
    )
    decision.supervision_item = item
    decision.save(update_fields=["supervision_item"])
    audit_record(
        actor=actor,
        verb="meetings.decision_to_supervision",
        subject=meeting,
        data={"decision": decision.pk, "item": item.pk, "number": item.number},
    )
    return item
