"""The monthly roster: generated from the rotation, edited while a draft, published; swaps; gaps."""

import calendar
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import timer_schedule
from office.notifications.services import notify
from office.org.models import Role
from office.org.roles import DUTY_ROTATION_LEADER_ROLES
from office.org.selectors import users_with_role
from office.org.types import Actor

from .. import access, conf
from ..errors import DutyError
from ..models import (
    CoverageAlert,
    Pool,
    Roster,
    RosterStatus,
    RotationMember,
    Shift,
    SwapPosition,
    SwapRequest,
    SwapStatus,
)


def _is_working_day(d: date) -> bool:
    from office.workdays.services import is_working_day

    return is_working_day(d)


def _pool(pool: str) -> list:
    members = list(
        RotationMember.objects.filter(pool=pool, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("order", "id")
    )
    if members:
        return [m.user for m in members]
    roles = DUTY_ROTATION_LEADER_ROLES if pool == Pool.LEADER else (Role.DUTY_OFFICER,)
    users: dict = {}
    # duty leaders proper first, then the deputy directors who also lead shifts
    for role in sorted(roles, key=lambda r: (r != Role.DUTY_LEADER, r)):
        for u in users_with_role(role).order_by("id"):
            users.setdefault(u.pk, u)
    return list(users.values())


def _aware(d: date, hhmm: str):
    hour, minute = (int(x) for x in hhmm.split(":"))
    return timezone.make_aware(datetime.combine(d, time(hour, minute)))


def _next_index(people: list, last) -> int:
    if last is None:
        return 0
    ids = [p.pk for p in people]
    return (ids.index(last) + 1) % len(ids) if last in ids else 0


@transaction.atomic
def roster_generate(*, actor: Actor, year: int, month: int) -> Roster:
    """(Re)generate a month's draft from the rotation rules.

    Leaders rotate by day, main officers by shift; the deputy is the officer half the pool away, so
    nobody is main and deputy on adjoining shifts. Shifts on non-working days (holiday calendar)
    rotate on a pointer of their own, which spreads holiday duty evenly. The rotation continues from
    the previous month's last shift.
    """
    actor = access.require_roster_editor(actor)
    if not 1 <= month <= 12:
        raise DutyError(_("月份无效。"), code="invalid")
    roster, _created = Roster.objects.select_for_update().get_or_create(
        year=year, month=month, defaults={"created_by": actor}
    )
    if roster.status == RosterStatus.PUBLISHED:
        raise DutyError(_("该月值班表已发布，不能重新生成；请通过换班调整。"))
    leaders, officers = _pool(Pool.LEADER), _pool(Pool.OFFICER)
    if not leaders or not officers:
        raise DutyError(_("轮值人员不足：请先设置带班领导和值班员。"))
    first_day = date(year, month, 1)
    prev = Shift.objects.filter(starts_at__lt=_aware(first_day, "00:00")).order_by("-starts_at")
    last = prev.first()
    last_working = prev.filter(is_holiday=False).first()
    last_holiday = prev.filter(is_holiday=True).first()
    lead_i = _next_index(leaders, last.leader_id if last else None)
    off_i = _next_index(officers, last_working.main_officer_id if last_working else None)
    hol_i = _next_index(officers, last_holiday.main_officer_id if last_holiday else None)
    roster.shifts.all().delete()
    pattern = conf.shift_pattern()
    half = max(1, len(officers) // 2)
    rows = []
    for day_no in range(1, calendar.monthrange(year, month)[1] + 1):
        d = date(year, month, day_no)
        holiday = not _is_working_day(d)
        leader = leaders[lead_i % len(leaders)]
        lead_i += 1
        for slot, (start, end) in enumerate(pattern):
            starts_at = _aware(d, start)
            ends_at = _aware(d, end)
            if ends_at <= starts_at:
                ends_at = _aware(d + timedelta(days=1), end)
            if holiday:
                i, hol_i = hol_i, hol_i + 1
            else:
                i, off_i = off_i, off_i + 1
            main = officers[i % len(officers)]
            deputy = officers[(i + half) % len(officers)] if len(officers) > 1 else None
            rows.append(
                Shift(
                    roster=roster,
                    day=d,
                    slot=slot,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    leader=leader,
                    main_officer=main,
                    deputy_officer=deputy,
                    is_holiday=holiday,
                )
            )
    Shift.objects.bulk_create(rows)
    roster.version += 1
    roster.save(update_fields=["version"])
    audit_record(actor=actor, verb="duty.roster_generated", subject=roster, data={"shifts": len(rows)})
    return roster


@transaction.atomic
def shift_assign(
    *, actor: Actor, shift: Shift, leader, main_officer, deputy_officer, version: int | None = None
) -> Shift:
    """Edit one shift of a draft roster (optimistic: ``version`` is the one the editor saw)."""
    access.shift_access_for_action(actor=actor, shift=shift, action="assign")
    shift = Shift.objects.select_for_update().select_related("roster").get(pk=shift.pk)
    if shift.roster.status != RosterStatus.DRAFT:
        raise DutyError(_("值班表已发布，只能通过换班申请调整。"))
    if version is not None and int(version) != shift.version:
        raise DutyError(_("该班次已被他人修改，请刷新后重试。"))
    if main_officer is not None and deputy_officer is not None and main_officer.pk == deputy_officer.pk:
        raise DutyError(
            _("主班和副班不能是同一人。"), code="invalid", fields={"deputy_officer": [_("与主班重复")]}
        )
    before = [shift.leader_id, shift.main_officer_id, shift.deputy_officer_id]
    shift.leader, shift.main_officer, shift.deputy_officer = leader, main_officer, deputy_officer
    shift.version += 1
    shift.full_clean()
    shift.save(update_fields=["leader", "main_officer", "deputy_officer", "version"])
    audit_record(
        actor=actor,
        verb="duty.shift_assigned",
        subject=shift,
        data={"before": before, "after": [shift.leader_id, shift.main_officer_id, shift.deputy_officer_id]},
    )
    return shift


@transaction.atomic
def roster_publish(*, actor: Actor, roster: Roster, version: int | None = None) -> Roster:
    from .handover import handover_schedule_timers

    access.roster_access_for_action(actor=actor, roster=roster, action="publish")
    actor = access.duty_person(actor)
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if roster.status == RosterStatus.PUBLISHED:
        raise DutyError(_("该值班表已发布。"))
    if version is not None and int(version) != roster.version:
        raise DutyError(_("值班表已被他人修改，请刷新后重试。"))
    shifts = list(roster.shifts.all())
    if not shifts:
        raise DutyError(_("值班表没有班次，不能发布。"))
    roster.status = RosterStatus.PUBLISHED
    roster.published_at = timezone.now()
    roster.published_by = actor
    roster.version += 1
    roster.save(update_fields=["status", "published_at", "published_by", "version"])
    now = timezone.now()
    for shift in shifts:
        if shift.starts_at > now:
            handover_schedule_timers(shift)
    _schedule_gap_scans(roster, now)
    audit_record(actor=actor, verb="duty.roster_published", subject=roster, data={"shifts": len(shifts)})
    gaps_scan_and_warn()
    return roster


GAP_SCAN_TIMER = "duty.gap_scan"


def _schedule_gap_scans(roster: Roster, now) -> None:
    """A daily scan of the 30 days ahead while this roster runs, on the shared clock: the last
    published month keeps looking into the months nobody has published yet."""
    for day_no in range(1, calendar.monthrange(roster.year, roster.month)[1] + 1):
        due = _aware(date(roster.year, roster.month, day_no), "09:00")
        if due > now:
            timer_schedule(subject=roster, kind=GAP_SCAN_TIMER, step=day_no, due_at=due)


# --- swaps ----------------------------------------------------------------------------------------
@transaction.atomic
def swap_propose(*, actor: Actor, shift: Shift, position: str, reason: str = "") -> SwapRequest:
    shift = Shift.objects.select_for_update().select_related("roster").get(pk=shift.pk)
    if position not in SwapPosition.values:
        raise DutyError(_("岗位无效。"), code="invalid")
    access.swap_propose_access(actor=actor, shift=shift, position=position)
    actor = access.duty_person(actor)
    if shift.starts_at <= timezone.now():
        raise DutyError(_("班次已开始，不能再申请换班。"))
    if SwapRequest.objects.filter(
        shift=shift, position=position, status__in=[SwapStatus.PROPOSED, SwapStatus.ACCEPTED]
    ).exists():
        raise DutyError(_("该班次已有未完成的换班申请。"))
    swap = SwapRequest(shift=shift, position=position, proposer=actor, reason=(reason or "")[:200])
    swap.full_clean()
    swap.save()
    audit_record(
        actor=actor, verb="duty.swap_proposed", subject=swap, data={"shift": shift.pk, "position": position}
    )
    notify(
        recipients=[u for u in users_with_role(Role.DUTY_OFFICER) if u.pk != actor.pk],
        subject=swap,
        step="proposed",
        title=_("换班申请：{shift} {position}，可接替").format(
            shift=shift, position=swap.get_position_display()
        ),
        url=reverse("duty:swap-list"),
    )
    return swap


@transaction.atomic
def swap_accept(*, actor: Actor, swap: SwapRequest) -> SwapRequest:
    """A colleague takes the offered place. A conditional UPDATE ... WHERE status='proposed' decides
    a race: of two colleagues accepting at once exactly one changes the row; the other is told."""
    access.swap_access_for_action(actor=actor, swap=swap, action="accept")
    actor = access.duty_person(actor)
    if swap.proposer_id == actor.pk:
        raise DutyError(_("不能接替自己的换班申请。"))
    shift = swap.shift
    if actor.pk in (shift.main_officer_id, shift.deputy_officer_id):
        raise DutyError(_("您已在该班次值班，不能接替。"))
    if shift.starts_at <= timezone.now():
        raise DutyError(_("班次已开始，不能再接替。"))
    won = SwapRequest.objects.filter(pk=swap.pk, status=SwapStatus.PROPOSED).update(
        status=SwapStatus.ACCEPTED, acceptor=actor, accepted_at=timezone.now()
    )
    if not won:
        raise DutyError(_("该换班申请已被他人接替或已撤回。"))
    swap.refresh_from_db()
    audit_record(actor=actor, verb="duty.swap_accepted", subject=swap, data={"acceptor": actor.pk})
    leaders = [shift.leader] if shift.leader_id else list(users_with_role(Role.DUTY_LEADER))
    notify(
        recipients=leaders,
        subject=swap,
        step="accepted",
        title=_("换班待审批：{shift} {position}").format(shift=shift, position=swap.get_position_display()),
        url=reverse("duty:swap-list"),
        level="warning",
    )
    return swap


@transaction.atomic
def swap_decide(*, actor: Actor, swap: SwapRequest, approve: bool) -> SwapRequest:
    swap = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    shift = Shift.objects.select_for_update().get(pk=swap.shift_id)
    swap.shift = shift
    access.swap_access_for_action(actor=actor, swap=swap, action="decide")
    actor = access.duty_person(actor)
    if swap.status != SwapStatus.ACCEPTED:
        raise DutyError(_("该换班申请尚无人接替，或已处理。"))
    swap.status = SwapStatus.APPROVED if approve else SwapStatus.REJECTED
    swap.decided_by = actor
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "decided_by", "decided_at"])
    if approve and swap.acceptor_id in (shift.main_officer_id, shift.deputy_officer_id):
        raise DutyError(_("接替人已在该班次值班，不能批准。"))
    if approve:
        field = "main_officer" if swap.position == SwapPosition.MAIN else "deputy_officer"
        setattr(shift, field, swap.acceptor)
        shift.version = F("version") + 1
        shift.save(update_fields=[field, "version"])
    audit_record(
        actor=actor,
        verb="duty.swap_approved" if approve else "duty.swap_rejected",
        subject=swap,
        data={"shift": shift.pk},
    )
    notify(
        recipients=[swap.proposer, swap.acceptor],
        subject=swap,
        step=f"decided-{swap.status}",
        title=_("换班申请{status}：{shift}").format(status=swap.get_status_display(), shift=shift),
        url=reverse("duty:swap-list"),
    )
    return swap


