"""Each app's one-line hook really feeds the register (DOMAIN.md "Post risk review": a late urgent report,
a missed handover, a document signed without review, a supervision item that reached 通报批评)."""

import datetime as dt

import pytest
import time_machine

from office.clock.services import clock_tick, timer_schedule
from office.org.models import Role
from office.risks.models import Area, IncidentKind, RiskIncident
from office.risks.services.register import risk_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_late_urgent_report_is_an_incident_of_the_duty_post(office):
    """Rule: an upward report made after its limit (迟报) records one duty_late_report incident."""
    from duty.services.reports import report_receive, report_record_upward
    from tests.duty.factories import at, make_shift

    officer = make_user(Role.DUTY_OFFICER, unit=office.general)
    leader = make_user(Role.DUTY_LEADER, unit=office.general)
    make_shift(at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer)
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False) as traveller:
        report = report_receive(
            actor=officer,
            title="某镇化工厂爆炸",
            level="major",
            elements={"time": "9时50分", "place": "某镇"},
        )
        report_record_upward(actor=officer, report=report, kind="phone", channel="phone", recipients="市领导")
        assert not RiskIncident.objects.exists()  # in time: no incident
        traveller.move_to(at(2026, 11, 24, 11, 7))
        report_record_upward(
            actor=officer, report=report, kind="written", channel="written", recipients="市委主要领导"
        )
    incident = RiskIncident.objects.get()
    assert (incident.kind, incident.risk, incident.responsible) == (
        IncidentKind.DUTY_LATE_REPORT,
        office.late,
        officer,
    )
    assert "某镇化工厂爆炸" in incident.summary and "7" in incident.summary
    assert incident.source_url == f"/duty/reports/{report.pk}/" or incident.source_url.endswith(
        f"{report.pk}/"
    )


def test_a_handover_not_acknowledged_is_an_incident_once(office):
    """Rule: the duty clock's handover alarm records one duty_missed_handover incident per shift."""
    from tests.duty.factories import at, make_shift

    risk_create(
        actor=None,
        post=office.duty_post,
        code="handover-gap",
        area=Area.DUTY,
        title="交接班脱节",
        likelihood=2,
        impact=4,
    )
    officer = make_user(Role.DUTY_OFFICER, unit=office.general)
    leader = make_user(Role.DUTY_LEADER, unit=office.general)
    with time_machine.travel(at(2026, 11, 24, 8, 40), tick=False):
        shift = make_shift(at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer)
        for step in (0, 1):
            timer_schedule(subject=shift, kind="duty.handover", step=step, due_at=at(2026, 11, 24, 8, 35))
        clock_tick()
    incident = RiskIncident.objects.get()
    assert incident.kind == IncidentKind.DUTY_MISSED_HANDOVER and incident.risk.code == "handover-gap"
    assert incident.responsible == officer


def test_a_document_signed_without_review_is_an_incident(office):
    """Rule: a person's sign-off with no 核稿 approved records document_unreviewed; with one, nothing."""
    from documents.services import chain_configure, document_sign_off, document_submit_for_review
    from tests.documents.factories import make_document

    risk_create(
        actor=None,
        post=office.secret_post,
        code="unreviewed-sign",
        area=Area.DOCUMENTS,
        title="公文未经核稿签发",
        likelihood=2,
        impact=4,
    )
    body = "一、基本情况\n某某项目进度滞后，请各单位抓紧推进。\n二、工作要求\n请于5个工作日内报送整改情况。"
    doc = make_document(
        actor=office.secret_clerk, prefix=None, body=body, origin="", title="关于某项目的通知"
    )
    chain_configure(actor=office.secret_clerk, document=doc, reviewers=[], signer=office.director)
    document_submit_for_review(actor=office.secret_clerk, document=doc)
    document_sign_off(actor=office.director, document=doc, opinion="同意。")
    incident = RiskIncident.objects.get()
    assert incident.kind == IncidentKind.DOCUMENT_UNREVIEWED
    assert incident.risk.code == "unreviewed-sign" and incident.responsible == office.secret_clerk
    assert "关于某项目的通知" in incident.summary


def test_a_supervision_item_reaching_the_circular_is_an_incident(office, unit_a):
    """Rule: the ladder's third rung (通报批评) records supervision_circular; the first two do not."""
    from supervision.services.ladder import ladder_register_miss
    from tests.supervision.factories import make_item

    risk_create(
        actor=None,
        post=office.duty_post,
        code="progress-slip",
        area=Area.SUPERVISION,
        title="督办事项跟踪不及时",
        likelihood=2,
        impact=4,
    )
    today = dt.date.today()
    item = make_item(
        actor=office.director,
        lead_unit=unit_a,
        issue=True,
        due=today + dt.timedelta(days=60),
        title="甲镇招商项目",
    )
    first = ladder_register_miss(item=item, trigger="节点逾期")
    second = ladder_register_miss(item=item, trigger="节点逾期", from_step=first)
    assert not RiskIncident.objects.exists()
    ladder_register_miss(item=item, trigger="节点逾期", from_step=second)
    incident = RiskIncident.objects.get()
    assert incident.kind == IncidentKind.SUPERVISION_CIRCULAR and incident.risk.code == "progress-slip"
    assert "甲镇招商项目" in incident.summary
