"""Reads of the duty log, phone records, handovers and alerts (the duty room only)."""

from django.db.models import Prefetch, QuerySet

from office.errors import not_found
from office.org.types import Actor

from .. import access
from ..models import DutyAlert, Handover, HandoverItem, LogEntry, PhoneRecord, PhoneStatus


def phone_record_list_for_user(*, user: Actor, status: str | None = None) -> QuerySet[PhoneRecord]:
    qs = access.phone_record_scope(
        actor=user, qs=PhoneRecord.objects.select_related("recorder__staff", "handled_by__staff", "shift")
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-received_at", "-id")


def phone_record_get_for_user(*, user: Actor, id) -> PhoneRecord:
    record = phone_record_list_for_user(user=user).filter(pk=id).first()
    if record is None:
        raise not_found()
    return access.phone_record_access_for_action(actor=user, record=record, action="view")


def phone_records_pending() -> QuerySet[PhoneRecord]:
    return (
        PhoneRecord.objects.filter(status=PhoneStatus.OPEN)
        .select_related("recorder__staff")
        .order_by("due_at")
    )


def log_entries_of_shift(shift) -> QuerySet[LogEntry]:
    return shift.log_entries.select_related("author__staff").order_by("at", "id")


def handover_get_for_user(*, user: Actor, id) -> Handover:
    handover = (
        access.handover_scope(actor=user, qs=Handover.objects.all())
        .select_related(
            "to_shift",
            "from_shift",
            "outgoing_officer__staff",
            "incoming_officer__staff",
            "to_shift__main_officer__staff",
            "to_shift__deputy_officer__staff",
        )
        .prefetch_related(
            Prefetch("items", queryset=HandoverItem.objects.select_related("urgent_report", "phone_record"))
        )
        .filter(pk=id)
        .first()
    )
    if handover is None:
        raise not_found()
    return access.handover_access_for_action(actor=user, handover=handover, action="view")


def handover_list_for_user(*, user: Actor) -> QuerySet[Handover]:
    return (
        access.handover_scope(actor=user, qs=Handover.objects.all())
        .select_related("to_shift", "outgoing_officer__staff", "incoming_officer__staff")
        .order_by("-written_at")
    )


def recent_alerts(limit: int = 10) -> list[DutyAlert]:
    return list(DutyAlert.objects.order_by("-fired_at", "-id")[:limit])
