"""The ranking's monthly summary (RankingMonth) equals a recount from the reports and adoptions after
every kind of event that changes a count — submission on time and late, the clock marking a stage late
(before and after submission), a stage closed late (editing, approval, sending upward, the bulletin), a
return and a resubmission, each adoption level, a refused second adoption, instructions — and the ranking
and timeliness read from it equal the same tables counted from the reports, for a month, a quarter and a
year, across a month's boundary. ``manage.py information_rebuild_ranking`` finds and repairs a summary that
drifted (reports imported in bulk)."""

import io

import pytest
import time_machine
from django.core.management import call_command

from office.clock.services import clock_tick
from research.information import selectors
from research.information.models import AdoptionKind as K
from research.information.models import InfoReport, Outlet, RankingMonth
from research.information.services import bulletin, feedback, reports
from research.information.services.common import InformationError
from research.information.services.ranking import COUNT_FIELDS, ranking_recount

from .conftest import at
from .factories import make_report

PERIODS = [
    selectors.Period("month", 2026, 11),
    selectors.Period("month", 2026, 12),
    selectors.Period("quarter", 2026, 4),
    selectors.Period("year", 2026, 0),
]


def stored() -> dict:
    """The summary's rows that count anything (a bucket locked for a submission that then fell in the next
    month stays at zero)."""
    return {
        (r.unit_id, r.month): {name: getattr(r, name) for name in COUNT_FIELDS}
        for r in RankingMonth.objects.all()
        if any(getattr(r, name) for name in COUNT_FIELDS)
    }


def assert_summary_is_a_recount(step: str) -> None:
    assert stored() == ranking_recount(), step
    for period in PERIODS:
        assert selectors.ranking(period=period) == selectors.ranking_from_reports(period=period, by="unit"), (
            step,
            period,
        )
        assert selectors.timeliness_table(period=period) == selectors.timeliness_from_reports(
            period=period
        ), (
            step,
            period,
        )


def _travel(when):
    return time_machine.travel(when, tick=False)


