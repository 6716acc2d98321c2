"""Clock handlers of supervision: each deadline kind. They run inside the clock's transaction and are
idempotent: a timer whose object moved on (reported, acknowledged, resolved, closed) does nothing."""

from django.utils.translation import gettext as _

from office.clock.registry import timer_handler
from office.notifications.services import notify, notify_units

from .models import ACTIVE_STATUSES, ItemUnit, LadderStep, Milestone, Status, SupervisionItem
from .services import timers
from .services.common import director_users, item_url
from .services.ladder import ladder_register_miss


@timer_handler(timers.MILESTONE_DUE)
def milestone_due(timer) -> None:
    ms = Milestone.objects.select_related("item").filter(pk=timer.subject_id).first()
    if ms is None or ms.reported_at or ms.item.status not in (Status.ISSUED, Status.IN_PROGRESS):
        return
    if ms.missed_at is not None:  # this miss is already counted
        return
    Milestone.objects.filter(pk=ms.pk).update(missed_at=timer.due_at)
    ladder_register_miss(item=ms.item, trigger=f"工作节点“{ms.title}”逾期未反馈")


@timer_handler(timers.ITEM_DUE)
def item_due(timer) -> None:
    item = SupervisionItem.objects.filter(pk=timer.subject_id).first()
    if item is None or item.status not in (Status.ISSUED, Status.IN_PROGRESS):
        return
    if timer.step != item.due_revision:  # an extension moved the date after this timer was armed
        return
    if item.due_missed_revision == item.due_revision:  # this miss is already counted
        return
    SupervisionItem.objects.filter(pk=item.pk).update(due_missed_revision=item.due_revision)
    ladder_register_miss(item=item, trigger="已超过办结时限仍未报送办理结果")


@timer_handler(timers.ACK_DUE)
def ack_due(timer) -> None:
    a = ItemUnit.objects.select_related("item", "unit").filter(pk=timer.subject_id).first()
    if a is None or a.acknowledged_at or a.ack_missed_at or a.item.status not in ACTIVE_STATUSES:
        return
    ItemUnit.objects.filter(pk=a.pk).update(ack_missed_at=timer.due_at)
    notify_units(
        units=[a.unit],
        subject=a,
        step="ack_overdue",
        title=_("请立即签收督办事项：{number}").format(number=a.item.number),
        body=a.item.title,
        url=item_url(a.item),
        level="urgent",
    )
    ladder_register_miss(item=a.item, trigger=f"{a.unit.name}逾期未签收")


@timer_handler(timers.STEP_DUE)
def step_due(timer) -> None:
    step = LadderStep.objects.select_related("item").filter(pk=timer.subject_id).first()
    if step is None or step.resolved_at or step.item.status not in (Status.ISSUED, Status.IN_PROGRESS):
        return
    ladder_register_miss(item=step.item, trigger=f"{step.get_kind_display()}后仍未按进度完成", from_step=step)


@timer_handler(timers.COMMUNICATION_LOG_DUE)
def communication_log_due(timer) -> None:
    step = LadderStep.objects.select_related("item").filter(pk=timer.subject_id).first()
    if step is None or step.logged_at or step.resolved_at:
        return
    notify(
        recipients=director_users() + list(step.item.commissioners.all()),
        subject=step,
        step="communication_log_overdue",
        title=_("沟通情况逾期未记录：{number}").format(number=step.item.number),
        url=item_url(step.item),
        level="warning",
    )
