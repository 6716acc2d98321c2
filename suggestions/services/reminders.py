"""Campaign reminders and reply deadlines through the clock's ladder templates (admin-editable).

- ``suggestions-campaign`` (seeded by a data migration): three steps, 0 h, 24 h and 24 h after the anchor
  (the reminder time, 09:00, two days before the deadline's day): two days before, one day before and
  the deadline's morning. Recipients ``suggestions_short``: the participants still below the minimum,
  resolved when the step fires. Action ``suggestions.remind_short``.
- ``suggestions-reply`` : anchored at an assigned item's reply deadline; the assignee is reminded at the
  deadline, the director two working days later if still unanswered. Stopped by the reply.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from office.clock.services import ClockError, ladder_restart_from, ladder_start, ladder_stop
from office.org.types import Actor

from .. import conf
from ..models import Campaign, Submission
from ..seed import ensure_default_ladders

CAMPAIGN_LADDER = "suggestions-campaign"
REPLY_LADDER = "suggestions-reply"


def reminder_anchor(campaign: Campaign) -> datetime:
    day = timezone.localtime(campaign.deadline).date() - timedelta(days=2)
    return timezone.make_aware(datetime.combine(day, conf.reminder_time()), timezone.get_default_timezone())


@transaction.atomic
def reminders_start(*, campaign: Campaign, actor: Actor = None) -> None:
    ensure_default_ladders()
    ladder_start(
        subject=campaign, template_code=CAMPAIGN_LADDER, anchor=reminder_anchor(campaign), actor=actor
    )


@transaction.atomic
def reminders_stop(*, campaign: Campaign, actor: Actor = None) -> None:
    ladder_stop(subject=campaign, actor=actor, reason="活动结束")


@transaction.atomic
def reminders_retime(*, campaign: Campaign, actor: Actor = None) -> None:
    try:
        ladder_restart_from(subject=campaign, anchor=reminder_anchor(campaign), actor=actor)
    except ClockError:
        reminders_start(campaign=campaign, actor=actor)


@transaction.atomic
def reply_ladder_start(*, submission: Submission, actor: Actor) -> None:
    ladder_stop(subject=submission, actor=actor, reason="重新交办")
    if submission.reply_due_at is not None:
        ensure_default_ladders()
        ladder_start(
            subject=submission, template_code=REPLY_LADDER, anchor=submission.reply_due_at, actor=actor
        )


@transaction.atomic
def reply_ladder_stop(*, submission: Submission, actor: Actor) -> None:
    ladder_stop(subject=submission, actor=actor, reason="已答复")
