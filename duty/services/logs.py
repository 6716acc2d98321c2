"""The duty log and phone records. Ordinary phone information is handled within 2 hours (timer);
important information goes to the duty leader at once and to the director if still not handled."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import timer_cancel, timer_schedule
from office.org.types import Actor

from .. import access, conf
from ..errors import DutyError
from ..models import Importance, LogEntry, PhoneRecord, PhoneStatus, Shift

PHONE_TIMER = "duty.phone"


@transaction.atomic
def log_add(*, actor: Actor, shift: Shift, text: str) -> LogEntry:
    access.shift_access_for_action(actor=actor, shift=shift, action="log")
    actor = access.duty_person(actor)
    if not (text or "").strip():
        raise DutyError(_("请填写日志内容。"), code="invalid", fields={"text": [_("必填")]})
    entry = LogEntry(shift=shift, author=actor, text=text.strip(), at=timezone.now())
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, verb="duty.log_added", subject=shift, data={"entry": entry.pk})
    return entry


def _schedule_phone(record: PhoneRecord) -> None:
    if record.importance == Importance.IMPORTANT:
        # Step 0 fires at once (the fast path of the clock), step 1 at the limit.
        timer_schedule(
            subject=record,
            kind=PHONE_TIMER,
            step=0,
            due_at=record.received_at,
            data={"recipients": ["duty_leader_now", "duty_main_officer_now"]},
        )
        timer_schedule(
            subject=record,
            kind=PHONE_TIMER,
            step=1,
            due_at=record.due_at,
            data={"recipients": ["director", "duty_leader_now"]},
        )
    else:
        timer_schedule(
            subject=record,
            kind=PHONE_TIMER,
            step=0,
            due_at=record.due_at,
            data={"recipients": ["duty_main_officer_now", "duty_leader_now"]},
        )


@transaction.atomic
def phone_record_create(
    *,
    actor: Actor,
    caller_unit: str,
    caller_name: str,
    caller_number: str,
    content: str,
    caller_title: str = "",
    others_informed: str = "",
    importance: str = Importance.ORDINARY,
    received_at=None,
) -> PhoneRecord:
    from ..selectors.roster import shift_at

    actor = access.require_duty_room(actor)
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + timedelta(minutes=1):
        raise DutyError(
            _("来电时间不能晚于当前时间。"), code="invalid", fields={"received_at": [_("时间无效")]}
        )
    if importance not in Importance.values:
        raise DutyError(_("重要程度无效。"), code="invalid", fields={"importance": [_("无效")]})
    minutes = (
        conf.phone_important_minutes()
        if importance == Importance.IMPORTANT
        else conf.phone_ordinary_minutes()
    )
    record = PhoneRecord(
        shift=shift_at(received_at),
        received_at=received_at,
        caller_unit=caller_unit,
        caller_name=caller_name,
        caller_title=caller_title,
        caller_number=caller_number,
        content=content,
        others_informed=others_informed,
        recorder=actor,
        importance=importance,
        due_at=received_at + timedelta(minutes=minutes),
    )
    record.full_clean()
    record.save()
    _schedule_phone(record)
    audit_record(actor=actor, verb="duty.phone_recorded", subject=record, data={"importance": importance})
    return record


@transaction.atomic
def phone_record_handle(*, actor: Actor, record: PhoneRecord, note: str) -> PhoneRecord:
    access.phone_record_access_for_action(actor=actor, record=record, action="handle")
    actor = access.duty_person(actor)
    record = PhoneRecord.objects.select_for_update().get(pk=record.pk)
    if record.status == PhoneStatus.HANDLED:
        raise DutyError(_("该电话记录已办理。"))
    if not (note or "").strip():
        raise DutyError(_("请填写办理情况。"), code="invalid", fields={"note": [_("必填")]})
    now = timezone.now()
    record.status = PhoneStatus.HANDLED
    record.handled_at = now
    record.handled_by = actor
    record.handling_note = note.strip()
    record.handled_late = now > record.due_at
    record.save(update_fields=["status", "handled_at", "handled_by", "handling_note", "handled_late"])
    timer_cancel(subject=record, kind=PHONE_TIMER)
    audit_record(actor=actor, verb="duty.phone_handled", subject=record, data={"late": record.handled_late})
    return record
