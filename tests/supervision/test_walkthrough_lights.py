"""Issue 14, walk-through: a passed deadline is overdue, so red — a milestone passed unreported, or an
item standing at 通报批评 after its missed deadlines (not yellow until the final date); and after 17:30
on a milestone's day the work plan says 已逾期 beside 逾期未反馈, never 今天到期."""

import datetime as dt

import pytest
from django.urls import reverse

from office.clock.services import clock_tick
from supervision.models import Light, StepKind, SupervisionItem
from supervision.selectors import light_expression
from supervision.services import item_acknowledge
from supervision.services.ladder import ladder_register_miss

from .conftest import at
from .factories import make_item

pytestmark = pytest.mark.django_db


def _light(item) -> str:
    return SupervisionItem.objects.annotate(lt=light_expression()).get(pk=item.pk).lt


def test_a_milestone_passed_unreported_is_red(clock, director, commissioner, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        commissioners=[commissioner],
        milestones=[("拿出实施方案", dt.date(2026, 3, 13))],
        due=dt.date(2026, 4, 30),
    )
    assert _light(item) == Light.GREEN
    clock.move_to(at(2026, 3, 12))
    assert _light(item) == Light.YELLOW  # close to the milestone
    clock.move_to(at(2026, 3, 14))
    assert _light(item) == Light.RED  # the milestone passed unreported: overdue


def test_an_item_at_the_circular_after_three_misses_is_red_before_its_final_date(
    clock, director, commissioner, unit_a, user_a
):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        commissioners=[commissioner],
        milestones=[("拿出实施方案", dt.date(2026, 3, 13))],
        due=dt.date(2026, 6, 30),
    )
    item_acknowledge(actor=user_a, item=item)
    for day in (at(2026, 3, 14), at(2026, 3, 19)):  # the milestone, then the communication's deadline
        clock.move_to(day)
        clock_tick()
    # the notice's own deadline passes (its days run once it is signed and sent): the third miss
    notice = item.ladder_steps.get(resolved_at__isnull=True, kind=StepKind.NOTICE)
    clock.move_to(at(2026, 3, 30))
    ladder_register_miss(item=item, trigger="督办通知期限已过仍未报送", from_step=notice)
    item.refresh_from_db()
    assert item.escalation_level == 3
    assert item.ladder_steps.filter(kind=StepKind.CIRCULAR).exists()
    # the milestone is reported late: only the 通报批评 standing keeps it red
    item.milestones.update(reported_at=at(2026, 4, 10))
    SupervisionItem.objects.filter(pk=item.pk).update(next_milestone_due=None)
    assert _light(item) == Light.RED


def test_after_1730_on_the_milestones_day_the_plan_says_overdue_not_due_today(
    client, clock, director, commissioner, unit_a, user_a
):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        commissioners=[commissioner],
        milestones=[("拿出实施方案", dt.date(2026, 3, 13))],
        due=dt.date(2026, 4, 30),
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 13, 10))
    client.force_login(director)
    plan = client.get(reverse("supervision:detail", args=[item.pk])).content.decode().split("工作计划")[1]
    assert "今天到期" in plan.split("</table>")[0]
    clock.move_to(at(2026, 3, 13, 17, 45))
    clock_tick()
    plan = client.get(reverse("supervision:detail", args=[item.pk])).content.decode().split("工作计划")[1]
    row = plan.split("</table>")[0]
    assert "今天到期" not in row
    assert "已逾期" in row
