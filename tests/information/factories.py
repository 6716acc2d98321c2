"""Reports through the services, at a given moment (time-machine)."""

import time_machine

from research.information.models import AdoptionKind, InfoReport, Outlet
from research.information.services import bulletin, feedback, reports


def make_report(
    w,
    *,
    unit="a",
    when,
    facts_at=None,
    info_type="dynamic",
    title="城关镇推进秋粮收储",
    text="全镇秋粮收储进度过半。",
):
    author = w.drafter_a if unit == "a" else w.head_b
    with time_machine.travel(when, tick=False):
        return reports.report_create(
            actor=author, info_type=info_type, title=title, text=text, facts_at=facts_at or when
        )


def submit(w, report: InfoReport, when) -> InfoReport:
    with time_machine.travel(when, tick=False):
        return reports.report_sign(actor=report.unit.head, report=report)


def through(w, report: InfoReport, when, *, outlet=Outlet.MUNICIPAL) -> InfoReport:
    """Submitted → received → approval → approved → sent upward, all at ``when``."""
    with time_machine.travel(when, tick=False):
        if report.submitted_at is None:
            report = reports.report_sign(actor=report.unit.head, report=report)
        report = reports.report_receive(actor=w.editor, report=report)
        report = reports.report_to_approval(actor=w.editor, report=report, outlet=outlet)
        report = reports.report_approve(actor=w.deputy, report=report)
        if outlet in (Outlet.SPECIAL, Outlet.DAILY):
            bulletin.bulletin_publish(actor=w.editor, kind=outlet, report_ids=[report.pk])
            report.refresh_from_db()
        else:
            report = reports.report_send_upward(actor=w.editor, report=report)
    return report


def adopt(w, report, *kinds, when=None, leader="市委书记"):
    ctx = time_machine.travel(when, tick=False) if when else None
    if ctx:
        ctx.start()
    try:
        for kind in kinds:
            feedback.adoption_record(
                actor=w.editor,
                report=report,
                kind=kind,
                leader=leader if kind == AdoptionKind.INSTRUCTION else "",
            )
    finally:
        if ctx:
            ctx.stop()
