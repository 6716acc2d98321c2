"""Who is on duty: shifts, rosters, swaps and the gaps ahead."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from office.errors import not_found
from office.org.types import Actor

from .. import access, conf
from ..models import Roster, RosterStatus, Shift, SwapRequest, SwapStatus

SHIFT_RELATED = ("leader__staff", "main_officer__staff", "deputy_officer__staff")


def published_shifts() -> QuerySet[Shift]:
    return Shift.objects.filter(roster__status=RosterStatus.PUBLISHED).select_related(*SHIFT_RELATED)


def with_people(shifts: list[Shift]) -> list[Shift]:
    """``shifts`` with their duty leader, main and deputy officer (and their staff records) attached, read
    in one query. What ``select_related(*SHIFT_RELATED)`` gives, for the reads made on every intake and
    every board refresh: PostgreSQL spent far longer planning that seven-table outer join than running it."""
    User = get_user_model()
    ids = {pk for s in shifts for pk in (s.leader_id, s.main_officer_id, s.deputy_officer_id) if pk}
    people = User.objects.select_related("staff").in_bulk(ids) if ids else {}
    for shift in shifts:
        for field in ("leader", "main_officer", "deputy_officer"):
            pk = getattr(shift, f"{field}_id")
            if pk:
                setattr(shift, field, people[pk])
    return shifts


def _published() -> QuerySet[Shift]:
    return Shift.objects.filter(roster__status=RosterStatus.PUBLISHED)


def _first_with_people(qs: QuerySet[Shift]) -> Shift | None:
    shift = qs.first()
    return with_people([shift])[0] if shift else None


def shift_at(when=None) -> Shift | None:
    """The published shift covering ``when`` (now by default)."""
    when = when or timezone.now()
    return _first_with_people(
        _published().filter(starts_at__lte=when, ends_at__gt=when).order_by("-starts_at")
    )


def shift_next(when=None) -> Shift | None:
    when = when or timezone.now()
    return _first_with_people(_published().filter(starts_at__gt=when).order_by("starts_at"))


def on_duty_now(when=None) -> dict:
    """Who is on duty now: leader, main and deputy officer of the shift covering ``when``."""
    shift = shift_at(when)
    return {
        "shift": shift,
        "leader": shift.leader if shift else None,
        "main_officer": shift.main_officer if shift else None,
        "deputy_officer": shift.deputy_officer if shift else None,
    }


def duty_leader_now(when=None):
    shift = shift_at(when)
    return shift.leader if shift and shift.leader_id else None


def duty_main_officer_now(when=None):
    shift = shift_at(when)
    return shift.main_officer if shift and shift.main_officer_id else None


def roster_list_for_user(*, user: Actor) -> QuerySet[Roster]:
    return access.roster_scope(
        actor=user, qs=Roster.objects.select_related("published_by__staff").order_by("-year", "-month")
    )


def roster_get_for_user(*, user: Actor, id) -> Roster:
    roster = roster_list_for_user(user=user).filter(pk=id).first()
    if roster is None:
        raise not_found()
    return access.roster_access_for_action(actor=user, roster=roster, action="view")


def roster_shifts(roster: Roster) -> QuerySet[Shift]:
    return roster.shifts.select_related(*SHIFT_RELATED).order_by("starts_at")


def shift_get_for_user(*, user: Actor, id) -> Shift:
    qs = access.shift_scope(actor=user, qs=Shift.objects.select_related("roster", *SHIFT_RELATED))
    shift = qs.filter(pk=id).first()
    if shift is None:
        raise not_found()
    return access.shift_access_for_action(actor=user, shift=shift, action="view")


def shifts_of_user(*, user: Actor, start=None, days: int = 45) -> QuerySet[Shift]:
    start = start or timezone.now()
    return published_shifts().filter(
        Q(main_officer=user) | Q(deputy_officer=user) | Q(leader=user),
        ends_at__gt=start,
        starts_at__lt=start + timedelta(days=days),
    )


def swap_list_for_user(*, user: Actor) -> QuerySet[SwapRequest]:
    qs = SwapRequest.objects.select_related(
        "shift", "proposer__staff", "acceptor__staff", "decided_by__staff", "shift__leader__staff"
    ).order_by("-created_at")
    return access.swap_scope(actor=user, qs=qs)


def swap_open_list_for_user(*, user: Actor) -> QuerySet[SwapRequest]:
    return swap_list_for_user(user=user).filter(status__in=[SwapStatus.PROPOSED, SwapStatus.ACCEPTED])


def swap_get_for_user(*, user: Actor, id) -> SwapRequest:
    swap = swap_list_for_user(user=user).filter(pk=id).first()
    if swap is None:
        raise not_found()
    return access.swap_access_for_action(actor=user, swap=swap, action="view")


def _person_label(user) -> str:
    staff = getattr(user, "staff", None)
    return staff.name if staff else user.get_username()


def shifts_ahead(*, start, days: int) -> list[Shift]:
    """The published shifts that cover any moment between ``start`` and ``start + days``, by start."""
    end = start + timedelta(days=days)
    return with_people(list(_published().filter(ends_at__gt=start, starts_at__lt=end).order_by("starts_at")))


def roster_gaps(*, start=None, days: int | None = None, shifts: list[Shift] | None = None) -> list[dict]:
    """Every hole in the published roster between ``start`` and ``start + days``.

    A moment with no published shift, a shift without a duty leader or a main officer, and an officer
    on a shift who has no phone number on file. Sorted by time. One query (none when the caller passes
    ``shifts_ahead(start=start, days=days)`` it already read).
    """
    start = start or timezone.now()
    days = days if days is not None else conf.gap_horizon_days()
    end = start + timedelta(days=days)
    if shifts is None:
        shifts = shifts_ahead(start=start, days=days)
    gaps: list[dict] = []
    covered_until = start
    for shift in shifts:
        if shift.starts_at > covered_until:
            gaps.append(
                {
                    "kind": "uncovered",
                    "starts_at": covered_until,
                    "ends_at": shift.starts_at,
                    "shift": None,
                    "message": _("无人值班（未排班）"),
                }
            )
        covered_until = max(covered_until, shift.ends_at)
        for role, label in (("leader", _("带班领导")), ("main_officer", _("主班"))):
            if getattr(shift, f"{role}_id") is None:
                gaps.append(
                    {
                        "kind": f"no_{role}",
                        "starts_at": shift.starts_at,
                        "ends_at": shift.ends_at,
                        "shift": shift,
                        "message": _("缺{label}").format(label=label),
                    }
                )
        for role, label in (
            ("leader", _("带班领导")),
            ("main_officer", _("主班")),
            ("deputy_officer", _("副班")),
        ):
            person = getattr(shift, role)
            if person is None:
                continue
            staff = getattr(person, "staff", None)
            if staff is None or not (staff.phone or "").strip():
                gaps.append(
                    {
                        "kind": f"no_phone_{role}",
                        "starts_at": shift.starts_at,
                        "ends_at": shift.ends_at,
                        "shift": shift,
                        "message": _("{label}{person}未登记联系电话").format(
                            label=label, person=_person_label(person)
                        ),
                    }
                )
    if covered_until < end:
        gaps.append(
            {
                "kind": "uncovered",
                "starts_at": covered_until,
                "ends_at": end,
                "shift": None,
                "message": _("无人值班（未排班）"),
            }
        )
    return sorted(gaps, key=lambda g: g["starts_at"])
