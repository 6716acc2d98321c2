"""The call for topics (deadline on the clock), proposals scoped by unit, and the plan's state machine
(draft → submitted → approved / returned with a reason), audited."""

import datetime as dt

import pytest
import time_machine

from office.audit.models import AuditEvent
from office.clock.services import clock_tick
from office.errors import OfficeError
from office.notifications.models import Notification
from research import selectors
from research.models import CallStatus, PlanStatus, ProposalStatus, TopicStatus
from research.services.calls import call_open, proposal_submit
from research.services.plans import plan_approve, plan_create, plan_return, plan_submit, topic_add

from .conftest import at


def _call(w):
    with time_machine.travel(at(2026, 1, 5, 9, 0), tick=False):
        return call_open(actor=w.chief, year=2026, deadline=at(2026, 2, 6, 17, 30))


def test_call_reminds_units_before_deadline_and_closes_itself_at_it(office):
    w = office
    call = _call(w)
    with time_machine.travel(at(2026, 2, 3, 17, 31), tick=False):  # 3 days before
        clock_tick()
    assert Notification.objects.filter(recipient=w.liaison, title__contains="截止").exists()
    assert not Notification.objects.filter(recipient=w.outsider).exists()  # not a chief nor a liaison
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    with time_machine.travel(at(2026, 2, 6, 17, 31), tick=False):
        clock_tick()
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    assert Notification.objects.filter(recipient=w.researcher, title__contains="已截止").exists()
    assert AuditEvent.objects.filter(verb="research.call_closed").count() == 1


def test_a_closed_call_refuses_proposals(office):
    w = office
    call = _call(w)
    with time_machine.travel(at(2026, 2, 7, 9, 0), tick=False):
        clock_tick()
        with pytest.raises(OfficeError, match="已截止"):
            proposal_submit(
                actor=w.liaison, call=call, title="乡村振兴研究", reasons="需要总结经验，形成对策建议。"
            )


def test_proposals_are_for_the_proposer_unit_and_seen_by_it_only(office):
    w = office
    call = _call(w)
    with time_machine.travel(at(2026, 1, 10, 9, 0), tick=False):
        mine = proposal_submit(
            actor=w.liaison, call=call, title="乡村振兴研究", reasons="需要总结经验，形成对策建议。"
        )
        theirs = proposal_submit(
            actor=w.liaison2, call=call, title="乙镇执法改革", reasons="执法力量下沉后的问题需要研究。"
        )
        staff = proposal_submit(
            actor=w.clerk, call=call, title="机关作风建设", reasons="研究机关作风建设长效机制。"
        )
    assert mine.unit == w.town and staff.unit == w.general
    assert list(selectors.proposal_list_for_user(user=w.liaison)) == [mine]
    assert list(selectors.proposal_list_for_user(user=w.clerk)) == [staff]
    assert set(selectors.proposal_list_for_user(user=w.researcher)) == {mine, theirs, staff}


def test_proposal_needs_reasons(office):
    call = _call(office)
    with time_machine.travel(at(2026, 1, 10, 9, 0), tick=False):
        with pytest.raises(OfficeError, match="选题理由") as exc:
            proposal_submit(actor=office.liaison, call=call, title="乡村振兴研究", reasons="好")
    assert exc.value.code == "invalid"


def test_plan_goes_draft_submitted_returned_submitted_approved(office):
    w = office
    call = _call(w)
    with time_machine.travel(at(2026, 1, 10, 9, 0), tick=False):
        proposal = proposal_submit(
            actor=w.liaison, call=call, title="乡村振兴研究", reasons="需要总结经验，形成对策建议。"
        )
    plan = plan_create(actor=w.chief, year=2026)
    topic = topic_add(
        actor=w.chief,
        plan=plan,
        title="乡村振兴示范片区研究",
        kind="major",
        lead=w.researcher,
        proposals=[proposal.pk],
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED and proposal.topic == topic
    assert [m.kind for m in topic.milestones.order_by("order")] == ["outline", "field", "draft", "final"]
    with pytest.raises(OfficeError, match="主任审定"):
        plan_approve(actor=w.chief, plan=plan)  # a researcher may not approve
    with pytest.raises(OfficeError, match="待审定"):
        plan_approve(actor=w.director, plan=plan)  # not submitted yet
    plan_submit(actor=w.chief, plan=plan)
    assert Notification.objects.filter(recipient=w.director, title__contains="报请审定").exists()
    with pytest.raises(OfficeError, match="退回理由"):
        plan_return(actor=w.director, plan=plan, reason="")
    plan = plan_return(actor=w.director, plan=plan, reason="请增加一个专项课题")
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == "请增加一个专项课题"
    topic_add(actor=w.chief, plan=plan, title="乡镇执法改革运行研究", kind="special", lead=w.researcher)
    plan_submit(actor=w.chief, plan=plan)
    plan = plan_approve(actor=w.director, plan=plan)
    assert plan.status == PlanStatus.APPROVED
    assert set(plan.topics.values_list("status", flat=True)) == {TopicStatus.IN_PROGRESS}
    with pytest.raises(OfficeError, match="不能再增加"):
        topic_add(actor=w.chief, plan=plan, title="又一个课题研究", kind="special", lead=w.researcher)
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="research.plan")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "research.plan_created",
        "research.plan_submitted",
        "research.plan_returned",
        "research.plan_submitted",
        "research.plan_approved",
    ]


def test_draft_plan_is_hidden_from_staff_until_approved(office, approved_topic):
    w = office
    draft = plan_create(actor=w.chief, year=2027)
    with pytest.raises(OfficeError):
        selectors.plan_get_for_user(user=w.outsider, year=2027)
    assert selectors.plan_get_for_user(user=w.outsider, year=2026).pk == approved_topic.plan_id
    assert selectors.plan_get_for_user(user=w.researcher, year=2027) == draft
    with pytest.raises(OfficeError):
        selectors.plan_get_for_user(user=w.liaison, year=2026)  # units: not the office's plan


def test_milestones_must_be_in_order(office):
    w = office
    plan = plan_create(actor=w.chief, year=2026)
    with pytest.raises(OfficeError, match="依次排列"):
        topic_add(
            actor=w.chief,
            plan=plan,
            title="乡村振兴示范片区研究",
            kind="major",
            lead=w.researcher,
            started_on=dt.date(2026, 3, 1),
            milestones={"outline": dt.date(2026, 6, 1), "field": dt.date(2026, 5, 1)},
        )
