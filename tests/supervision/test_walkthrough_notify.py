"""Issue 14, walk-through: the commissioner of an item is told when it climbs to 督办通知 and 通报批评 and
when a unit reports; who is told is a setting per event (SUPERVISION_NOTIFY), by default the person who
must act, with the director told of results, escalations and late items — not of every progress report."""

import datetime as dt

import pytest

from office.clock.services import clock_tick
from office.notifications.models import Notification
from supervision.models import StepKind, Urgency
from supervision.services import feedback_submit, item_acknowledge

from .conftest import at
from .factories import make_item

pytestmark = pytest.mark.django_db


def _told(user, step: str) -> bool:
    return Notification.objects.filter(recipient=user, step=step, channel="inbox").exists()


def _item(director, commissioner, unit_a, **kwargs):
    return make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        commissioners=[commissioner],
        due=dt.date(2026, 4, 30),
        **kwargs,
    )


def test_a_progress_report_tells_the_commissioner_not_the_director(
    clock, director, commissioner, unit_a, user_a
):
    item = _item(director, commissioner, unit_a)
    fb = feedback_submit(actor=user_a, item=item, content="已完成摸排。")
    assert _told(commissioner, f"feedback:{fb.pk}")
    assert not _told(director, f"feedback:{fb.pk}")


def test_a_result_tells_the_commissioner_who_verifies_it_and_the_director(
    clock, director, commissioner, unit_a, user_a
):
    item = _item(director, commissioner, unit_a)
    fb = feedback_submit(actor=user_a, item=item, content="已全部完成。", kind="result")
    assert _told(commissioner, f"feedback:{fb.pk}") and _told(director, f"feedback:{fb.pk}")


def test_the_audience_is_a_setting_per_event(clock, settings, director, commissioner, unit_a, user_a):
    settings.SUPERVISION_NOTIFY = {"progress": ["commissioners", "director"]}
    item = _item(director, commissioner, unit_a)
    fb = feedback_submit(actor=user_a, item=item, content="进展。")
    assert _told(commissioner, f"feedback:{fb.pk}") and _told(director, f"feedback:{fb.pk}")


def test_the_commissioner_is_told_when_the_item_climbs_to_a_notice(
    clock, director, commissioner, unit_a, user_a
):
    # an urgent item enters the ladder at the notice on its first miss
    item = _item(
        director, commissioner, unit_a, urgency=Urgency.URGENT, milestones=[("方案", dt.date(2026, 3, 13))]
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    step = item.ladder_steps.get()
    assert step.kind == StepKind.NOTICE
    escalated = Notification.objects.filter(step="escalated", subject_id=str(step.pk), channel="inbox")
    assert set(escalated.values_list("recipient", flat=True)) == {commissioner.pk, director.pk}
    assert escalated.filter(recipient=commissioner, level="urgent").exists()
