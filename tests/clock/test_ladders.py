from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from office.audit.models import AuditEvent
from office.clock.handlers import fire_ladder_step
from office.clock.models import LadderStatus, LadderTemplateStep, SubjectLadder, Timer
from office.clock.services import (
    ClockError,
    clock_tick,
    ladder_next_action,
    ladder_pause,
    ladder_plan,
    ladder_restart_from,
    ladder_resume,
    ladder_start,
    ladder_stop,
)
from office.notifications.models import Notification
from office.org.models import Role
from office.org.roles import assign_roles
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 09:00 in Shanghai: a plain working week.
MONDAY = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


@pytest.fixture
def people(db):
    return {
        "chief": make_user(Role.SECTION_CHIEF),
        "deputy": make_user(Role.DEPUTY_DIRECTOR),
        "director": make_user(Role.DIRECTOR),
    }


@pytest.fixture
def started(subject, ladder_template, people, no_fast_path):
    with time_machine.travel(MONDAY, tick=False):
        ladder_start(subject=subject, template_code="test-ladder", actor=people["director"])
    return subject


def tick_at(moment):
    with time_machine.travel(moment, tick=False):
        return clock_tick()


def test_starting_a_ladder_freezes_its_steps_and_shows_the_whole_plan(started, people):
    assert SubjectLadder.objects.get().started_by == people["director"]
    plan = ladder_plan(started)
    assert [s["name"] for s in plan] == ["提醒", "分管领导督促", "主任督办"]
    assert [s["due_at"] for s in plan] == [
        MONDAY + timedelta(hours=2),
        timezone.make_aware(datetime(2026, 3, 3, 17, 30)),  # 1 working day after Monday 11:00
        timezone.make_aware(datetime(2026, 3, 5, 17, 30)),  # 2 more working days
    ]
    assert {s["status"] for s in plan} == {"pending"}
    assert ladder_next_action(started)["name"] == "提醒"
    assert Timer.objects.filter(kind="clock.ladder_step").count() == 3
    assert AuditEvent.objects.filter(verb="clock.ladder_started", subject_id=str(started.pk)).exists()


def test_editing_the_template_later_changes_new_subjects_only(started, ladder_template, subject_factory=None):
    LadderTemplateStep.objects.filter(template=ladder_template, order=1).update(
        name="改过的提醒", wait_hours=10
    )
    assert ladder_plan(started)[0]["name"] == "提醒"
    from tests.factories import UnitFactory

    other = UnitFactory()
    ladder_start(subject=other, template_code="test-ladder")
    assert ladder_plan(other)[0]["name"] == "改过的提醒"


def test_steps_fire_in_turn_to_whoever_holds_the_role_when_they_fire(started, people):
    assert tick_at(MONDAY + timedelta(hours=1)).fired == 0
    assert tick_at(MONDAY + timedelta(hours=2, seconds=1)).fired == 1
    plan = ladder_plan(started)
    assert plan[0]["status"] == "fired"
    assert [p["id"] for p in plan[0]["recipients_resolved"]] == [people["chief"].pk]
    assert Notification.objects.filter(recipient=people["chief"], subject_id=str(started.pk)).count() == 1
    assert ladder_next_action(started)["name"] == "分管领导督促"

    # A new deputy takes over before the second step fires: the new one is told, not the old one.
    new_deputy = make_user(Role.DEPUTY_DIRECTOR)
    assign_roles(people["deputy"], [Role.STAFF])
    tick_at(timezone.make_aware(datetime(2026, 3, 3, 17, 31)))
    plan = ladder_plan(started)
    assert [p["id"] for p in plan[1]["recipients_resolved"]] == [new_deputy.pk]
    assert not Notification.objects.filter(recipient=people["deputy"]).exists()

    tick_at(timezone.make_aware(datetime(2026, 3, 5, 17, 31)))
    assert ladder_plan(started)[2]["status"] == "fired"
    assert SubjectLadder.objects.get().status == LadderStatus.COMPLETED
    assert ladder_next_action(started) is None
    assert AuditEvent.objects.filter(verb="clock.ladder_step_fired", subject_id=str(started.pk)).count() == 3


