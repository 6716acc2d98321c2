"""The service checklist: instantiated from the meeting type's template, every item a ladder on the
office clock (``meetings-checklist``: the owner at the deadline, the section chief 30 minutes later, then
the deputy director in charge; ``meetings-av-check`` for the 视频音响 test: the technician at T−2 h, the
section chief at T−1 h). Done → the ladder stops. The 视频音响 item is done only when every device is
ticked. A meeting is ready when every item (follow-up tasks aside) is done."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import ladder_start, ladder_stop
from office.org.types import Actor

from .. import access
from ..models import DEVICE_CODES, ChecklistItem, ChecklistTemplateItem, Meeting, OwnerKind
from ..seed import ensure_defaults
from ..selectors import section_chiefs
from .common import MeetingError, require_not_cancelled, user_or_none


def owner_for(meeting: Meeting, kind: str):
    if kind == OwnerKind.TECHNICIAN and meeting.technician_id:
        return meeting.technician
    if kind == OwnerKind.SECTION_CHIEF:
        chiefs = section_chiefs(meeting)
        if chiefs:
            return chiefs[0]
    return meeting.organizer


def _start_ladder(item: ChecklistItem, actor: Actor) -> None:
    ladder_start(subject=item, template_code=item.ladder_code, anchor=item.due_at, actor=user_or_none(actor))


def checklist_instantiate(*, meeting: Meeting, actor: Actor) -> list[ChecklistItem]:
    """Inside the meeting's create transaction: one item per template item, each with its ladder."""
    ensure_defaults()
    template_items = ChecklistTemplateItem.objects.filter(
        template__meeting_type=meeting.meeting_type
    ).order_by("order", "id")
    items = []
    for t in template_items:
        item = ChecklistItem.objects.create(
            meeting=meeting,
            order=t.order,
            code=t.code,
            name=t.name,
            owner_kind=t.owner_kind,
            owner=owner_for(meeting, t.owner_kind),
            offset_minutes=t.offset_minutes,
            due_at=meeting.starts_at - dt.timedelta(minutes=t.offset_minutes),
            needs_devices=t.needs_devices,
            devices=dict.fromkeys(DEVICE_CODES, False) if t.needs_devices else {},
            ladder_code=t.ladder_code,
        )
        _start_ladder(item, actor)
        items.append(item)
    return items


def checklist_retime(*, meeting: Meeting, actor: Actor) -> None:
    """The meeting moved, or its people changed: open items follow the new start and owners."""
    for item in meeting.checklist_items.filter(done_at__isnull=True, is_follow_up=False):
        fields: list[str] = []
        owner = owner_for(meeting, item.owner_kind)
        if owner is not None and owner.pk != item.owner_id:
            item.owner, fields = owner, [*fields, "owner"]
        if item.offset_minutes is not None:
            due = meeting.starts_at - dt.timedelta(minutes=item.offset_minutes)
            if due != item.due_at:
                item.due_at, fields = due, [*fields, "due_at"]
                # fresh steps from the new deadline (steps fired for the old time do not count)
                ladder_stop(subject=item, actor=user_or_none(actor), reason="会议时间调整")
                item.save(update_fields=fields)
                _start_ladder(item, actor)
                continue
        if fields:
            item.save(update_fields=fields)


def checklist_stop_all(*, meeting: Meeting, actor: Actor, reason: str) -> None:
    for item in meeting.checklist_items.filter(done_at__isnull=True):
        ladder_stop(subject=item, actor=user_or_none(actor), reason=reason)


def _locked_item(item) -> ChecklistItem:
    pk = item.pk if isinstance(item, ChecklistItem) else item
    row = ChecklistItem.objects.select_for_update().select_related("meeting").filter(pk=pk).first()
    if row is None:
        raise access.not_found()
    return row


def _mark_done(item: ChecklistItem, actor: Actor, note: str = "") -> None:
    item.done_at = timezone.now()
    item.done_by = user_or_none(actor)
    if note:
        item.note = note[:200]
    item.save(update_fields=["done_at", "done_by", "note"])
    ladder_stop(subject=item, actor=user_or_none(actor), reason="已完成")
    audit_record(
        actor=actor,
        actor_label="" if actor else "系统",
        verb="meetings.checklist_done",
        subject=item.meeting,
        data={"item": item.code, "name": item.name},
    )


@transaction.atomic
def item_done(*, actor: Actor, item: ChecklistItem | int, note: str = "") -> ChecklistItem:
    item = _locked_item(item)
    access.item_access(actor=actor, item=item, action="done")
    require_not_cancelled(item.meeting)
    if item.done_at is not None:
        return item
    if item.needs_devices and not all(item.devices.get(code) for code in DEVICE_CODES):
        raise MeetingError(
            _("请逐项勾选全部设备（话筒、音箱、投影、视频会议链路、录音录像）后再确认完成。"), code="invalid"
        )
    _mark_done(item, actor, note)
    return item


@transaction.atomic
def item_devices_check(*, actor: Actor, item: ChecklistItem | int, checked) -> ChecklistItem:
    """Tick the devices tested; when every device is ticked the item is done (and its alarm stops)."""
    item = _locked_item(item)
    access.item_access(actor=actor, item=item, action="devices")
    require_not_cancelled(item.meeting)
    if not item.needs_devices:
        raise MeetingError(_("该事项没有设备检查项。"), code="invalid")
    if item.done_at is not None:
        raise MeetingError(_("设备已全部调试完毕，无需再次勾选。"), code="conflict")
    checked = set(checked)
    unknown = checked - set(DEVICE_CODES)
    if unknown:
        raise MeetingError(_("设备项不正确。"), code="invalid")
    item.devices = {code: code in checked for code in DEVICE_CODES}
    item.save(update_fields=["devices"])
    audit_record(
        actor=actor,
        verb="meetings.devices_checked",
        subject=item.meeting,
        data={"item": item.code, "devices": item.devices},
    )
    if all(item.devices.values()):
        _mark_done(item, actor)
    return item


def system_tick(*, meeting: Meeting, code: str, actor: Actor, note: str = "") -> None:
    """A step the system sees done (the notice sent, every receipt in): tick the item of that code."""
    item = (
        ChecklistItem.objects.select_for_update()
        .filter(meeting=meeting, code=code, done_at__isnull=True)
        .first()
    )
    if item is not None:
        _mark_done(item, actor, note)


def follow_up_create(
    *, meeting: Meeting, name: str, owner, actor: Actor, due_at: dt.datetime
) -> ChecklistItem:
    n = meeting.checklist_items.filter(is_follow_up=True).count() + 1
    item = ChecklistItem.objects.create(
        meeting=meeting,
        order=1000 + n,
        code=f"follow-up-{n}",
        name=name[:100],
        owner_kind=OwnerKind.TECHNICIAN,
        owner=owner,
        due_at=due_at,
        is_follow_up=True,
        ladder_code="meetings-checklist",
    )
    _start_ladder(item, actor)
    return item
