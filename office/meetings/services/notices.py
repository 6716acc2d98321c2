"""The meeting notice (会议通知) and the receipts (回执). Sending the notice writes one receipt per
attending unit and per invited person (presiding and attending leaders), tells them through
``office.notifications`` and starts the ``meetings-receipts`` ladder at the receipt deadline: the units
and people still missing are chased at the deadline, then the section in charge is told. The last
receipt stops the ladder and ticks the checklist's 回执收齐."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import ladder_start, ladder_stop
from office.notifications.services import notify, notify_units
from office.org.types import Actor

from .. import access, conf
from ..models import Meeting, MeetingNotice, MeetingStatus, Receipt, Response
from ..seed import ensure_defaults
from .checklist import system_tick
from .common import MeetingError, locked_meeting, require_not_cancelled, user_or_none

RECEIPT_LADDER = "meetings-receipts"


def default_notice_text(meeting: Meeting) -> str:
    """The notice's text as sent to the units: in Chinese whatever the page's language (data)."""
    start = timezone.localtime(meeting.starts_at)
    place = meeting.room.name if meeting.room else "另行通知"
    return "定于{date}召开{title}，地点：{place}。请参会单位按时报送回执。".format(
        date=start.strftime("%Y年%m月%d日 %H:%M"), title=meeting.title, place=place
    )


def _invited_people(meeting: Meeting) -> list:
    people: list = []
    if meeting.presiding_id:
        people.append(meeting.presiding)
    people += [ml.user for ml in meeting.leaders.select_related("user").order_by("order", "id")]
    seen, out = set(), []
    for p in people:
        if p.pk not in seen:
            seen.add(p.pk)
            out.append(p)
    return out


@transaction.atomic
def notice_send(
    *, actor: Actor, meeting: Meeting | int, text: str = "", deadline: dt.datetime | None = None
) -> MeetingNotice:
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="manage")
    require_not_cancelled(meeting)
    if MeetingNotice.objects.filter(meeting=meeting).exists():
        raise MeetingError(_("会议通知已发出，不能重复发送。"), code="conflict")
    now = timezone.now()
    deadline = deadline or meeting.starts_at - dt.timedelta(hours=conf.receipt_hours_before())
    if deadline <= now:
        # a meeting called at short notice: half the time left, at least an hour before it starts
        deadline = now + (meeting.starts_at - now) / 2
    if deadline >= meeting.starts_at:
        msg = _("回执截止时间须早于会议开始时间。")
        raise MeetingError(msg, code="invalid", fields={"deadline": [msg]})
    units = list(meeting.units.order_by("sort_order", "id"))
    people = _invited_people(meeting)
    if not units and not people:
        raise MeetingError(_("请先确定参会单位或出席领导，再发通知。"), code="invalid")
    notice = MeetingNotice.objects.create(
        meeting=meeting,
        text=(text or "").strip() or default_notice_text(meeting),
        deadline=deadline,
        sent_at=now,
        sent_by=user_or_none(actor),
    )
    Receipt.objects.bulk_create(
        [Receipt(meeting=meeting, unit=u) for u in units]
        + [Receipt(meeting=meeting, person=p) for p in people]
    )
    meeting.status = MeetingStatus.NOTICED
    meeting.save(update_fields=["status", "updated_at"])
    title = _("会议通知：{title}（{when}），请于{deadline}前回执").format(
        title=meeting.title,
        when=timezone.localtime(meeting.starts_at).strftime("%m月%d日 %H:%M"),
        deadline=timezone.localtime(deadline).strftime("%m月%d日 %H:%M"),
    )
    url = meeting.get_absolute_url()
    notify(
        recipients=people, subject=notice, step="notice", title=title, body=notice.text, url=url, level="info"
    )
    notify_units(
        units=units, subject=notice, step="notice", title=title, body=notice.text, url=url, level="info"
    )
    ensure_defaults()
    ladder_start(subject=notice, template_code=RECEIPT_LADDER, anchor=deadline, actor=user_or_none(actor))
    system_tick(meeting=meeting, code="notice", actor=actor)
    audit_record(
        actor=actor,
        verb="meetings.notice_sent",
        subject=meeting,
        data={
            "units": [u.name for u in units],
            "people": [p.pk for p in people],
            "deadline": deadline.isoformat(),
        },
    )
    return notice


def _locked_receipt(receipt) -> Receipt:
    pk = receipt.pk if isinstance(receipt, Receipt) else receipt
    row = (
        # only the receipt's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer joins (unit, person) that select_related adds
        Receipt.objects.select_for_update(of=("self",))
        .select_related("meeting", "unit", "person__staff")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise access.not_found()
    return row


@transaction.atomic
def receipt_answer(
    *,
    actor: Actor,
    receipt: Receipt | int,
    response: str,
    attendee_name: str = "",
    attendee_post: str = "",
    reason: str = "",
) -> Receipt:
    receipt = _locked_receipt(receipt)
    access.receipt_access(actor=actor, receipt=receipt)
    meeting = receipt.meeting
    require_not_cancelled(meeting)
    if timezone.now() >= meeting.starts_at:
        raise MeetingError(_("会议已开始，回执不能再修改，请直接联系会务人员。"), code="conflict")
    attendee_name, attendee_post, reason = (
        (attendee_name or "").strip(),
        (attendee_post or "").strip(),
        (reason or "").strip(),
    )
    errors: dict[str, list[str]] = {}
    if response not in (Response.ATTEND, Response.SUBSTITUTE, Response.ABSENT):
        errors["response"] = [_("请选择参会、代会或请假。")]
    elif response == Response.SUBSTITUTE and not (attendee_name and attendee_post):
        errors["attendee_name"] = [_("代会须填写代会人员的姓名和职务。")]
    elif response == Response.ATTEND and receipt.unit_id and not attendee_name:
        errors["attendee_name"] = [_("请填写本单位参会人员的姓名。")]
    elif response == Response.ABSENT and not reason:
        errors["reason"] = [_("请假须说明事由。")]
    if errors:
        raise MeetingError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    if response == Response.ATTEND and receipt.person_id and not attendee_name:
        attendee_name = receipt.addressee
    receipt.response = response
    receipt.attendee_name = attendee_name if response != Response.ABSENT else ""
    receipt.attendee_post = attendee_post if response != Response.ABSENT else ""
    receipt.reason = reason if response == Response.ABSENT else ""
    receipt.answered_at = timezone.now()
    receipt.answered_by = user_or_none(actor)
    receipt.answered_by_label = "" if receipt.answered_by else str(actor or "系统")[:100]
    receipt.save()
    if not meeting.receipts.filter(response=Response.PENDING).exists():
        notice = MeetingNotice.objects.filter(meeting=meeting).first()
        if notice is not None:
            ladder_stop(subject=notice, actor=user_or_none(actor), reason="回执已齐")
        system_tick(meeting=meeting, code="receipts", actor=None)
    audit_record(
        actor=actor,
        actor_label="" if user_or_none(actor) else str(actor or "系统"),
        verb="meetings.receipt_answered",
        subject=meeting,
        data={
            "receipt": receipt.pk,
            "addressee": receipt.addressee,
            "response": response,
            "name": receipt.attendee_name,
        },
    )
    return receipt