def test_the_ladder_step_handler_is_idempotent(started, people):
    tick_at(MONDAY + timedelta(hours=3))
    timer = Timer.objects.filter(kind="clock.ladder_step").order_by("due_at").first()
    fire_ladder_step(timer)
    fire_ladder_step(timer)
    assert Notification.objects.filter(subject_id=str(started.pk)).count() == 1
    assert AuditEvent.objects.filter(verb="clock.ladder_step_fired").count() == 1


def test_pausing_cancels_the_timers_and_resuming_shifts_them_by_the_pause(started):
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        ladder_pause(subject=started, reason="等待上级答复")
    assert not Timer.objects.filter(kind="clock.ladder_step", cancelled_at__isnull=True).exists()
    assert tick_at(MONDAY + timedelta(days=10)).fired == 0
    assert ladder_next_action(started)["ladder_status"] == "paused"
    with pytest.raises(ClockError):
        ladder_pause(subject=started)
    with time_machine.travel(MONDAY + timedelta(hours=5), tick=False):
        ladder_resume(subject=started)
    plan = ladder_plan(started)
    assert plan[0]["due_at"] == MONDAY + timedelta(hours=6)  # four hours paused
    assert tick_at(MONDAY + timedelta(hours=5, minutes=59)).fired == 0
    assert tick_at(MONDAY + timedelta(hours=6, seconds=1)).fired == 1


def test_resuming_from_an_anchor_retimes_the_pending_steps(started):
    ladder_pause(subject=started)
    anchor = timezone.make_aware(datetime(2026, 3, 9, 9, 0))
    ladder_resume(subject=started, anchor=anchor)
    assert ladder_plan(started)[0]["due_at"] == anchor + timedelta(hours=2)
    with pytest.raises(ClockError):
        ladder_resume(subject=started)


def test_stopping_cancels_everything_and_closing_twice_is_harmless(started):
    assert ladder_stop(subject=started, reason="已办结").status == LadderStatus.STOPPED
    assert ladder_stop(subject=started) is None
    assert {s["status"] for s in ladder_plan(started)} == {"cancelled"}
    assert tick_at(MONDAY + timedelta(days=30)).fired == 0
    assert ladder_next_action(started) is None


def test_a_stopped_ladder_can_be_started_again_with_fresh_steps(started, people):
    tick_at(MONDAY + timedelta(hours=3))
    ladder_stop(subject=started)
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        ladder_start(subject=started, template_code="test-ladder")
    assert SubjectLadder.objects.count() == 2
    assert ladder_plan(started)[0]["status"] == "pending"
    tick_at(MONDAY + timedelta(days=1, hours=3))
    assert Notification.objects.filter(recipient=people["chief"]).count() == 2


def test_a_ladder_cannot_start_twice_or_from_a_missing_template(started, subject):
    with pytest.raises(ClockError):
        ladder_start(subject=started, template_code="test-ladder")
    from tests.factories import UnitFactory

    with pytest.raises(ClockError):
        ladder_start(subject=UnitFactory(), template_code="no-such-ladder")
    with pytest.raises(ClockError):
        ladder_start(subject=UnitFactory(), template_code="test-ladder", start_step=3)


def test_entering_at_a_higher_step_skips_the_lower_ones(subject, ladder_template, people, no_fast_path):
    with time_machine.travel(MONDAY, tick=False):
        ladder_start(subject=subject, template_code="test-ladder", start_step=2)
    plan = ladder_plan(subject)
    assert [s["status"] for s in plan] == ["skipped", "skipped", "pending"]
    assert plan[2]["due_at"] == timezone.make_aware(datetime(2026, 3, 4, 17, 30))
    assert Timer.objects.filter(kind="clock.ladder_step").count() == 1
    tick_at(plan[2]["due_at"] + timedelta(seconds=1))
    assert Notification.objects.filter(recipient=people["director"]).count() == 1


def test_restarting_from_an_anchor_retimes_only_the_pending_steps(started):
    tick_at(MONDAY + timedelta(hours=3))
    extension = timezone.make_aware(datetime(2026, 3, 16, 9, 0))
    ladder_restart_from(subject=started, anchor=extension)
    plan = ladder_plan(started)
    assert plan[0]["due_at"] == MONDAY + timedelta(hours=2)
    assert plan[1]["due_at"] == timezone.make_aware(datetime(2026, 3, 17, 17, 30))
    assert plan[2]["due_at"] == timezone.make_aware(datetime(2026, 3, 19, 17, 30))
    assert tick_at(timezone.make_aware(datetime(2026, 3, 4, 9, 0))).fired == 0


