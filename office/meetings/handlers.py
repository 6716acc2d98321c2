"""Clock wiring of 办会: the recipient resolvers and ladder actions the admin-editable ladder templates
``meetings-checklist``, ``meetings-av-check`` and ``meetings-receipts`` name. They run inside the tick's
transaction and are idempotent (``notify`` dedupes on subject, step and recipient). A step whose people
cannot be found (no section chief on record) tells nobody rather than failing the clock."""

from django.utils import timezone
from django.utils.translation import gettext as _

from office.clock.registry import ladder_action, recipient_resolver
from office.notifications.services import notify

from .models import ChecklistItem, MeetingNotice, MeetingStatus
from .selectors import deputies_in_charge, missing_receipt_people, section_chiefs


def _meeting(subject):
    if isinstance(subject, ChecklistItem | MeetingNotice):
        return subject.meeting
    return None


@recipient_resolver("meetings_item_owner")
def _item_owner(subject) -> list:
    if isinstance(subject, ChecklistItem) and subject.owner_id:
        return [subject.owner]
    return []


@recipient_resolver("meetings_section_chief")
def _section_chief(subject) -> list:
    meeting = _meeting(subject)
    return section_chiefs(meeting) if meeting is not None else []


@recipient_resolver("meetings_deputy_in_charge")
def _deputy(subject) -> list:
    meeting = _meeting(subject)
    return deputies_in_charge(meeting) if meeting is not None else []


@recipient_resolver("meetings_missing_receipts")
def _missing(subject) -> list:
    return missing_receipt_people(subject.meeting) if isinstance(subject, MeetingNotice) else []


def _when(meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%m月%d日 %H:%M")


@ladder_action("meetings.checklist_remind")
def checklist_remind(subject, step, recipients) -> None:
    if not isinstance(subject, ChecklistItem) or subject.done_at is not None or not recipients:
        return
    meeting = subject.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        return
    notify(
        recipients=recipients,
        subject=subject,
        step=f"checklist:{step.ladder_id}:{step.order}",
        title=_("{step}：{title}（{when}）——{item}").format(
            step=step.name, title=meeting.title, when=_when(meeting), item=subject.name
        ),
        body=_("责任人：{owner}；时限：{due}。").format(
            owner=getattr(getattr(subject.owner, "staff", None), "name", "—"),
            due=timezone.localtime(subject.due_at).strftime("%m月%d日 %H:%M"),
        ),
        url=subject.get_absolute_url(),
        level="urgent" if step.order >= 1 or subject.needs_devices else "warning",
    )


@ladder_action("meetings.chase_receipts")
def chase_receipts(subject, step, recipients) -> None:
    if not isinstance(subject, MeetingNotice) or not recipients:
        return
    meeting = subject.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        return
    notify(
        recipients=recipients,
        subject=subject,
        step=f"receipts:{step.ladder_id}:{step.order}",
        title=_("请尽快报送回执：{title}（{when}）").format(title=meeting.title, when=_when(meeting)),
        url=meeting.get_absolute_url(),
        level="warning",
    )


@ladder_action("meetings.escalate_receipts")
def escalate_receipts(subject, step, recipients) -> None:
    if not isinstance(subject, MeetingNotice) or not recipients:
        return
    meeting = subject.meeting
    missing = [
        r.addressee
        for r in meeting.receipts.filter(response="pending").select_related("unit", "person__staff")
    ]
    if meeting.status == MeetingStatus.CANCELLED or not missing:
        return
    notify(
        recipients=recipients,
        subject=subject,
        step=f"receipts:{step.ladder_id}:{step.order}",
        title=_("回执未齐：{title}（{when}）尚有 {n} 个单位或人员未回执").format(
            title=meeting.title, when=_when(meeting), n=len(missing)
        ),
        body="、".join(missing),
        url=meeting.get_absolute_url(),
        level="urgent",
    )
