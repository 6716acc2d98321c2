"""Roster: generation from the rotation, editing a draft, publishing, who is on duty now, gaps, swaps."""

import threading
from collections import Counter

import pytest
import time_machine
from django.db import connection

from duty.errors import DutyError
from duty.handlers import _leader_now, _main_officer_now
from duty.models import CoverageAlert, Pool, RotationMember, Shift, SwapRequest
from duty.selectors.roster import on_duty_now, roster_gaps
from duty.services.roster import (
    gaps_scan_and_warn,
    roster_generate,
    roster_publish,
    shift_assign,
    swap_accept,
    swap_decide,
    swap_propose,
)
from office.clock.models import Timer
from office.errors import Forbidden
from office.notifications.models import Notification
from office.org.models import Role
from tests.factories import make_user

from .factories import at, make_shift


@pytest.fixture
def rotation(db):
    leaders = [make_user(Role.DUTY_LEADER) for _ in range(2)]
    officers = [make_user(Role.DUTY_OFFICER) for _ in range(4)]
    for i, u in enumerate(leaders):
        RotationMember.objects.create(user=u, pool=Pool.LEADER, order=i)
    for i, u in enumerate(officers):
        RotationMember.objects.create(user=u, pool=Pool.OFFICER, order=i)
    return leaders, officers


def test_generated_roster_covers_every_hour_rotates_fairly_and_flags_holidays(db, rotation, director):
    leaders, officers = rotation
    roster = roster_generate(actor=leaders[0], year=2026, month=10)
    shifts = list(roster.shifts.order_by("starts_at"))
    assert len(shifts) == 31 * 2
    assert shifts[0].starts_at == at(2026, 10, 1, 8, 30) and shifts[-1].ends_at == at(2026, 11, 1, 8, 30)
    assert all(a.ends_at == b.starts_at for a, b in zip(shifts, shifts[1:], strict=False))  # 24 hours covered
    assert all(s.main_officer_id != s.deputy_officer_id for s in shifts)
    # 国庆: 1–7 October are holidays; 10 October 2026 (Saturday) is a working 调休 day? Either way, flagged
    # from the calendar, not from the weekday.
    assert all(s.is_holiday for s in shifts if s.day.day <= 7)
    mains = Counter(s.main_officer_id for s in shifts)
    assert max(mains.values()) - min(mains.values()) <= 2
    holiday_mains = Counter(s.main_officer_id for s in shifts if s.is_holiday)
    assert max(holiday_mains.values()) - min(holiday_mains.values()) <= 1
    # Next month continues the rotation where October stopped.
    roster_publish(actor=leaders[0], roster=roster)
    november = roster_generate(actor=leaders[0], year=2026, month=11)
    first_nov = november.shifts.order_by("starts_at").first()
    last_oct = max((s for s in shifts if not s.is_holiday), key=lambda s: s.starts_at)
    ids = [u.pk for u in officers]
    first_working_nov = november.shifts.filter(is_holiday=False).order_by("starts_at").first()
    assert ids.index(first_working_nov.main_officer_id) == (ids.index(last_oct.main_officer_id) + 1) % 4
    assert first_nov is not None


def test_only_roster_editors_generate_and_published_roster_is_not_regenerated(db, rotation):
    leaders, officers = rotation
    with pytest.raises(Forbidden, match="只有带班领导或办公室领导可以编排值班表"):
        roster_generate(actor=officers[0], year=2026, month=12)
    roster = roster_generate(actor=leaders[0], year=2026, month=12)
    roster_publish(actor=leaders[0], roster=roster)
    with pytest.raises(DutyError):
        roster_generate(actor=leaders[0], year=2026, month=12)


def test_draft_shift_edit_checks_version_and_same_person(db, rotation):
    leaders, officers = rotation
    roster = roster_generate(actor=leaders[0], year=2026, month=12)
    shift = roster.shifts.first()
    with pytest.raises(DutyError):
        shift_assign(
            actor=leaders[0],
            shift=shift,
            leader=leaders[1],
            main_officer=officers[0],
            deputy_officer=officers[0],
        )
    shift_assign(
        actor=leaders[0],
        shift=shift,
        leader=leaders[1],
        main_officer=officers[2],
        deputy_officer=officers[3],
        version=1,
    )
    with pytest.raises(DutyError, match="已被他人修改"):
        shift_assign(
            actor=leaders[0], shift=shift, leader=None, main_officer=None, deputy_officer=None, version=1
        )


