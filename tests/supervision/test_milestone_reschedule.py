"""Moving a node of an item's work plan (督办室, the leaders): a node still ahead moves, with a reason,
its reminder with it, and the units are told; a node reported or already missed stays as it was (a
miss is counted on the ladder and no new date takes it back); no node goes past the item's deadline."""

import datetime as dt

import pytest
from django.test import Client

from office.audit.models import AuditEvent
from office.clock.models import Timer
from office.clock.services import clock_tick
from office.errors import ServiceError
from office.notifications.models import Notification
from supervision.models import LadderStep, Milestone
from supervision.services import item_acknowledge, milestone_reschedule
from supervision.services.timers import MILESTONE_DUE

from .conftest import at
from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(clock, director, commissioner, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        commissioners=[commissioner],
        milestones=[("拿出实施方案", dt.date(2026, 3, 13)), ("完成签约", dt.date(2026, 4, 10))],
        due=dt.date(2026, 4, 30),
    )
    item_acknowledge(actor=user_a, item=item)
    return item


def _pending_timer(ms):
    return Timer.objects.get(
        kind=MILESTONE_DUE, subject_id=str(ms.pk), fired_at__isnull=True, cancelled_at__isnull=True
    )


def test_a_node_ahead_moves_with_its_reminder_and_the_units_are_told(clock, item, commissioner, user_a):
    first = item.milestones.get(title="拿出实施方案")
    milestone_reschedule(
        actor=commissioner,
        item=item,
        milestone=first,
        due=dt.date(2026, 3, 20),
        reason="方案需征求发改委意见",
    )
    first.refresh_from_db()
    assert first.due_at == at(2026, 3, 20, 17, 30)  # a date is the end of that working day
    assert _pending_timer(first).due_at == first.due_at
    item.refresh_from_db()
    assert item.next_milestone_due == first.due_at
    note = Notification.objects.get(recipient=user_a, step__startswith=f"milestone:{first.pk}:")
    assert "03月20日" in note.title and note.body == "方案需征求发改委意见"
    event = AuditEvent.objects.get(verb="supervision.milestone_rescheduled")
    assert event.data["reason"] == "方案需征求发改委意见" and event.data["title"] == "拿出实施方案"

    # the old date passes: nothing; the new one passes unreported: the first rung of the ladder
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    assert not LadderStep.objects.filter(item=item).exists()
    clock.move_to(at(2026, 3, 21))
    clock_tick()
    assert LadderStep.objects.filter(item=item).count() == 1


def test_a_missed_node_stays_missed_and_a_reported_one_stays_as_it_was(clock, item, commissioner):
    first = item.milestones.get(title="拿出实施方案")
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    first.refresh_from_db()
    assert first.missed_at is not None
    with pytest.raises(ServiceError, match="调整节点不能消除逾期"):
        milestone_reschedule(
            actor=commissioner, item=item, milestone=first, due=dt.date(2026, 3, 25), reason="补救"
        )
    assert Milestone.objects.get(pk=first.pk).due_at == at(2026, 3, 13, 17, 30)
    second = item.milestones.get(title="完成签约")
    office = Client()
    office.force_login(commissioner)
    page = office.get(f"/supervision/{item.pk}/").content.decode()
    assert f'data-testid="reschedule-{first.pk}"' not in page  # the page offers only what the service allows
    assert f'data-testid="reschedule-{second.pk}"' in page

    Milestone.objects.filter(pk=second.pk).update(reported_at=at(2026, 3, 14, 10))
    with pytest.raises(ServiceError, match="该节点已反馈"):
        milestone_reschedule(
            actor=commissioner, item=item, milestone=second, due=dt.date(2026, 4, 20), reason="x"
        )


def test_a_node_cannot_go_past_the_deadline_into_the_past_or_without_a_reason(item, commissioner):
    second = item.milestones.get(title="完成签约")
    with pytest.raises(ServiceError, match="不能晚于办结时限（2026-04-30）；需要更多时间请走延期申请"):
        milestone_reschedule(
            actor=commissioner, item=item, milestone=second, due=dt.date(2026, 5, 8), reason="推迟"
        )
    with pytest.raises(ServiceError, match="应晚于现在"):
        milestone_reschedule(
            actor=commissioner, item=item, milestone=second, due=dt.date(2026, 3, 2), reason="提前"
        )
    with pytest.raises(ServiceError, match="请写明调整理由"):
        milestone_reschedule(
            actor=commissioner, item=item, milestone=second, due=dt.date(2026, 4, 20), reason="  "
        )
    with pytest.raises(ServiceError, match="没有变化"):
        milestone_reschedule(
            actor=commissioner, item=item, milestone=second, due=dt.date(2026, 4, 10), reason="同日"
        )
    assert Milestone.objects.get(pk=second.pk).due_at == at(2026, 4, 10, 17, 30)
    assert not AuditEvent.objects.filter(verb="supervision.milestone_rescheduled").exists()


def test_only_the_supervision_office_and_the_leaders_move_a_node_and_the_page_shows_the_form(
    item, commissioner, user_a, director
):
    second = item.milestones.get(title="完成签约")
    url = f"/supervision/{item.pk}/milestones/{second.pk}/reschedule"
    unit = Client()
    unit.force_login(user_a)
    assert unit.post(url, {"due": "2026-04-20", "reason": "推迟"}).status_code == 403
    assert Milestone.objects.get(pk=second.pk).due_at == at(2026, 4, 10, 17, 30)
    assert (
        f'data-testid="reschedule-{second.pk}"' not in unit.get(f"/supervision/{item.pk}/").content.decode()
    )

    office = Client()
    office.force_login(commissioner)
    page = office.get(f"/supervision/{item.pk}/").content.decode()
    assert f'data-testid="reschedule-{second.pk}"' in page and 'max="2026-04-30"' in page
    resp = office.post(url, {"due": "2026-04-20", "reason": "签约仪式改期"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 204 and resp["HX-Redirect"] == f"/supervision/{item.pk}/"  # the page again
    assert "已调整节点，已通知承办单位" in office.get(f"/supervision/{item.pk}/").content.decode()
    assert Milestone.objects.get(pk=second.pk).due_at == at(2026, 4, 20, 17, 30)
    # a refusal comes back in the form's alert, in Chinese
    resp = office.post(url, {"due": "2026-05-20", "reason": "再推"}, HTTP_HX_REQUEST="true")
    assert "不能晚于办结时限" in resp.content.decode()
    resp = office.post(url, {"due": "", "reason": ""}, HTTP_HX_REQUEST="true")
    assert "请填写新的节点日期和调整理由" in resp.content.decode()
    # a node of another item is not found through this item
    other = make_item(
        actor=director, lead_unit=item.lead_unit, milestones=[("别的节点", dt.date(2026, 4, 1))]
    )
    foreign = other.milestones.get()
    assert (
        office.post(
            f"/supervision/{item.pk}/milestones/{foreign.pk}/reschedule", {"due": "2026-04-02", "reason": "x"}
        ).status_code
        == 404
    )