@transaction.atomic
def swap_cancel(*, actor: Actor, swap: SwapRequest) -> SwapRequest:
    swap = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    access.swap_access_for_action(actor=actor, swap=swap, action="cancel")
    if swap.status not in (SwapStatus.PROPOSED, SwapStatus.ACCEPTED):
        raise DutyError(_("该换班申请已处理，不能撤回。"))
    swap.status = SwapStatus.CANCELLED
    swap.save(update_fields=["status"])
    audit_record(actor=actor, verb="duty.swap_cancelled", subject=swap, data={})
    return swap


# --- gaps -----------------------------------------------------------------------------------------
def duty_room_users() -> list:
    """The duty room: staff of the 总值班室 section, or every duty officer when there is none."""
    from office.org.models import Unit
    from office.org.selectors import staff_list

    unit = Unit.objects.filter(code="zhiban").first()
    users = [s.user for s in staff_list(unit=unit)] if unit else []
    return users or list(users_with_role(Role.DUTY_OFFICER))


@transaction.atomic
def gaps_scan_and_warn(*, start=None, days: int | None = None) -> list[CoverageAlert]:
    """Warn the director and the duty room once about each hole in the roster ahead."""
    from ..selectors.roster import roster_gaps

    new = []
    recipients = None
    for gap in roster_gaps(start=start, days=days):
        # An uncovered stretch at the end of the horizon moves every scan; key it by its start only.
        key = f"{gap['kind']}:{gap['shift'].pk if gap['shift'] else gap['starts_at'].isoformat()}"
        alert, created = CoverageAlert.objects.get_or_create(
            key=key[:120],
            defaults={
                "kind": gap["kind"],
                "starts_at": gap["starts_at"],
                "ends_at": gap["ends_at"],
                "message": gap["message"][:300],
            },
        )
        if not created:
            continue
        new.append(alert)
        if recipients is None:
            recipients = list(users_with_role(Role.DIRECTOR)) + duty_room_users()
        start_local = timezone.localtime(gap["starts_at"])
        notify(
            recipients=recipients,
            subject=alert,
            step="detected",
            title=_("值班缺口：{start:%m月%d日 %H:%M} 起{message}").format(
                start=start_local, message=gap["message"]
            )[:200],
            url=reverse("duty:roster-list"),
            level="warning",
        )
        audit_record(
            actor=None, actor_label="值班排班检查", verb="duty.gap_detected", subject=alert, data={"key": key}
        )
    return new


def user_by_label(label: str):
    """Find a user by login name or staff name (import of an edited roster)."""
    label = (label or "").strip()
    if not label:
        return None
    User = get_user_model()
    user = User.objects.filter(username=label).first()
    if user is None:
        matches = list(User.objects.filter(staff__name=label)[:2])
        if len(matches) > 1:
            raise DutyError(_("姓名“{label}”对应多人，请填写登录名。").format(label=label), code="invalid")
        user = matches[0] if matches else None
    if user is None:
        raise DutyError(_("找不到人员“{label}”。").format(label=label), code="invalid")
    return user
