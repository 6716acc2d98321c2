"""Every read of 办会, built on the access module's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from office.org.models import Role, Staff
from office.org.roles import has_role
from office.org.types import Actor

from . import access, conf
from .models import ChecklistItem, Meeting, MeetingStatus, Receipt, Response, Room, SignIn

User = get_user_model()


def meeting_list_for_user(*, user: Actor) -> QuerySet[Meeting]:
    return access.meeting_scope(actor=user, qs=Meeting.objects.all())


def meeting_get_for_user(*, user: Actor, id: int) -> Meeting:  # noqa: A002
    meeting = (
        meeting_list_for_user(user=user)
        .select_related(
            "meeting_type", "room", "section", "presiding__staff", "organizer__staff", "technician__staff"
        )
        .filter(pk=id)
        .first()
    )
    if meeting is None:
        raise access.not_found()
    return meeting


# What the calendar and the dashboard show of a meeting: nothing else is read for each one.
CALENDAR_FIELDS = (
    "id",
    "title",
    "starts_at",
    "ends_at",
    "status",
    "meeting_type__name",
    "meeting_type__code",
    "room__name",
)


def calendar_for_user(*, user: Actor, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
    """Meetings overlapping [start, end) with ``open_items`` (checklist items not done, follow-ups aside):
    one query whatever the number of meetings.

    The open items are counted by a correlated subquery on the checklist's meeting index, not by a join
    and GROUP BY over the meetings: the join sorted every checklist item of every meeting ever held (a
    month's calendar grew with the years), the subquery reads only the month's own items. Only the
    fields the calendar and the dashboard show are loaded (``CALENDAR_FIELDS``)."""
    open_items = (
        ChecklistItem.objects.filter(meeting=OuterRef("pk"), done_at__isnull=True, is_follow_up=False)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        meeting_list_for_user(user=user)
        .filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("meeting_type", "room")
        .only(*CALENDAR_FIELDS)
        .annotate(open_items=Coalesce(Subquery(open_items, output_field=IntegerField()), 0))
        .order_by("starts_at", "id")
    )
    meetings: list = list(qs)
    now = timezone.now()
    loud = dt.timedelta(hours=conf.loud_hours())
    for m in meetings:
        m.is_ready = m.open_items == 0
        m.is_loud = (
            not m.is_ready and m.status != MeetingStatus.CANCELLED and now <= m.starts_at <= now + loud
        )
    return meetings


def readiness(meeting: Meeting) -> dict:
    open_items = meeting.checklist_items.filter(done_at__isnull=True, is_follow_up=False).count()
    now = timezone.now()
    return {
        "ready": open_items == 0,
        "open_items": open_items,
        "loud": bool(open_items)
        and meeting.status != MeetingStatus.CANCELLED
        and now <= meeting.starts_at <= now + dt.timedelta(hours=conf.loud_hours()),
    }


def checklist(meeting: Meeting) -> list[ChecklistItem]:
    return list(
        meeting.checklist_items.select_related("owner__staff", "done_by__staff").order_by(
            "is_follow_up", "due_at", "order"
        )
    )


def room_list() -> QuerySet[Room]:
    return Room.objects.filter(is_active=True).order_by("name")


def room_bookings(*, user: Actor, room: Room, start: dt.datetime, end: dt.datetime) -> QuerySet[Meeting]:
    return (
        meeting_list_for_user(user=user)
        .filter(room=room, starts_at__lt=end, ends_at__gt=start)
        .exclude(status=MeetingStatus.CANCELLED)
    )


# --- people the clock tells ---------------------------------------------------------------------


def section_chiefs(meeting: Meeting) -> list:
    section = meeting.section
    if section is None:
        return []
    head = section.head
    if head is not None and head.is_active:
        return [head]
    return [
        u
        for u in User.objects.filter(
            staff__unit=section, is_active=True, groups__name=Role.SECTION_CHIEF
        ).distinct()
    ]


def deputies_in_charge(meeting: Meeting) -> list:
    if meeting.section_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, staff__sections_in_charge=meeting.section_id, groups__name=Role.DEPUTY_DIRECTOR
        ).distinct()
    )


def missing_receipt_people(meeting: Meeting) -> list:
    pending = meeting.receipts.filter(response=Response.PENDING)
    unit_ids = list(pending.filter(unit__isnull=False).values_list("unit_id", flat=True))
    person_ids = list(pending.filter(person__isnull=False).values_list("person_id", flat=True))
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=person_ids) | Q(staff__unit_id__in=unit_ids, staff__is_active=True))
        .order_by("pk")
    )


# --- attendance ---------------------------------------------------------------------------------


@dataclass
class AttendanceRow:
    receipt: Receipt
    expected: str
    signed: SignIn | None


def attendance(*, actor: Actor, meeting: Meeting) -> dict:
    """The attendance list against the receipts: who was expected, who signed in (and when); plus those
    who signed in without a receipt."""
    receipts = list(access.receipts_for_actor(actor=actor, meeting=meeting))
    signs = list(meeting.sign_ins.select_related("person", "signed_by__staff"))
    by_receipt = {s.receipt_id: s for s in signs if s.receipt_id}
    by_person = {s.person_id: s for s in signs if s.person_id}
    rows = []
    for r in receipts:
        signed = by_receipt.get(r.pk) or (by_person.get(r.person_id) if r.person_id else None)
        rows.append(AttendanceRow(receipt=r, expected=r.expected_name, signed=signed))
    shown = {r.signed.pk for r in rows if r.signed}
    unit = access.external_unit(actor)
    extra = [] if unit is not None else [s for s in signs if s.pk not in shown]
    expected = sum(1 for r in rows if r.expected)
    arrived = sum(1 for r in rows if r.expected and r.signed)
    return {
        "rows": rows,
        "extra": extra,
        "expected": expected,
        "arrived": arrived,
        "signed_total": len(signs),
    }


# --- rank (the seating plan) --------------------------------------------------------------------

ROLE_RANK = (
    (Role.DIRECTOR, 1),
    (Role.DEPUTY_DIRECTOR, 2),
    (Role.SECTION_CHIEF, 3),
)


def rank_of(user) -> int:
    """The org's order: director < deputy director < section chief < everyone else."""
    for role, rank in ROLE_RANK:
        if has_role(user, role) and not user.is_superuser:
            return rank
    return 9


def ranks_of(users) -> dict[int, int]:
    """``rank_of`` of many users (pk → rank) in one query, not one per user: a seating plan ranks every
    leader on the rostrum. The same answers: an inactive user or a superuser ranks with everyone else."""
    rank_by_role = {str(role): rank for role, rank in ROLE_RANK}
    users = [u for u in users if u is not None]
    counted = [u.pk for u in users if u.is_active and not u.is_superuser]
    held: dict[int, list[int]] = {}
    if counted:
        for user_id, role in User.groups.through.objects.filter(
            user_id__in=counted, group__name__in=list(rank_by_role)
        ).values_list("user_id", "group__name"):
            held.setdefault(user_id, []).append(rank_by_role[role])
    return {u.pk: min(held.get(u.pk, ()), default=9) for u in users}


def staff_name(user) -> str:
    try:
        return user.staff.name
    except Staff.DoesNotExist:
        return user.get_full_name() or user.get_username()
