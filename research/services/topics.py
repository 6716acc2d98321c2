"""A topic's work: its milestones on the clock (ladder template ``research-milestone``: the lead is
reminded at the due time, the deputy in charge of the 政研室 one working day later if still open), field
research records with attachments, and the topic's end (结题: on time when its final milestone was)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import ladder_restart_from, ladder_start, ladder_stop
from office.files.validation import check_upload
from office.org.types import Actor
from office.workdays.services import end_of_day

from .. import access
from ..models import (
    FieldRecord,
    FieldRecordAttachment,
    MilestoneKind,
    Topic,
    TopicMilestone,
    TopicStatus,
)
from ..seed import ensure_default_ladders
from .common import ResearchError, acting_user, invalid

MILESTONE_LADDER = "research-milestone"


def _locked_topic(topic: Topic | int) -> Topic:
    pk = topic.pk if isinstance(topic, Topic) else topic
    found = Topic.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise ResearchError(_("课题不存在。"), code="not_found")
    return found


def milestone_ladder_start(*, milestone: TopicMilestone, actor: Actor = None) -> None:
    """Put one milestone on the clock (inside the caller's transaction)."""
    ensure_default_ladders()
    ladder_stop(subject=milestone, actor=actor, reason="重新计时")
    ladder_start(subject=milestone, template_code=MILESTONE_LADDER, anchor=milestone.due_at, actor=actor)


@transaction.atomic
def milestone_done(*, actor: Actor, milestone: TopicMilestone | int) -> TopicMilestone:
    pk = milestone.pk if isinstance(milestone, TopicMilestone) else milestone
    ms = TopicMilestone.objects.select_for_update().select_related("topic").filter(pk=pk).first()
    if ms is None:
        raise ResearchError(_("课题节点不存在。"), code="not_found")
    access.topic_access_for_action(actor=actor, topic=ms.topic, action="work")
    if ms.done_at is not None:
        raise ResearchError(_("该节点已经完成。"), code="conflict")
    ms.done_at = timezone.now()
    ms.done_by = acting_user(actor)
    ms.save(update_fields=["done_at", "done_by"])
    ladder_stop(subject=ms, actor=actor, reason="节点已完成")
    audit_record(
        actor=actor,
        verb="research.milestone_done",
        subject=ms.topic,
        data={"milestone": ms.kind, "due_at": ms.due_at.isoformat(), "late": ms.done_at > ms.due_at},
    )
    return ms


@transaction.atomic
def milestone_reschedule(*, actor: Actor, milestone: TopicMilestone | int, due: date) -> TopicMilestone:
    """A manager moves an open milestone (its reminders follow)."""
    pk = milestone.pk if isinstance(milestone, TopicMilestone) else milestone
    ms = TopicMilestone.objects.select_for_update().select_related("topic").filter(pk=pk).first()
    if ms is None:
        raise ResearchError(_("课题节点不存在。"), code="not_found")
    access.topic_access_for_action(actor=actor, topic=ms.topic, action="manage")
    if ms.done_at is not None:
        raise ResearchError(_("该节点已经完成。"), code="conflict")
    old = ms.due_at
    ms.due_at = end_of_day(due)
    ms.save(update_fields=["due_at"])
    if ms.topic.status == TopicStatus.IN_PROGRESS:
        try:
            ladder_restart_from(subject=ms, anchor=ms.due_at, actor=actor)
        except Exception:
            milestone_ladder_start(milestone=ms, actor=actor)
    audit_record(
        actor=actor,
        verb="research.milestone_rescheduled",
        subject=ms.topic,
        data={"milestone": ms.kind, "from": old.isoformat(), "to": ms.due_at.isoformat()},
    )
    return ms


@transaction.atomic
def record_add(
    *,
    actor: Actor,
    topic: Topic | int,
    date: date,
    place: str,
    people_met: str,
    findings: str,
    attachments=(),
) -> FieldRecord:
    topic = _locked_topic(topic)
    access.topic_access_for_action(actor=actor, topic=topic, action="work")
    place, people_met, findings = (place or "").strip(), (people_met or "").strip(), (findings or "").strip()
    errors: dict[str, list[str]] = {}
    if not place:
        errors["place"] = [_("请填写调研地点。")]
    if not people_met:
        errors["people_met"] = [_("请填写调研对象。")]
    if len(findings) < 10:
        errors["findings"] = [_("请填写调研发现（至少 10 个字）。")]
    if date is None or date > timezone.localdate():
        errors["date"] = [_("调研日期不能晚于今天。")]
    if errors:
        raise ResearchError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    checked = [check_upload(f, field="attachments") for f in attachments or []]
    record = FieldRecord.objects.create(
        topic=topic,
        date=date,
        place=place,
        people_met=people_met,
        findings=findings,
        created_by=acting_user(actor),
    )
    for c in checked:
        FieldRecordAttachment.objects.create(record=record, file=c.file, name=c.original_name, size=c.size)
    audit_record(
        actor=actor,
        verb="research.record_added",
        subject=topic,
        data={"record": record.pk, "place": place, "attachments": len(checked)},
    )
    return record


@transaction.atomic
def topic_finish(*, actor: Actor, topic: Topic | int) -> Topic:
    """结题: the final milestone must be done; on time when it was done by its due time. Every open
    milestone's reminders stop."""
    topic = _locked_topic(topic)
    access.topic_access_for_action(actor=actor, topic=topic, action="finish")
    if topic.status != TopicStatus.IN_PROGRESS:
        raise ResearchError(_("只有调研中的课题可以结题。"), code="conflict")
    final = topic.milestones.filter(kind=MilestoneKind.FINAL).first()
    if final is None or final.done_at is None:
        raise invalid("status", _("定稿节点尚未完成，不能结题。"))
    topic.status = TopicStatus.DONE
    topic.done_at = timezone.now()
    topic.done_on_time = final.done_at <= final.due_at
    topic.save(update_fields=["status", "done_at", "done_on_time"])
    for ms in topic.milestones.all():
        ladder_stop(subject=ms, actor=actor, reason="课题已结题")
    audit_record(
        actor=actor, verb="research.topic_finished", subject=topic, data={"on_time": topic.done_on_time}
    )
    return topic
