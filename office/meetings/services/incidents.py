"""The incident log during a meeting. An equipment failure creates a follow-up task (a checklist item
with an owner and a deadline on the clock). ``meeting_incident_recorded`` is sent after the commit (the
post risk review counts incidents)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.types import Actor

from .. import access, conf
from ..models import IncidentCategory, Meeting, MeetingIncident
from ..signals import meeting_incident_recorded
from .checklist import follow_up_create
from .common import MeetingError, locked_meeting, user_or_none


def _send(incident_id: int) -> None:
    incident = (
        MeetingIncident.objects.select_related("meeting__meeting_type", "reported_by")
        .filter(pk=incident_id)
        .first()
    )
    if incident is not None:
        meeting_incident_recorded.send(sender=MeetingIncident, incident=incident)


@transaction.atomic
def incident_record(
    *,
    actor: Actor,
    meeting: Meeting | int,
    category: str,
    description: str,
    started_at: dt.datetime,
    ended_at: dt.datetime | None = None,
    minutes_lost: int | None = None,
    action_taken: str = "",
) -> MeetingIncident:
    meeting = locked_meeting(meeting)
    access.meeting_access_for_action(actor=actor, meeting=meeting, action="manage")
    errors: dict[str, list[str]] = {}
    description = (description or "").strip()
    if category not in IncidentCategory.values:
        errors["category"] = [_("请选择类别。")]
    if not description:
        errors["description"] = [_("请写明出了什么问题。")]
    if started_at is None:
        errors["started_at"] = [_("请填写开始时间。")]
    elif ended_at is not None and ended_at < started_at:
        errors["ended_at"] = [_("结束时间不能早于开始时间。")]
    if errors:
        raise MeetingError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    if minutes_lost is None:
        minutes_lost = int((ended_at - started_at).total_seconds() // 60) if ended_at else 0
    incident = MeetingIncident.objects.create(
        meeting=meeting,
        category=category,
        description=description[:300],
        started_at=started_at,
        ended_at=ended_at,
        minutes_lost=max(0, minutes_lost),
        action_taken=(action_taken or "").strip()[:300],
        reported_by=user_or_none(actor),
    )
    if category == IncidentCategory.EQUIPMENT:
        owner = meeting.technician or meeting.organizer
        incident.follow_up = follow_up_create(
            meeting=meeting,
            name=_("设备故障整改：{what}").format(what=description)[:100],
            owner=owner,
            actor=actor,
            due_at=timezone.now() + dt.timedelta(hours=conf.followup_hours()),
        )
        incident.save(update_fields=["follow_up"])
    audit_record(
        actor=actor,
        verb="meetings.incident_recorded",
        subject=meeting,
        data={"category": category, "description": description, "minutes_lost": incident.minutes_lost},
    )
    transaction.on_commit(partial(_send, incident.pk))
    return incident
