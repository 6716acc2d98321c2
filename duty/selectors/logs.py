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


def handovers_to_acknowledge(*, user: Actor) -> QuerySet[Handover]:
    """Handovers written into a shift on which ``user`` is an incoming officer, not yet taken over
    (the person's "my work": 接班确认)."""
    pk = getattr(user, "pk", None)
    if pk is None or not access.can_view_duty_room(user):
        return Handover.objects.none()
    from django.db.models import Q

    return (
        Handover.objects.filter(acknowledged_at__isnull=True)
        .filter(Q(to_shift__main_officer_id=pk) | Q(to_shift__deputy_officer_id=pk))
        .select_related("to_shift")
        .order_by("to_shift__starts_at", "id")
    )
