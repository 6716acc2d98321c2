"""Clock wiring of the campaigns: the recipient resolvers and ladder action the admin-editable ladder
templates ``suggestions-campaign`` and ``suggestions-reply`` name. They run inside the tick's transaction
and are idempotent (notify dedupes on subject, step and recipient)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.clock.registry import ladder_action, recipient_resolver
from office.notifications.services import notify

from .models import Campaign, CampaignStatus, Submission, SubmissionStatus
from .selectors import short_users

# A reminder whose time passed more than this long ago (a campaign opened close to its deadline, or a
# clock that stood still) is not sent late: the next one, or the deadline, speaks instead.
STALE_AFTER = timedelta(hours=12)


@recipient_resolver("suggestions_short")
def _short(subject) -> list:
    if not isinstance(subject, Campaign) or subject.status != CampaignStatus.OPEN:
        return []
    return short_users(subject)


@recipient_resolver("suggestions_assignee")
def _assignee(subject) -> list:
    if isinstance(subject, Submission) and subject.assignee_id:
        return [subject.assignee]
    return []


@ladder_action("suggestions.remind_short")
def remind_short(subject, step, recipients) -> None:
    """Remind those still below the minimum; nobody short is a fine outcome, not a failure."""
    now = timezone.now()
    if not isinstance(subject, Campaign) or subject.status != CampaignStatus.OPEN or now > subject.deadline:
        return
    if step.due_at is not None and now - step.due_at > STALE_AFTER:
        return
    if not recipients:
        return
    deadline = timezone.localtime(subject.deadline)
    notify(
        recipients=recipients,
        subject=subject,
        step=f"remind:{step.ladder_id}:{step.order}",
        title=_("{step}：请于{deadline}前提交“{title}”意见（每人至少 {n} 条）").format(
            step=step.name,
            deadline=deadline.strftime("%m月%d日 %H:%M"),
            title=subject.title,
            n=subject.min_per_person,
        ),
        url=reverse("suggestions:campaign", kwargs={"pk": subject.pk}),
        level="urgent" if step.order >= 2 else "warning",
    )


@ladder_action("suggestions.remind_reply")
def remind_reply(subject, step, recipients) -> None:
    if not isinstance(subject, Submission) or subject.status != SubmissionStatus.ASSIGNED or not recipients:
        return
    notify(
        recipients=recipients,
        subject=subject,
        step=f"reply:{step.ladder_id}:{step.order}",
        title=_("{step}：干部意见建议第 {pk} 条尚未答复").format(step=step.name, pk=subject.pk),
        url=reverse("suggestions:submission", kwargs={"pk": subject.pk}),
        level="urgent" if step.order >= 1 else "warning",
    )