def test_the_summary_equals_a_recount_after_every_kind_of_event(office):
    w = office
    check = assert_summary_is_a_recount
    # 紧急 reports: 2 h to submit, 2 h to edit, 1 h to approve, 1 h to send; facts at 08:00, Monday 2 Nov
    facts = at(2026, 11, 2, 8, 0)
    a1 = make_report(w, when=at(2026, 11, 2, 8, 30), facts_at=facts, info_type="urgent", title="甲一")
    a2 = make_report(w, when=at(2026, 11, 2, 8, 30), facts_at=facts, info_type="urgent", title="甲二")
    check("drafts count nowhere")
    assert not stored()

    with _travel(at(2026, 11, 2, 9, 30)):
        a1 = reports.report_sign(actor=w.head_a, report=a1)
    check("submitted on time")
    with _travel(at(2026, 11, 2, 10, 1)):
        clock_tick()  # 甲二's unit stage is late while still a draft
    a2.refresh_from_db()
    assert a2.submit_late and a2.submitted_at is None
    check("a draft marked late by the clock")
    with _travel(at(2026, 11, 2, 10, 30)):
        a2 = reports.report_sign(actor=w.head_a, report=a2)
    check("submitted late")
    assert stored()[(w.town_a.pk, at(2026, 11, 1).date())]["submit_late"] == 1

    with _travel(at(2026, 11, 2, 9, 40)):
        a1 = reports.report_receive(actor=w.editor, report=a1)
        a1 = reports.report_edit(actor=w.editor, report=a1, title=a1.title, text="（编辑）" + a1.text)
    check("received and edited")
    with _travel(at(2026, 11, 2, 11, 31)):
        clock_tick()  # 甲一's editing (due 11:30) is late, still open
    a1.refresh_from_db()
    assert a1.edit_late
    check("an open stage marked late by the clock")
    with _travel(at(2026, 11, 2, 11, 40)):
        a1 = reports.report_to_approval(actor=w.editor, report=a1, outlet=Outlet.PROVINCIAL)
    check("editing closed (already late)")
    with _travel(at(2026, 11, 2, 11, 50)):
        a1 = reports.report_return(actor=w.deputy, report=a1, reason="请补充数据")
    check("returned to the information section")
    with _travel(at(2026, 11, 2, 12, 0)):
        a1 = reports.report_to_approval(actor=w.editor, report=a1, outlet=Outlet.PROVINCIAL)
    with _travel(at(2026, 11, 2, 13, 30)):
        a1 = reports.report_approve(actor=w.deputy, report=a1)  # due 13:00: closed late
    check("approval closed late")
    with _travel(at(2026, 11, 2, 15, 0)):
        a1 = reports.report_send_upward(actor=w.editor, report=a1)  # due 14:30: closed late
    check("sent upward late")
    a1.refresh_from_db()
    assert (a1.edit_late, a1.approve_late, a1.send_late) == (True, True, True)

    # editing closed past its deadline before the clock's sweep came round: late when closed
    a4 = make_report(w, when=at(2026, 11, 2, 8, 30), facts_at=facts, info_type="urgent", title="甲四")
    with _travel(at(2026, 11, 2, 9, 0)):
        a4 = reports.report_sign(actor=w.head_a, report=a4)  # editing due 11:00
        a4 = reports.report_receive(actor=w.editor, report=a4)
    with _travel(at(2026, 11, 2, 11, 10)):
        a4 = reports.report_to_approval(actor=w.editor, report=a4, outlet=Outlet.MUNICIPAL)
    assert a4.edit_late
    check("editing closed late")

    # 石门乡: into 每日要情, published late
    b1 = make_report(
        w, unit="b", when=at(2026, 11, 3, 8, 30), facts_at=at(2026, 11, 3, 8, 0), info_type="urgent"
    )
    with _travel(at(2026, 11, 3, 9, 0)):
        b1 = reports.report_sign(actor=w.head_b, report=b1)
        b1 = reports.report_receive(actor=w.editor, report=b1)
        b1 = reports.report_to_approval(actor=w.editor, report=b1, outlet=Outlet.DAILY)
        b1 = reports.report_approve(actor=w.deputy, report=b1)
    with _travel(at(2026, 11, 3, 11, 0)):
        bulletin.bulletin_publish(actor=w.editor, kind=Outlet.DAILY, report_ids=[b1.pk])
    b1.refresh_from_db()
    assert b1.send_late
    check("published in the bulletin late")

    # returned to the unit and submitted again: still one report of November
    a3 = make_report(w, when=at(2026, 11, 4, 8, 30), facts_at=at(2026, 11, 4, 8, 0), info_type="urgent")
    with _travel(at(2026, 11, 4, 9, 0)):
        a3 = reports.report_sign(actor=w.head_a, report=a3)
        a3 = reports.report_receive(actor=w.editor, report=a3)
        a3 = reports.report_return(actor=w.editor, report=a3, reason="要素不全")
    check("returned to the unit")
    with _travel(at(2026, 11, 5, 9, 0)):
        a3 = reports.report_sign(actor=w.head_a, report=a3)
    check("submitted again")
    assert stored()[(w.town_a.pk, at(2026, 11, 1).date())]["submitted"] == 4

    with _travel(at(2026, 11, 6, 9, 0)):
        for kind in (K.MUNICIPAL, K.PROVINCIAL):
            feedback.adoption_record(actor=w.editor, report=a1, kind=kind)
            check(f"adopted: {kind}")
        with pytest.raises(InformationError):
            feedback.adoption_record(actor=w.editor, report=a1, kind=K.MUNICIPAL)
        check("a second adoption at one level refused")
        for leader in ("市委书记", "市长"):
            feedback.adoption_record(actor=w.editor, report=a1, kind=K.INSTRUCTION, leader=leader)
            check(f"instruction by {leader}")
        feedback.adoption_record(actor=w.editor, report=b1, kind=K.CENTRAL)
        check("adopted by the Central office")
    a_nov = stored()[(w.town_a.pk, at(2026, 11, 1).date())]
    assert (a_nov["adopted"], a_nov["municipal"], a_nov["provincial"], a_nov["instruction"]) == (1, 1, 1, 2)

    # either side of midnight at the month's end (local time): November's and December's
    late_nov = make_report(w, when=at(2026, 11, 30, 23, 0), info_type="urgent", title="月末")
    with _travel(at(2026, 11, 30, 23, 30)):
        reports.report_sign(actor=w.head_a, report=late_nov)
    early_dec = make_report(w, when=at(2026, 12, 1, 0, 10), info_type="urgent", title="月初")
    with _travel(at(2026, 12, 1, 0, 30)):
        reports.report_sign(actor=w.head_a, report=early_dec)
    check("either side of the month's end")
    nov, dec = (selectors.ranking(period=p) for p in PERIODS[:2])
    assert {r.name: r.submitted for r in nov} == {"城关镇人民政府": 5, "石门乡人民政府": 1}
    assert {r.name: r.submitted for r in dec} == {"城关镇人民政府": 1}
    assert {r.name: (r.score, r.rank) for r in nov} == {
        "城关镇人民政府": (10 + 20 + 30 + 30, 1),
        "石门乡人民政府": (50, 2),
    }


