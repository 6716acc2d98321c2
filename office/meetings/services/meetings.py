"""Meetings: create, edit, cancel; room booking refuses overlaps, also under concurrency (the room's
row is locked before the overlap is looked for, so two bookings of one room queue up)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Classification
from office.audit.services import audit_record
from office.org.types import Actor

from .. import access
from ..models import Meeting, MeetingLeader, MeetingStatus, MeetingType, Room
from .checklist import checklist_instantiate, checklist_retime, checklist_stop_all
from .common import MeetingError, locked_meeting, require_not_cancelled, user_or_none


def _fmt(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%m月%d日 %H:%M")


def room_check_free(
    *, room: Room | None, starts_at: dt.datetime, ends_at: dt.datetime, exclude: int | None = None
) -> None:
    """Lock the room's row, then look for an overlapping meeting (not cancelled): Conflict if any."""
    if room is None:
        return
    locked = Room.objects.select_for_update().filter(pk=room.pk).first()
    if locked is None or not locked.is_active:
        raise MeetingError(
            _("会议室不存在或已停用。"), code="invalid", fields={"room": [_("会议室不存在或已停用。")]}
        )
    clash = (
        Meeting.objects.filter(room=locked, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk=exclude or 0)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        msg = _("会议室“{room}”在 {start}—{end} 已被预订，请另选时间或会议室。").format(
            room=locked.name,
            start=_fmt(clash.starts_at),
            end=timezone.localtime(clash.ends_at).strftime("%H:%M"),
        )
        raise MeetingError(msg, code="conflict", fields={"room": [msg]})


def _validate(
    *, title: str, starts_at, ends_at, classification: str, room: Room | None, expected: int
) -> None:
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("请填写会议名称。")]
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        errors["ends_at"] = [_("结束时间须晚于开始时间。")]
    if classification not in Classification.values:
        errors["classification"] = [_("密级不正确。")]
    if room is not None and expected > room.capacity:
        errors["room"] = [
            _("会议室“{room}”只能容纳 {cap} 人，本次会议预计 {n} 人。").format(
                room=room.name, cap=room.capacity, n=expected
            )
        ]
    if errors:
        first = next(iter(errors.values()))[0]
        raise MeetingError(first, code="invalid", fields=errors)


def _set_people(meeting: Meeting, *, leaders, service_staff, units) -> None:
    if leaders is not None:
        MeetingLeader.objects.filter(meeting=meeting).delete()
        seen = set()
        for order, user in enumerate(leaders):
            if user.pk not in seen:
                seen.add(user.pk)
                MeetingLeader.objects.create(meeting=meeting, user=user, order=order)
    if service_staff is not None:
        meeting.service_staff.set(list(service_staff))
    if units is not None:
        meeting.units.set(list(units))


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    meeting_type: MeetingType,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    room: Room | None = None,
    section=None,
    presiding=None,
    organizer=None,
    technician=None,
    leaders=(),
    service_staff=(),
    units=(),
    classification: str = Classification.INTERNAL,
    description: str = "",
) -> Meeting:
    if actor is not None:
        access.require_create(actor)
    leaders, units = list(leaders), list(units)
    _validate(
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        classification=classification,
        room=room,
        expected=len(leaders) + len(units) + (1 if presiding else 0),
    )
    room_check_free(room=room, starts_at=starts_at, ends_at=ends_at)
    meeting = Meeting.objects.create(
        meeting_type=meeting_type,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        section=section,
        presiding=presiding,
        organizer=organizer or user_or_none(actor),
        technician=technician,
        classification=classification,
        description=description,
        created_by=user_or_none(actor),
    )
    _set_people(meeting, leaders=leaders, service_staff=service_staff, units=units)
    checklist_instantiate(meeting=meeting, actor=actor)
    audit_record(
        actor=actor,
        verb="meetings.meeting_created",
        subject=meeting,
        data={
            "title": meeting.title,
            "starts_at": starts_at.isoformat(),
            "room": room.name if room else None,
        },
    )
    return meeting


EDITABLE = (
    "meeting_type",
    "title",
    "starts_at",
    "ends_at",
    "room",
    "section",
    "presiding",
    "organizer",
    "technician",
    "classification",
    "description",
)


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting | int,
    leaders=None,
    service_staff=None,
    units=None,
    version: int | str | None = None,
    **fields,
) -> Meeting:
    """Changes a meeting. ``version`` is the version the editor's form was filled from: if someone saved
    the meeting since, the change is refused (conflict) rather than silently overwriting theirs."""
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="manage")
    require_not_cancelled(meeting)
    if version not in (None, "") and str(version) != str(meeting.version):
        raise MeetingError(_("会议信息已被他人修改，请刷新页面，在最新内容上重新修改。"), code="conflict")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = {name: getattr(meeting, name) for name in fields}
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.version += 1
    expected = (len(leaders) if leaders is not None else meeting.leaders.count()) + (
        len(units) if units is not None else meeting.units.count()
    )
    _validate(
        title=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        classification=meeting.classification,
        room=meeting.room,
        expected=expected,
    )
    room_check_free(
        room=meeting.room, starts_at=meeting.starts_at, ends_at=meeting.ends_at, exclude=meeting.pk
    )
    meeting.save()
    _set_people(
        meeting,
        leaders=list(leaders) if leaders is not None else None,
        service_staff=service_staff,
        units=list(units) if units is not None else None,
    )
    checklist_retime(meeting=meeting, actor=actor)
    changed = {k: str(v) for k, v in before.items() if getattr(meeting, k) != v}
    audit_record(actor=actor, verb="meetings.meeting_updated", subject=meeting, data={"changed": changed})
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting: Meeting | int, reason: str) -> Meeting:
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="manage")
    require_not_cancelled(meeting)
    reason = (reason or "").strip()
    if not reason:
        raise MeetingError(_("请说明取消原因。"), code="invalid", fields={"reason": [_("请说明取消原因。")]})
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    checklist_stop_all(meeting=meeting, actor=actor, reason="会议取消")
    from office.clock.services import ladder_stop

    if hasattr(meeting, "notice"):
        ladder_stop(subject=meeting.notice, actor=user_or_none(actor), reason="会议取消")
    audit_record(actor=actor, verb="meetings.meeting_cancelled", subject=meeting, data={"reason": reason})
    return meeting