def test_publish_schedules_handover_timers_for_future_shifts(db, rotation):
    leaders, _ = rotation
    with time_machine.travel(at(2026, 11, 20, 12, 0), tick=False):
        roster = roster_generate(actor=leaders[0], year=2026, month=12)
        roster_publish(actor=leaders[0], roster=roster)
    assert Timer.objects.filter(kind="duty.handover").count() == 31 * 2 * 2
    assert Timer.objects.filter(kind="duty.gap_scan").count() == 31


def test_daily_gap_scan_timer_warns_about_the_unpublished_month_ahead(db, rotation, director):
    from office.clock.services import clock_tick

    leaders, _ = rotation
    with time_machine.travel(at(2026, 11, 20, 12, 0), tick=False) as traveller:
        roster = roster_generate(actor=leaders[0], year=2026, month=12)
        roster_publish(actor=leaders[0], roster=roster)
        assert not CoverageAlert.objects.filter(starts_at__gte=at(2027, 1, 1)).exists()
        traveller.move_to(at(2026, 12, 5, 9, 0))
        clock_tick()
    # On 5 December the scan looks 30 days ahead and finds January without a roster.
    assert CoverageAlert.objects.filter(kind="uncovered", starts_at=at(2027, 1, 1, 8, 30)).exists()
    from duty.handlers import gap_scan

    before = Notification.objects.count()
    timer = Timer.objects.get(kind="duty.gap_scan", step=5)
    with time_machine.travel(at(2026, 12, 5, 9, 1), tick=False):
        gap_scan(timer)
        gap_scan(timer)
    assert Notification.objects.count() == before  # warned once, not at every scan
    assert Notification.objects.filter(recipient=director, step="detected").exists()


def test_who_is_on_duty_now_resolves_the_current_shift(db, leader, officer, deputy):
    make_shift(at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer, deputy=deputy)
    make_shift(at(2026, 11, 24, 17, 30), at(2026, 11, 25, 8, 30), leader=None, main=deputy)
    make_shift(at(2026, 11, 25, 8, 30), at(2026, 11, 25, 17, 30), leader=leader, main=officer, published=True)
    with time_machine.travel(at(2026, 11, 24, 17, 29, 59), tick=False):
        assert on_duty_now()["main_officer"] == officer
        assert _leader_now(None) == [leader] and _main_officer_now(None) == [officer]
    with time_machine.travel(at(2026, 11, 24, 17, 30), tick=False):
        assert _main_officer_now(None) == [deputy] and _leader_now(None) == []


def test_the_shift_on_duty_comes_with_its_people_and_their_names_in_two_queries(
    db, leader, officer, deputy, django_assert_num_queries
):
    """shift_at / shift_next / shifts_ahead read the shift, then its people (with their staff records) in
    one more query: no query per person when the board or an intake names them."""
    from duty.selectors.roster import shift_at, shift_next, shifts_ahead

    make_shift(at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer, deputy=deputy)
    make_shift(at(2026, 11, 24, 17, 30), at(2026, 11, 25, 8, 30), leader=None, main=deputy)
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        with django_assert_num_queries(2):
            now = shift_at()
            assert (now.leader, now.main_officer, now.deputy_officer) == (leader, officer, deputy)
            assert now.main_officer.staff.name == officer.staff.name
        with django_assert_num_queries(2):
            later = shift_next()
            assert (later.leader, later.main_officer, later.deputy_officer) == (None, deputy, None)
            assert later.main_officer.staff.name == deputy.staff.name
        with django_assert_num_queries(2):
            week = shifts_ahead(start=at(2026, 11, 24, 9, 0), days=7)
            assert [s.main_officer.staff.name for s in week] == [officer.staff.name, deputy.staff.name]
    assert shift_at(at(2026, 11, 26, 9, 0)) is None


