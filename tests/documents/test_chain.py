"""The review chain: 核稿 in order, 会签 in parallel or in sequence, 签发; approve, return to any earlier
stage or the drafter (new round, old opinions kept), delegate; deadlines on the clock; 催办 per day."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from documents.models import DocStatus, ReviewStep, StepKind, StepStatus
from documents.services import (
    DocumentError,
    chain_configure,
    document_issue_directly,
    document_sign_off,
    document_submit_for_review,
    register_sign_off_hook,
    step_approve,
    step_delegate,
    step_remind,
    step_return,
)
from office.clock.models import Timer
from office.errors import Forbidden
from office.notifications.models import Notification
from office.org.models import Role
from tests.factories import make_user

from .factories import make_document

pytestmark = pytest.mark.django_db

CLEAN = "一、基本情况\n某某项目进度滞后，请各单位抓紧推进。\n二、工作要求\n请于5个工作日内报送整改情况。"


@pytest.fixture
def people(db):
    return {
        "drafter": make_user(Role.STAFF),
        "r1": make_user(Role.SECTION_CHIEF),
        "r2": make_user(Role.SECTION_CHIEF),
        "c1": make_user(Role.STAFF),
        "c2": make_user(Role.STAFF),
        "signer": make_user(Role.DIRECTOR),
        "deputy": make_user(Role.DEPUTY_DIRECTOR),
    }


def _doc(p, **kw):
    return make_document(actor=p["drafter"], prefix=None, body=CLEAN, origin="", **kw)


def _pending(doc):
    return list(ReviewStep.objects.filter(document=doc, status=StepStatus.PENDING).order_by("stage", "id"))


def _configured(p, parallel=True, **kw):
    doc = _doc(p, **kw)
    chain_configure(
        actor=p["drafter"],
        document=doc,
        reviewers=[p["r1"], p["r2"]],
        countersigners=[(p["c1"], "市发展改革委"), (p["c2"], "市财政局")],
        countersign_parallel=parallel,
        signer=p["signer"],
    )
    return doc


def test_reviewers_in_order_countersign_in_parallel_then_sign_off_writes_signer(people):
    p = people
    doc = _configured(p)
    doc = document_submit_for_review(actor=p["drafter"], document=doc)
    assert doc.status == DocStatus.IN_REVIEW
    assert [s.assignee for s in _pending(doc)] == [p["r1"]]
    step_approve(actor=p["r1"], step=_pending(doc)[0], opinion="文字已核。")
    assert [s.assignee for s in _pending(doc)] == [p["r2"]]
    step_approve(actor=p["r2"], step=_pending(doc)[0], opinion="")
    # 会签 in parallel: both bodies at once, and the signer waits for both
    assert {s.assignee for s in _pending(doc)} == {p["c1"], p["c2"]}
    step_approve(actor=p["c1"], step=_pending(doc)[0], opinion="无意见。")
    assert [s.assignee for s in _pending(doc)] == [p["c2"]]
    step_approve(actor=p["c2"], step=_pending(doc)[0], opinion="同意。")
    sign = _pending(doc)[0]
    assert sign.kind == StepKind.SIGN_OFF and sign.assignee == p["signer"]
    with pytest.raises(DocumentError, match="请填写签发意见"):
        step_approve(actor=p["signer"], step=sign, opinion=" ")
    step_approve(actor=p["signer"], step=sign, opinion="同意印发。")
    doc.refresh_from_db()
    assert doc.status == DocStatus.SIGNED
    assert (doc.signer, doc.sign_opinion, doc.issued_on) == (p["signer"], "同意印发。", timezone.localdate())
    assert doc.signed_without_review is False


def test_countersign_in_sequence_opens_one_body_at_a_time(people):
    p = people
    doc = _configured(p, parallel=False)
    document_submit_for_review(actor=p["drafter"], document=doc)
    for who in ("r1", "r2"):
        step_approve(actor=p[who], step=_pending(doc)[0], opinion="")
    assert [s.assignee for s in _pending(doc)] == [p["c1"]]
    step_approve(actor=p["c1"], step=_pending(doc)[0], opinion="")
    assert [s.assignee for s in _pending(doc)] == [p["c2"]]


def test_only_the_assignee_acts_on_a_step(people):
    p = people
    doc = _configured(p)
    document_submit_for_review(actor=p["drafter"], document=doc)
    step = _pending(doc)[0]
    for intruder in (p["r2"], p["drafter"], p["signer"]):
        with pytest.raises(Forbidden, match="只有本环节的办理人可以办理"):
            step_approve(actor=intruder, step=step, opinion="同意")
    with pytest.raises(DocumentError, match="该环节已办理或尚未开始"):
        step_approve(actor=p["r2"], step=ReviewStep.objects.get(document=doc, assignee=p["r2"]), opinion="")


def test_return_to_an_earlier_stage_restarts_there_in_a_new_round_keeping_opinions(people):
    p = people
    doc = _configured(p)
    document_submit_for_review(actor=p["drafter"], document=doc)
    step_approve(actor=p["r1"], step=_pending(doc)[0], opinion="第一轮核稿意见")
    step_approve(actor=p["r2"], step=_pending(doc)[0], opinion="")
    c1, c2 = _pending(doc)
    with pytest.raises(DocumentError, match="请填写退回理由"):
        step_return(actor=p["c1"], step=c1, to_stage=1, reason="")
    with pytest.raises(DocumentError, match="只能退回拟稿人或之前的环节"):
        step_return(actor=p["c1"], step=c1, to_stage=4, reason="数据不对")
    step_return(actor=p["c1"], step=c1, to_stage=1, reason="第二部分数据需核实")
    c2.refresh_from_db()
    assert c2.status == StepStatus.CANCELLED  # the parallel body's open step is withdrawn
    pending = _pending(doc)
    assert [(s.assignee, s.round) for s in pending] == [(p["r1"], 2)]
    # round 1's opinions stay
    assert ReviewStep.objects.get(document=doc, round=1, stage=1).opinion == "第一轮核稿意见"
    assert ReviewStep.objects.get(document=doc, round=1, assignee=p["c1"]).status == StepStatus.RETURNED


def test_return_to_the_drafter_makes_a_draft_again_and_resubmission_restarts_the_chain(people):
    p = people
    doc = _configured(p)
    document_submit_for_review(actor=p["drafter"], document=doc)
    step_approve(actor=p["r1"], step=_pending(doc)[0], opinion="")
    step_return(actor=p["r2"], step=_pending(doc)[0], to_stage=0, reason="请重写第二部分")
    doc.refresh_from_db()
    assert doc.status == DocStatus.DRAFT and _pending(doc) == []
    assert Notification.objects.filter(recipient=p["drafter"], title__contains="退回").exists()
    document_submit_for_review(actor=p["drafter"], document=doc)
    assert [(s.assignee, s.round) for s in _pending(doc)] == [(p["r1"], 2)]


def test_delegate_marks_the_step_delegated_and_opens_one_for_the_delegate(people):
    p = people
    doc = _configured(p)
    document_submit_for_review(actor=p["drafter"], document=doc)
    step = _pending(doc)[0]
    new = step_delegate(actor=p["r1"], step=step, to_user=p["deputy"], reason="出差")
    step.refresh_from_db()
    assert step.status == StepStatus.DELEGATED
    assert (new.assignee, new.delegated_from, new.status) == (p["deputy"], step, StepStatus.PENDING)
    step_approve(actor=p["deputy"], step=new, opinion="代为核稿。")
    assert [s.assignee for s in _pending(doc)] == [p["r2"]]


def test_sign_off_without_any_approved_review_is_flagged(people):
    p = people
    doc = _doc(p)
    chain_configure(actor=p["drafter"], document=doc, reviewers=[], signer=p["signer"])
    document_submit_for_review(actor=p["drafter"], document=doc)
    document_sign_off(actor=p["signer"], document=doc, opinion="同意。")
    doc.refresh_from_db()
    assert doc.status == DocStatus.SIGNED and doc.signed_without_review is True


def test_each_pending_step_has_a_working_hours_deadline_and_a_clock_timer(people):
    p = people
    doc = _configured(p)
    with time_machine.travel(
        dt.datetime(2026, 12, 4, 10, 0, tzinfo=timezone.get_default_timezone())
    ):  # Friday
        document_submit_for_review(actor=p["drafter"], document=doc)
    step = _pending(doc)[0]
    # 8 working hours from Friday morning: Monday's closing time (the weekend does not count)
    assert timezone.localtime(step.due_at).date() == dt.date(2026, 12, 7)
    timer = Timer.objects.get(kind="documents.step_due", subject_id=str(step.pk))
    assert timer.due_at == step.due_at
    step_approve(actor=p["r1"], step=step, opinion="")
    timer.refresh_from_db()
    assert timer.cancelled_at is not None


def test_deadline_timer_reminds_the_assignee_once_and_skips_a_step_acted_on(people):
    from documents.handlers import step_due

    p = people
    doc = _configured(p)
    document_submit_for_review(actor=p["drafter"], document=doc)
    step = _pending(doc)[0]
    timer = Timer.objects.get(kind="documents.step_due", subject_id=str(step.pk))
    step_due(timer)
    step_due(timer)  # twice: one message
    assert Notification.objects.filter(recipient=p["r1"], title__contains="已超过办理期限").count() == 1
    step_approve(actor=p["r1"], step=step, opinion="")
    Notification.objects.all().delete()
    step_due(timer)
    assert not Notification.objects.filter(title__contains="已超过办理期限").exists()


def test_manual_reminder_limited_per_day_then_refused_with_when(people, settings):
    settings.DOCUMENTS_REMINDERS_PER_DAY = 3
    p = people
    doc = _configured(p)
    document_submit_for_review(actor=p["drafter"], document=doc)
    step = _pending(doc)[0]
    with pytest.raises(Forbidden, match="只有拟稿人或办公室领导可以催办"):
        step_remind(actor=p["r2"], step=step)
    for _ in range(3):
        step_remind(actor=p["drafter"], step=step)
    assert Notification.objects.filter(recipient=p["r1"], title__startswith="催办").count() == 3
    with pytest.raises(DocumentError, match="今天已催办3次.*后可再次催办") as exc:
        step_remind(actor=p["deputy"], step=step)
    assert exc.value.code == "throttled"
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        step_remind(actor=p["drafter"], step=step)


def test_submission_blocked_by_proofreading_errors_unless_overridden_with_a_reason(people):
    p = people
    doc = make_document(
        actor=p["drafter"], prefix=None, origin="", body="一、基本情况\n我们,你们都要抓紧推进。"
    )
    chain_configure(actor=p["drafter"], document=doc, reviewers=[p["r1"]], signer=p["signer"])
    with pytest.raises(DocumentError, match="校对发现") as exc:
        document_submit_for_review(actor=p["drafter"], document=doc)
    assert "override_reason" in exc.value.fields
    doc.refresh_from_db()
    assert doc.status == DocStatus.DRAFT
    doc = document_submit_for_review(actor=p["drafter"], document=doc, override_reason="引用原文，保留原样")
    assert doc.status == DocStatus.IN_REVIEW
    assert (doc.proofread_override_reason, doc.proofread_override_by) == ("引用原文，保留原样", p["drafter"])


def test_sign_off_runs_origin_hooks_but_issuing_directly_runs_none(people):
    called = []
    register_sign_off_hook("hooktest-chain", lambda d: called.append(d.pk))
    p = people
    doc = make_document(actor=p["drafter"], origin="hooktest-chain", body=CLEAN)
    chain_configure(actor=p["drafter"], document=doc, reviewers=[p["r1"]], signer=p["signer"])
    document_submit_for_review(actor=p["drafter"], document=doc)
    step_approve(actor=p["r1"], step=_pending(doc)[0], opinion="")
    step_approve(actor=p["signer"], step=_pending(doc)[0], opinion="同意。")
    assert called == [doc.pk]
    issued = make_document(actor=None, origin="hooktest-chain", body=CLEAN)
    issued = document_issue_directly(actor=None, document=issued, opinion="按规定发出。")
    assert issued.status == DocStatus.PUBLISHED
    assert called == [doc.pk]  # no hook for a document no person signed


def test_chain_names_only_office_staff_and_grants_them_a_secret_draft(people):
    from documents.access import can_view
    from documents.models import Classification

    p = people
    unit_user = make_user(Role.EXTERNAL_UNIT)
    doc = _doc(p, classification=Classification.SECRET)
    with pytest.raises(DocumentError, match="只能指定机关工作人员"):
        chain_configure(actor=p["drafter"], document=doc, reviewers=[unit_user], signer=p["signer"])
    assert not can_view(p["r1"], doc)
    chain_configure(actor=p["drafter"], document=doc, reviewers=[p["r1"]], signer=p["signer"])
    assert can_view(p["r1"], doc) and not can_view(p["r2"], doc)
