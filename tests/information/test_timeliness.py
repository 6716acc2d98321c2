"""Timeliness: every stage has a deadline on the office clock; a stage past it is marked 迟报 by the
timer (and notified), stored and counted in the unit's timeliness."""

import time_machine
from django.contrib.contenttypes.models import ContentType

from office.clock.models import Timer
from office.clock.services import clock_tick
from office.notifications.models import Notification
from research.information import selectors
from research.information.models import InfoStatus, Outlet
from research.information.services import reports
from research.information.services.timeliness import TIMER_KIND

from .conftest import at
from .factories import make_report


def _timers(report):
    ct = ContentType.objects.get_for_model(report)
    return Timer.objects.filter(subject_type=ct, subject_id=str(report.pk), kind=TIMER_KIND)


def test_a_report_through_every_stage_with_one_stage_late_is_marked_and_counted(office):
    w = office
    # 紧急: 2 h to submit, 2 h to edit, 1 h to approve, 1 h to send. Facts at 08:00 on a Monday.
    report = make_report(w, when=at(2026, 11, 2, 8, 30), facts_at=at(2026, 11, 2, 8, 0), info_type="urgent")
    assert report.submit_due_at == at(2026, 11, 2, 10, 0)
    with time_machine.travel(at(2026, 11, 2, 9, 30), tick=False):
        report = reports.report_sign(actor=w.head_a, report=report)
        assert report.status == InfoStatus.SUBMITTED and not report.submit_late
        assert report.edit_due_at == at(2026, 11, 2, 11, 30)
        report = reports.report_receive(actor=w.editor, report=report)
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        report = reports.report_edit(
            actor=w.editor, report=report, title=report.title, text="（编辑后）" + report.text
        )
        report = reports.report_to_approval(actor=w.editor, report=report, outlet=Outlet.PROVINCIAL)
        assert report.approve_due_at == at(2026, 11, 2, 11, 0)
    # the deputy does not approve within the hour: the clock marks the approval late and tells him
    with time_machine.travel(at(2026, 11, 2, 11, 1), tick=False):
        clock_tick()
    report.refresh_from_db()
    assert report.approve_late is True
    assert not (report.submit_late or report.edit_late or report.send_late)
    assert Notification.objects.filter(recipient=w.deputy, title__contains="迟报").exists()
    with time_machine.travel(at(2026, 11, 2, 11, 20), tick=False):
        report = reports.report_approve(actor=w.deputy, report=report)
        report = reports.report_send_upward(actor=w.editor, report=report)
    assert report.status == InfoStatus.SENT and report.send_late is False
    assert report.late_stages == ["领导审批"]
    # counted: the unit's timeliness for the month shows the one late stage
    t = selectors.unit_timeliness(unit=w.town_a, period=selectors.month_period(at(2026, 11, 2).date()))
    assert t == {"submitted": 1, "submit_late": 0, "edit_late": 0, "approve_late": 1, "send_late": 0}
    # every timer of the report ended: the ended stages' cancelled, the late one fired
    assert not _timers(report).filter(fired_at__isnull=True, cancelled_at__isnull=True).exists()


def test_a_unit_submitting_after_its_limit_is_late_and_counted_once(office):
    w = office
    # 动态: one working day. Facts on Friday 27 Nov 2026 → deadline Monday 30 Nov closing time.
    report = make_report(w, when=at(2026, 11, 27, 9, 0))
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        clock_tick()
        clock_tick()  # twice: still one mark, one notice
    report.refresh_from_db()
    assert report.submit_late is True
    notes = Notification.objects.filter(recipient=w.head_a, title__contains="迟报")
    assert notes.count() == 1
    with time_machine.travel(at(2026, 12, 1, 10, 0), tick=False):
        report = reports.report_sign(actor=w.head_a, report=report)
    assert report.submit_late is True
    period = selectors.month_period(at(2026, 12, 1).date())
    rows = selectors.timeliness_table(period=period)
    assert [(r["unit__name"], r["submitted"], r["submit_late"]) for r in rows] == [("城关镇人民政府", 1, 1)]


def test_a_stage_ended_before_its_deadline_is_not_marked_by_a_late_timer(office):
    w = office
    report = make_report(w, when=at(2026, 11, 2, 9, 0), info_type="urgent")
    with time_machine.travel(at(2026, 11, 2, 9, 30), tick=False):
        reports.report_sign(actor=w.head_a, report=report)
    with time_machine.travel(at(2026, 11, 2, 12, 0), tick=False):
        clock_tick()
    report.refresh_from_db()
    # submitted in time; the edit stage (due 11:30) is open and late now
    assert report.submit_late is False and report.edit_late is True


def test_a_report_linked_to_an_urgent_report_starts_its_clock_at_the_duty_rooms_receipt(office):
    w = office
    urgent = _urgent(w, received=at(2026, 11, 2, 8, 30))
    with time_machine.travel(at(2026, 11, 2, 10, 15), tick=False):
        report = reports.report_create(
            actor=w.drafter_a,
            info_type="urgent",
            title="城关镇山洪冲毁村道后续",
            text="抢修进展。",
            facts_at=at(2026, 11, 2, 8, 0),
            urgent_report_id=urgent.pk,
        )
    # from the facts (08:00) the 2 h were over at 10:00; from the duty room's receipt (08:30) at 10:30
    assert report.submit_due_at == at(2026, 11, 2, 10, 30)
    assert report.urgent_report_id == urgent.pk


def _urgent(w, *, received):
    from duty.models import UrgentReport

    return UrgentReport.objects.create(
        title="山洪冲毁村道",
        level="general",
        source_unit=w.town_a,
        received_at=received,
        phone_due_at=received,
        written_due_at=received,
    )