def test_the_rebuild_finds_and_repairs_a_summary_that_drifted(office):
    """Reports written directly (a bulk import, the demo's history) are not in the summary until it is
    rebuilt; the command's --check names the difference, the rebuild removes it."""
    w = office
    report = make_report(w, when=at(2026, 11, 2, 8, 30), info_type="urgent")
    with _travel(at(2026, 11, 2, 9, 0)):
        reports.report_sign(actor=w.head_a, report=report)
    InfoReport.objects.filter(pk=report.pk).update(edit_late=True)  # behind the services' back
    RankingMonth.objects.filter(unit=w.town_b).delete()
    with pytest.raises(SystemExit) as failed:
        call_command("information_rebuild_ranking", "--check", stdout=io.StringIO(), stderr=io.StringIO())
    assert failed.value.code == 1
    out = io.StringIO()
    call_command("information_rebuild_ranking", stdout=out)
    assert out.getvalue().strip() == "information ranking rebuilt buckets=1 reports=1"
    assert_summary_is_a_recount("rebuilt")
    assert stored()[(w.town_a.pk, at(2026, 11, 1).date())]["edit_late"] == 1
    out = io.StringIO()
    call_command("information_rebuild_ranking", "--check", stdout=out)
    assert out.getvalue().strip() == "information ranking checked buckets=1"


def test_the_migration_fills_the_summary_from_the_reports_already_there(office):
    """0002 summarises the reports a database had before the summary existed, as the rebuild does."""
    from django.apps import apps as current_apps
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    w = office
    report = make_report(w, when=at(2026, 11, 2, 8, 30), info_type="urgent")
    with _travel(at(2026, 11, 2, 9, 0)):
        report = reports.report_sign(actor=w.head_a, report=report)
    InfoReport.objects.filter(pk=report.pk).update(status="sent", sent_at=at(2026, 11, 2, 10, 0))
    report.refresh_from_db()
    with _travel(at(2026, 11, 3, 9, 0)):
        feedback.adoption_record(actor=w.editor, report=report, kind=K.PROVINCIAL)
    expected = ranking_recount()
    RankingMonth.objects.all().delete()
    migration = MigrationExecutor(connection).loader.get_migration("information", "0002_ranking_month")
    fill = next(op for op in migration.operations if op.__class__.__name__ == "RunPython").code
    fill(current_apps, None)
    assert stored() == expected and expected[(w.town_a.pk, at(2026, 11, 1).date())]["provincial"] == 1


@pytest.mark.postgres
def test_every_change_locks_the_ranking_row_before_the_report(office):
    """The lock order of services.ranking (the bucket, then the report) in each service that changes a
    count and in the clock's handler: a transaction holding a report never waits for a bucket."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = office

    def locks(fn) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        tables = [
            re.search(r'FROM "(\w+)"', q["sql"]) for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]
        ]
        return [
            t.group(1)
            for t in tables
            if t and t.group(1) in ("information_rankingmonth", "information_inforeport")
        ]

    def ranking_first(fn, step):
        order = locks(fn)
        assert order and order[0] == "information_rankingmonth" and "information_inforeport" in order, (
            step,
            order,
        )

    a = make_report(w, when=at(2026, 11, 2, 8, 30), facts_at=at(2026, 11, 2, 8, 0), info_type="urgent")
    b = make_report(w, when=at(2026, 11, 2, 8, 30), facts_at=at(2026, 11, 2, 8, 0), info_type="urgent")
    with _travel(at(2026, 11, 2, 9, 0)):
        ranking_first(lambda: reports.report_sign(actor=w.head_a, report=a), "sign")
        b = reports.report_sign(actor=w.head_a, report=b)
        a.refresh_from_db()
        a = reports.report_receive(actor=w.editor, report=a)
        b = reports.report_receive(actor=w.editor, report=b)
        ranking_first(
            lambda: reports.report_to_approval(actor=w.editor, report=a, outlet="municipal"), "edited"
        )
        a.refresh_from_db()
        ranking_first(lambda: reports.report_approve(actor=w.deputy, report=a), "approve")
        a.refresh_from_db()
        ranking_first(lambda: reports.report_send_upward(actor=w.editor, report=a), "send")
        a.refresh_from_db()
        ranking_first(lambda: feedback.adoption_record(actor=w.editor, report=a, kind=K.MUNICIPAL), "adopt")
    with _travel(at(2026, 11, 2, 11, 1)):
        ranking_first(clock_tick, "the clock marks 乙's editing late")
    b.refresh_from_db()
    assert b.edit_late
