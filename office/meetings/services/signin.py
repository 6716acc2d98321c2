"""Sign-in (签到) at the door: an invited person signs himself in from the QR page; a unit's liaison signs
in the attendees its receipt names; the meeting's staff sign anyone in at the desk. Signing in twice
keeps the first time."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.types import Actor

from .. import access
from ..models import Meeting, Receipt, Response, SignIn
from ..selectors import staff_name
from .common import MeetingError, locked_meeting, require_not_cancelled, user_or_none

OPENS_BEFORE = dt.timedelta(hours=3)


def _window(meeting: Meeting) -> None:
    now = timezone.now()
    if now < meeting.starts_at - OPENS_BEFORE:
        raise MeetingError(_("签到在会前 3 小时开放。"), code="conflict")
    if now > meeting.ends_at:
        raise MeetingError(_("会议已结束，签到已关闭。"), code="conflict")


def _unit_label(user) -> str:
    staff = getattr(user, "staff", None)
    return (staff.unit.short_name or staff.unit.name) if staff else ""


@transaction.atomic
def sign_in_self(*, actor: Actor, meeting: Meeting | int) -> SignIn:
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="sign_in_self")
    require_not_cancelled(meeting)
    _window(meeting)
    user = user_or_none(actor)
    existing = meeting.sign_ins.filter(person=user).first()
    if existing is not None:
        return existing
    receipt = meeting.receipts.filter(person=user).first()
    if receipt is not None and receipt.response == Response.ABSENT:
        raise MeetingError(_("您已请假；如需参会，请到签到台签到。"), code="conflict")
    sign = SignIn.objects.create(
        meeting=meeting,
        receipt=receipt,
        person=user,
        name=staff_name(user),
        unit_name=_unit_label(user),
        signed_at=timezone.now(),
        signed_by=user,
    )
    audit_record(
        actor=actor, verb="meetings.signed_in", subject=meeting, data={"name": sign.name, "self": True}
    )
    return sign


@transaction.atomic
def sign_in_unit(*, actor: Actor, meeting: Meeting | int, receipt_ids) -> list[SignIn]:
    """A unit's liaison signs in the attendees its receipts name (each once)."""
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="sign_in_unit")
    require_not_cancelled(meeting)
    _window(meeting)
    unit = access.external_unit(actor)
    assert unit is not None  # the access check admitted a unit's liaison
    ids = {int(i) for i in receipt_ids if str(i).isdigit()}
    receipts = list(meeting.receipts.filter(unit=unit, pk__in=ids).select_related("unit"))
    if not receipts:
        raise MeetingError(_("请选择要签到的本单位参会人员。"), code="invalid")
    done = []
    for r in receipts:
        if not r.expected_name:
            raise MeetingError(
                _("{unit} 的回执为请假或未回执，不能签到。").format(unit=unit.name), code="conflict"
            )
        sign = meeting.sign_ins.filter(receipt=r).first() or SignIn.objects.create(
            meeting=meeting,
            receipt=r,
            name=r.expected_name,
            unit_name=unit.short_name or unit.name,
            signed_at=timezone.now(),
            signed_by=user_or_none(actor),
        )
        done.append(sign)
    audit_record(
        actor=actor,
        actor_label="" if user_or_none(actor) else str(actor),
        verb="meetings.signed_in",
        subject=meeting,
        data={"names": [s.name for s in done], "unit": unit.name},
    )
    return done


@transaction.atomic
def sign_in_desk(
    *,
    actor: Actor,
    meeting: Meeting | int,
    receipt: Receipt | int | None = None,
    name: str = "",
    unit_name: str = "",
) -> SignIn:
    """The desk signs in a receipt's attendee, or a walk-in by name."""
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="sign_in_desk")
    require_not_cancelled(meeting)
    _window(meeting)
    r = None
    if receipt:
        rid = receipt.pk if isinstance(receipt, Receipt) else int(receipt)
        r = meeting.receipts.select_related("unit", "person__staff").filter(pk=rid).first()
        if r is None:
            raise access.not_found()
        existing = meeting.sign_ins.filter(receipt=r).first() or (
            meeting.sign_ins.filter(person_id=r.person_id).first() if r.person_id else None
        )
        if existing is not None:
            return existing
        name = name.strip() or r.expected_name or r.addressee
        unit_name = unit_name or (
            r.unit.short_name or r.unit.name if r.unit is not None else _unit_label(r.person)
        )
    name = (name or "").strip()
    if not name:
        raise MeetingError(
            _("请填写签到人员姓名。"), code="invalid", fields={"name": [_("请填写签到人员姓名。")]}
        )
    sign = SignIn.objects.create(
        meeting=meeting,
        receipt=r,
        person=r.person if r is not None and r.person_id else None,
        name=name[:50],
        unit_name=(unit_name or "")[:100],
        signed_at=timezone.now(),
        signed_by=user_or_none(actor),
    )
    audit_record(
        actor=actor, verb="meetings.signed_in", subject=meeting, data={"name": sign.name, "desk": True}
    )
    return sign
