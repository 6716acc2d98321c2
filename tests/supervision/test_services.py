import datetime as dt

import pytest

from office.audit.models import AuditEvent
from office.clock.models import Timer
from office.errors import NotFound
from office.notifications.models import Notification
from supervision.models import ExtensionStatus, FeedbackKind, ItemNumberSequence, Status
from supervision.services import (
    SupervisionError,
    extension_decide,
    extension_request,
    feedback_submit,
    item_acknowledge,
    item_cancel,
    item_close,
    item_issue,
    item_send_back,
)

from .conftest import at
from .factories import make_item

pytestmark = pytest.mark.django_db


def _verbs(item):
    return list(
        AuditEvent.objects.filter(subject_id=str(item.pk), verb__startswith="supervision.")
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )


def test_numbers_are_sequential_per_year_without_leading_zeros(clock, director, unit_a):
    a = make_item(actor=director, lead_unit=unit_a)
    b = make_item(actor=director, lead_unit=unit_a)
    assert (a.number, b.number) == ("督〔2026〕1号", "督〔2026〕2号")
    assert ItemNumberSequence.objects.get(year=2026).last_value == 2


def test_cancelled_item_number_is_not_reused(clock, director, unit_a):
    a = make_item(actor=director, lead_unit=unit_a)
    item_cancel(actor=director, item=a, reason="重复登记")
    b = make_item(actor=director, lead_unit=unit_a)
    assert b.seq == a.seq + 1


def test_create_requires_lead_unit_or_assignee(clock, director):
    with pytest.raises(SupervisionError):
        make_item(actor=director, lead_unit=None)


def test_full_flow_issue_acknowledge_feedback_result_close(clock, director, unit_a, user_a, commissioner):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        commissioners=[commissioner],
        milestones=[("拿出方案", dt.date(2026, 3, 13))],
        due=dt.date(2026, 4, 30),
    )
    item = item_issue(actor=director, item=item)
    assert item.status == Status.ISSUED
    assert Notification.objects.filter(recipient=user_a, step="issued").exists()
    ack = item.assignments.get()
    assert ack.ack_due_at == at(2026, 3, 10, 17, 30)  # 1 working day
    assert Timer.objects.filter(kind="supervision.ack_due", cancelled_at__isnull=True).count() == 1

    item_acknowledge(actor=user_a, item=item)
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    assert Timer.objects.get(kind="supervision.ack_due").cancelled_at is not None

    ms = item.milestones.get()
    feedback_submit(actor=user_a, item=item, content="方案已拟定。", milestone=ms)
    item.refresh_from_db()
    assert item.last_feedback_at and item.next_milestone_due is None
    # who is told of a progress report (SUPERVISION_NOTIFY): the commissioner who reviews it, not the director
    assert Notification.objects.filter(recipient=commissioner, step__startswith="feedback:").count() == 1
    assert Notification.objects.filter(recipient=director, step__startswith="feedback:").count() == 0

    feedback_submit(actor=user_a, item=item, content="项目已签约。", kind=FeedbackKind.RESULT)
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED
    item_close(actor=director, item=item, note="经核实已签约")
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert _verbs(item) == [
        "supervision.item_created",
        "supervision.item_issued",
        "supervision.item_acknowledged",
        "supervision.progress_submitted",
        "supervision.result_submitted",
        "supervision.item_closed",
    ]


def test_closing_cancels_all_timers(clock, director, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        milestones=[("节点一", dt.date(2026, 3, 20)), ("节点二", dt.date(2026, 4, 10))],
        due=dt.date(2026, 4, 30),
    )
    assert Timer.objects.filter(cancelled_at__isnull=True, fired_at__isnull=True).count() == 4
    feedback_submit(actor=user_a, item=item, content="完成", kind=FeedbackKind.RESULT)
    item_close(actor=director, item=item)
    assert Timer.objects.filter(cancelled_at__isnull=True, fired_at__isnull=True).count() == 0


def test_forbidden_transitions(clock, director, unit_a, user_a):
    item = make_item(actor=director, lead_unit=unit_a)
    with pytest.raises(SupervisionError):
        item_close(actor=director, item=item)
    with pytest.raises(SupervisionError):
        feedback_submit(actor=director, item=item, content="x")
    item = item_issue(actor=director, item=item)
    with pytest.raises(SupervisionError):
        item_issue(actor=director, item=item)
    with pytest.raises(SupervisionError):
        item_send_back(actor=director, item=item, reason="x")
    item_cancel(actor=director, item=item, reason="不再需要")
    with pytest.raises(SupervisionError):
        item_cancel(actor=director, item=item, reason="again")
    with pytest.raises(SupervisionError):
        item_acknowledge(actor=user_a, item=item)


def test_other_unit_cannot_act_on_item_it_is_not_on(clock, director, unit_a, user_b):
    item = make_item(actor=director, lead_unit=unit_a, issue=True)
    with pytest.raises(NotFound):
        item_acknowledge(actor=user_b, item=item)
    with pytest.raises(NotFound):
        feedback_submit(actor=user_b, item=item, content="不是我的")
    assert not item.feedback.exists() and not item.assignments.filter(acknowledged_at__isnull=False).exists()


def test_send_back_returns_to_in_progress_with_reason(clock, director, unit_a, user_a):
    item = make_item(actor=director, lead_unit=unit_a, issue=True)
    feedback_submit(actor=user_a, item=item, content="完成", kind=FeedbackKind.RESULT)
    with pytest.raises(SupervisionError):
        item_send_back(actor=director, item=item, reason=" ")
    item = item_send_back(actor=director, item=item, reason="缺少签约合同")
    assert item.status == Status.IN_PROGRESS and item.status_note == "缺少签约合同"
    assert item.feedback.get().review == "returned"


def test_extension_must_be_before_due_and_later_date(clock, director, unit_a, user_a):
    item = make_item(actor=director, lead_unit=unit_a, issue=True, due=dt.date(2026, 3, 20))
    with pytest.raises(SupervisionError):
        extension_request(actor=user_a, item=item, reason="x", new_due=dt.date(2026, 3, 19))
    ext = extension_request(actor=user_a, item=item, reason="拆迁未完成", new_due=dt.date(2026, 4, 10))
    with pytest.raises(SupervisionError):
        extension_request(actor=user_a, item=item, reason="again", new_due=dt.date(2026, 4, 11))
    with pytest.raises(SupervisionError):
        extension_decide(actor=director, extension=ext, approve=False, note="")
    ext = extension_decide(actor=director, extension=ext, approve=True)
    item.refresh_from_db()
    assert ext.status == ExtensionStatus.APPROVED
    assert item.due_at == at(2026, 4, 10, 17, 30) and item.due_revision == 1
    live = Timer.objects.filter(kind="supervision.item_due", cancelled_at__isnull=True)
    assert [(t.step, t.due_at) for t in live] == [(1, at(2026, 4, 10, 17, 30))]
    clock.move_to(at(2026, 3, 21))
    with pytest.raises(SupervisionError):  # not after the (old) due date either way
        extension_decide(actor=director, extension=ext, approve=True)