def test_gap_detection_finds_a_hole_in_next_weeks_roster_and_warns_once(
    db, director, leader, officer, deputy
):
    no_phone = make_user(Role.DUTY_OFFICER, phone="")
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        start = at(2026, 11, 24, 8, 30)
        # Seven days of day/night shifts, but next Tuesday night is missing and next Monday has no leader.
        from datetime import timedelta

        for d in range(8):
            day_start = start + timedelta(days=d)
            make_shift(
                day_start, day_start + timedelta(hours=9), leader=None if d == 6 else leader, main=officer
            )
            if d != 7:
                make_shift(
                    day_start + timedelta(hours=9),
                    day_start + timedelta(hours=24),
                    leader=leader,
                    main=deputy,
                    deputy=no_phone if d == 3 else None,
                )
        gaps = roster_gaps(days=8)
        kinds = [(g["kind"], g["starts_at"]) for g in gaps]
        assert ("no_leader", at(2026, 11, 30, 8, 30)) in kinds
        assert ("uncovered", at(2026, 12, 1, 17, 30)) in kinds
        assert ("no_phone_deputy_officer", at(2026, 11, 27, 17, 30)) in kinds
        new = gaps_scan_and_warn(days=8)
        assert len(new) == len(gaps)
        assert gaps_scan_and_warn(days=8) == []
    assert CoverageAlert.objects.count() == len(gaps)
    assert Notification.objects.filter(recipient=director, step="detected").count() == len(gaps)


def _future_shift(officer, deputy, leader):
    return make_shift(
        at(2030, 1, 10, 8, 30), at(2030, 1, 10, 17, 30), leader=leader, main=officer, deputy=deputy
    )


def test_swap_proposed_accepted_and_approved_changes_the_shift(db, leader, officer, deputy, colleague):
    shift = _future_shift(officer, deputy, leader)
    swap = swap_propose(actor=officer, shift=shift, position="main", reason="出差")
    with pytest.raises(DutyError):
        swap_decide(actor=leader, swap=swap, approve=True)  # nobody accepted yet
    swap_accept(actor=colleague, swap=swap)
    with pytest.raises(Forbidden, match="只有带班领导可以审批换班"):
        swap_decide(actor=colleague, swap=swap, approve=True)  # not the duty leader
    swap_decide(actor=leader, swap=swap, approve=True)
    shift.refresh_from_db()
    assert shift.main_officer == colleague and shift.version == 2


def test_swap_refused_for_someone_elses_place_and_for_people_already_on_the_shift(
    db, leader, officer, deputy, colleague
):
    shift = _future_shift(officer, deputy, leader)
    with pytest.raises(Forbidden, match="只能为本人值守的班次申请换班"):
        swap_propose(actor=colleague, shift=shift, position="main")
    swap = swap_propose(actor=officer, shift=shift, position="main")
    with pytest.raises(DutyError):
        swap_accept(actor=deputy, swap=swap)
    with pytest.raises(DutyError):
        swap_propose(actor=officer, shift=shift, position="main")  # one open request per place


def test_second_colleague_accepting_loses(db, leader, officer, deputy, colleague):
    shift = _future_shift(officer, deputy, leader)
    swap = swap_propose(actor=officer, shift=shift, position="main")
    other = make_user(Role.DUTY_OFFICER)
    swap_accept(actor=colleague, swap=swap)
    with pytest.raises(DutyError, match="已被他人接替"):
        swap_accept(actor=other, swap=SwapRequest.objects.get(pk=swap.pk))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_swap_race_on_postgresql_exactly_one_wins():
    leader = make_user(Role.DUTY_LEADER)
    officer, deputy = make_user(Role.DUTY_OFFICER), make_user(Role.DUTY_OFFICER)
    rivals = [make_user(Role.DUTY_OFFICER) for _ in range(6)]
    shift = _future_shift(officer, deputy, leader)
    swap = swap_propose(actor=officer, shift=shift, position="main")
    barrier = threading.Barrier(len(rivals))
    results = []

    def accept(user):
        try:
            barrier.wait()
            swap_accept(actor=user, swap=SwapRequest.objects.get(pk=swap.pk))
            results.append(("won", user.pk))
        except DutyError:
            results.append(("lost", user.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in rivals]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [pk for outcome, pk in results if outcome == "won"]
    assert len(results) == len(rivals) and len(winners) == 1
    swap.refresh_from_db()
    assert swap.status == "accepted" and swap.acceptor_id == winners[0]
    assert Shift.objects.get(pk=shift.pk).main_officer == officer  # not changed before approval
