"""Handover (交接班): the outgoing officer writes it, the incoming one acknowledges and inherits the
open matters. Not acknowledged in time: the duty leader, then the director (timers on the shift)."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import timer_cancel, timer_schedule
from office.notifications.services import notify
from office.org.types import Actor

from .. import access, conf
from ..errors import DutyError
from ..models import (
    Handover,
    HandoverItem,
    HandoverStatus,
    LogEntry,
    MatterKind,
    PhoneRecord,
    PhoneStatus,
    ReportStatus,
    Shift,
    UrgentReport,
)

HANDOVER_TIMER = "duty.handover"


def handover_schedule_timers(shift: Shift) -> None:
    """Alarm steps for the handover into ``shift``: 0 the duty leader, 1 the director."""
    timer_schedule(
        subject=shift,
        kind=HANDOVER_TIMER,
        step=0,
        due_at=shift.starts_at + timedelta(minutes=conf.handover_ack_minutes()),
        data={"recipients": ["duty_leader_now"]},
    )
    timer_schedule(
        subject=shift,
        kind=HANDOVER_TIMER,
        step=1,
        due_at=shift.starts_at + timedelta(minutes=conf.handover_director_minutes()),
        data={"recipients": ["director", "duty_leader_now"]},
    )


def open_reports_q():
    """Reports still needing the duty room: not finally reported, or an upward report still owed."""
    from django.db.models import Q

    return (
        Q(status=ReportStatus.OPEN) | Q(phone_reported_at__isnull=True) | Q(written_reported_at__isnull=True)
    )


@transaction.atomic
def handover_write(
    *,
    actor: Actor,
    from_shift: Shift,
    notes: str = "",
    documents: list[str] | None = None,
    matters: list[str] | None = None,
) -> Handover:
    """Write the handover at the end of ``from_shift`` into the shift that follows it.

    The open urgent reports and pending phone records are listed automatically; documents and other
    matters are written by the officer, one per line.
    """
    from ..selectors.roster import published_shifts

    from_shift = Shift.objects.select_for_update().get(pk=from_shift.pk)
    access.shift_access_for_action(actor=actor, shift=from_shift, action="handover_write")
    actor = access.duty_person(actor)
    to_shift = published_shifts().filter(starts_at__gte=from_shift.ends_at).order_by("starts_at").first()
    if to_shift is None:
        raise DutyError(_("找不到下一班次，请先排班。"))
    if Handover.objects.filter(to_shift=to_shift).exists():
        raise DutyError(_("本班交班记录已填写。"))
    now = timezone.now()
    handover = Handover(
        to_shift=to_shift,
        from_shift=from_shift,
        notes=(notes or "").strip(),
        outgoing_officer=actor,
        written_at=now,
    )
    handover.full_clean()
    handover.save()
    items = [
        HandoverItem(handover=handover, kind=MatterKind.URGENT_REPORT, urgent_report=r, text=r.title[:300])
        for r in UrgentReport.objects.filter(open_reports_q()).order_by("received_at")
    ]
    items += [
        HandoverItem(
            handover=handover,
            kind=MatterKind.PHONE_RECORD,
            phone_record=p,
            text=f"{p.caller_unit} {p.caller_name}：{p.content}"[:300],
        )
        for p in PhoneRecord.objects.filter(status=PhoneStatus.OPEN).order_by("received_at")
    ]
    for kind, lines in ((MatterKind.DOCUMENT, documents), (MatterKind.NOTE, matters)):
        for line in lines or ():
            if line.strip():
                items.append(HandoverItem(handover=handover, kind=kind, text=line.strip()[:300]))
    HandoverItem.objects.bulk_create(items)
    audit_record(
        actor=actor,
        verb="duty.handover_written",
        subject=handover,
        data={"from_shift": from_shift.pk, "to_shift": to_shift.pk, "items": len(items)},
    )
    notify(
        recipients=[u for u in (to_shift.main_officer, to_shift.deputy_officer) if u],
        subject=handover,
        step="written",
        title=_("请确认接班：{to_shift}（{count} 项待办事项）").format(to_shift=to_shift, count=len(items)),
        url=reverse("duty:handover-detail", args=[handover.pk]),
        level="warning",
    )
    return handover


@transaction.atomic
def handover_acknowledge(*, actor: Actor, handover: Handover) -> Handover:
    """The incoming officer acknowledges; the open matters pass to the new shift."""
    handover = Handover.objects.select_for_update().select_related("to_shift").get(pk=handover.pk)
    to_shift = handover.to_shift
    access.handover_access_for_action(actor=actor, handover=handover, action="acknowledge")
    actor = access.duty_person(actor)
    if handover.status == HandoverStatus.ACKNOWLEDGED:
        raise DutyError(_("该交接班已确认。"))
    now = timezone.now()
    handover.status = HandoverStatus.ACKNOWLEDGED
    handover.incoming_officer = actor
    handover.acknowledged_at = now
    handover.acknowledged_late = now > to_shift.starts_at + timedelta(minutes=conf.handover_ack_minutes())
    handover.save(update_fields=["status", "incoming_officer", "acknowledged_at", "acknowledged_late"])
    items = list(handover.items.all())
    report_ids = [i.urgent_report_id for i in items if i.urgent_report_id]
    phone_ids = [i.phone_record_id for i in items if i.phone_record_id]
    UrgentReport.objects.filter(pk__in=report_ids).update(shift=to_shift)
    PhoneRecord.objects.filter(pk__in=phone_ids, status=PhoneStatus.OPEN).update(shift=to_shift)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                shift=to_shift,
                at=now,
                author=actor,
                carried=True,
                text=f"【交接·{i.get_kind_display()}】{i.text}",
            )
            for i in items
            if i.kind in (MatterKind.DOCUMENT, MatterKind.NOTE)
        ]
    )
    timer_cancel(subject=to_shift, kind=HANDOVER_TIMER)
    audit_record(
        actor=actor,
        verb="duty.handover_acknowledged",
        subject=handover,
        data={"late": handover.acknowledged_late, "reports": report_ids, "phone_records": phone_ids},
    )
    return handover