def test_a_ladder_over_the_spring_festival_waits_in_working_days(subject, ladder_template, no_fast_path):
    LadderTemplateStep.objects.filter(template=ladder_template, order=1).update(
        wait_hours=None, wait_working_days=1
    )
    ladder_start(
        subject=subject, template_code="test-ladder", anchor=timezone.make_aware(datetime(2026, 2, 13, 10))
    )
    due = [s["due_at"].date().isoformat() for s in ladder_plan(subject)]
    assert due == ["2026-02-14", "2026-02-24", "2026-02-26"]


def test_template_steps_refuse_unknown_recipients_and_actions(ladder_template):
    step = LadderTemplateStep(template=ladder_template, order=9, name="x", wait_hours=1, recipients="nobody")
    with pytest.raises(ValidationError) as err:
        step.full_clean()
    assert "recipients" in err.value.message_dict
    step = LadderTemplateStep(
        template=ladder_template, order=9, name="x", wait_hours=1, wait_working_days=1, recipients="director"
    )
    with pytest.raises(ValidationError):
        step.full_clean()
    step = LadderTemplateStep(
        template=ladder_template, order=9, name="x", wait_hours=1, recipients="role:duty_leader"
    )
    step.full_clean()


def test_a_step_with_nobody_to_tell_fails_visibly_and_fires_once_someone_holds_the_role(
    subject, ladder_template, no_fast_path
):
    ladder_start(subject=subject, template_code="test-ladder", anchor=MONDAY)
    result = tick_at(MONDAY + timedelta(hours=2, seconds=1))
    assert result.failed == 1
    timer = Timer.objects.filter(kind="clock.ladder_step").order_by("due_at").first()
    assert "没有可通知的人员" in timer.last_error and timer.fired_at is None
    assert ladder_plan(subject)[0]["status"] == "pending"
    chief = make_user(Role.SECTION_CHIEF)
    tick_at(timer.next_attempt_at + timedelta(seconds=1))
    assert ladder_plan(subject)[0]["status"] == "fired"
    assert Notification.objects.filter(recipient=chief).count() == 1


def test_resuming_after_days_of_pause_moves_working_day_steps_by_working_days(started):
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        ladder_pause(subject=started)
    with time_machine.travel(MONDAY + timedelta(days=2, hours=1), tick=False):  # Wednesday 10:00
        ladder_resume(subject=started)
    plan = ladder_plan(started)
    assert plan[0]["due_at"] == MONDAY + timedelta(days=2, hours=2)  # hours: shifted by 48 h
    assert plan[1]["due_at"] == timezone.make_aware(datetime(2026, 3, 5, 17, 30))  # Tue -> Thu 17:30
    assert plan[2]["due_at"] == timezone.make_aware(datetime(2026, 3, 9, 17, 30))  # Thu -> Mon 17:30


def test_a_deadline_that_passed_during_a_short_pause_gets_its_remaining_time_back(started):
    # Paused at 16:30 on Tuesday with the second step due at 17:30; resumed at 18:00 the same day.
    tick_at(MONDAY + timedelta(hours=3))
    tuesday = timezone.make_aware(datetime(2026, 3, 3, 16, 30))
    with time_machine.travel(tuesday, tick=False):
        ladder_pause(subject=started)
    with time_machine.travel(tuesday + timedelta(minutes=90), tick=False):
        ladder_resume(subject=started)
    assert ladder_plan(started)[1]["due_at"] == tuesday + timedelta(
        minutes=150
    )  # 18:00 + the hour it had left


def test_a_ladders_timers_are_scheduled_in_one_read_and_one_insert(
    subject, ladder_template, people, no_fast_path
):
    """However many steps the template has, starting a ladder writes its timers in one insert after one
    read of the subject's timers (``timers_schedule``), not a read and a write per step."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(MONDAY, tick=False), CaptureQueriesContext(connection) as ctx:
        ladder_start(subject=subject, template_code="test-ladder", actor=people["director"])
    timer_inserts = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "clock_timer"')
    ]
    assert len(timer_inserts) == 1
    assert Timer.objects.filter(kind="clock.ladder_step").count() == 3
