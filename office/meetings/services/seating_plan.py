"""The seating plan of a meeting: generated from the attendees' ranks by the protocol rule
(``office.meetings.seating``, the setting ``MEETINGS_SEATING_RULE``), stored as SeatAssignments, edited
by swapping two seats, printed as .docx (and PDF through LibreOffice)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.types import Actor

from .. import access, conf
from ..models import Meeting, Response, SeatAssignment
from ..seating import Seat, SeatPerson, arrange_audience, arrange_rostrum
from ..selectors import ranks_of, staff_name
from .common import MeetingError, locked_meeting

User = get_user_model()


def plan_people(meeting: Meeting) -> tuple[list[SeatPerson], list[tuple[str, list[SeatPerson]]], dict]:
    """(rostrum people, audience groups by unit in the official order, key → user)."""
    users: dict[str, object] = {}
    leaders = [ml.user for ml in meeting.leaders.select_related("user__staff").order_by("order", "id")]
    if meeting.presiding_id:
        presiding = next((u for u in leaders if u.pk == meeting.presiding_id), None)
        if presiding is None:
            presiding = User.objects.select_related("staff").get(pk=meeting.presiding_id)
        leaders.insert(0, presiding)
    others = list(
        meeting.receipts.filter(response__in=[Response.ATTEND, Response.SUBSTITUTE], person__isnull=False)
        .exclude(person_id__in=[u.pk for u in leaders])
        .select_related("person__staff")
    )
    # every rank in one query (a query per leader was most of the plan's time)
    ranks = ranks_of([*leaders, *(r.person for r in others)])
    rostrum, seen = [], set()
    for user in leaders:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        key = f"u{user.pk}"
        users[key] = user
        rostrum.append(SeatPerson(key=key, name=staff_name(user), rank=ranks[user.pk]))
    groups: list[tuple[str, list[SeatPerson]]] = []
    receipts = (
        meeting.receipts.filter(response__in=[Response.ATTEND, Response.SUBSTITUTE], unit__isnull=False)
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id")
    )
    for r in receipts:
        unit = r.unit
        assert unit is not None  # filtered on unit__isnull=False
        groups.append(
            (
                unit.name,
                [
                    SeatPerson(
                        key=f"r{r.pk}",
                        name=f"{r.expected_name}（{unit.short_name or unit.name}）",
                        rank=0,
                    )
                ],
            )
        )
    extra = []
    for r in others:
        assert r.person_id is not None  # filtered on person__isnull=False
        extra.append(SeatPerson(key=f"r{r.pk}", name=r.expected_name, rank=ranks[r.person_id]))
    if extra:
        groups.insert(0, (_("列席"), extra))
    return rostrum, groups, users


def compute_plan(meeting: Meeting) -> tuple[list[Seat], dict]:
    rostrum, groups, users = plan_people(meeting)
    seats = arrange_rostrum(rostrum, rule=conf.seating_rule(), per_row=conf.rostrum_per_row())
    seats += arrange_audience(groups, seats_per_row=conf.audience_seats_per_row())
    return seats, users


@transaction.atomic
def seating_generate(*, actor: Actor, meeting: Meeting | int) -> list[SeatAssignment]:
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="manage")
    seats, users = compute_plan(meeting)
    if not seats:
        raise MeetingError(_("还没有可排座的出席领导或参会人员（回执为参会或代会）。"), code="invalid")
    SeatAssignment.objects.filter(meeting=meeting).delete()
    rows = SeatAssignment.objects.bulk_create(
        [
            SeatAssignment(
                meeting=meeting,
                key=s.key,
                person=users.get(s.key),
                name=s.name,
                zone=s.zone,
                row=s.row,
                index=s.index,
            )
            for s in seats
        ]
    )
    audit_record(
        actor=actor,
        verb="meetings.seating_generated",
        subject=meeting,
        data={"rule": conf.seating_rule(), "seats": len(rows)},
    )
    return rows


@transaction.atomic
def seating_swap(*, actor: Actor, meeting: Meeting | int, key_a: str, key_b: str) -> None:
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="manage")
    if key_a == key_b:
        raise MeetingError(_("请选择两个不同的座位。"), code="invalid")
    seats = {
        s.key: s
        for s in SeatAssignment.objects.select_for_update().filter(meeting=meeting, key__in=[key_a, key_b])
    }
    if len(seats) != 2:
        raise MeetingError(_("座位不存在，请刷新后重试。"), code="invalid")
    a, b = seats[key_a], seats[key_b]
    place_a, place_b = (a.zone, a.row, a.index), (b.zone, b.row, b.index)
    # the unique (zone, row, index) is not deferrable everywhere: park one seat first
    a.row, a.index = 10_000, 10_000
    a.save(update_fields=["row", "index"])
    b.zone, b.row, b.index = place_a
    b.save(update_fields=["zone", "row", "index"])
    a.zone, a.row, a.index = place_b
    a.save(update_fields=["zone", "row", "index"])
    audit_record(actor=actor, verb="meetings.seats_swapped", subject=meeting, data={"a": a.name, "b": b.name})


def seats_of(meeting: Meeting) -> list[Seat]:
    return [
        Seat(s.key, s.name, s.zone, s.row, s.index)
        for s in SeatAssignment.objects.filter(meeting=meeting).order_by("zone", "row", "index")
    ]


def seating_docx(meeting: Meeting) -> bytes:
    from ..seating_print import render_seating_docx

    start = timezone.localtime(meeting.starts_at)
    subtitle = f"{start.strftime('%Y年%m月%d日 %H:%M')}  {meeting.room.name if meeting.room else ''}"
    return render_seating_docx(
        title=_("{title}座次图").format(title=meeting.title), seats=seats_of(meeting), subtitle=subtitle
    )


def seating_grid(meeting: Meeting) -> dict:
    """The plan as rows for the page and the door tablet: rostrum rows back to front, then the audience."""
    seats = list(SeatAssignment.objects.filter(meeting=meeting).order_by("zone", "row", "index"))
    rostrum: dict[int, list] = {}
    audience: dict[int, list] = {}
    for s in seats:
        (rostrum if s.zone == "rostrum" else audience).setdefault(s.row, []).append(s)
    return {
        "rostrum": [rostrum[r] for r in sorted(rostrum, reverse=True)],
        "audience": [audience[r] for r in sorted(audience)],
        "seats": seats,
    }
