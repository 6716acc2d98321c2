"""Clock wiring of the post risk review: the review-due timer, and the resolvers and ladder action the
admin-editable template ``risks-campaign`` names. They run inside the tick's transaction and are
idempotent (notify dedupes on subject, step and recipient)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from office.clock.registry import ladder_action, recipient_resolver, timer_handler
from office.notifications.services import notify

from .models import CampaignStatus, ReviewCampaign, Risk
from .services.campaigns import campaign_url, pending_chiefs, pending_reviewers
from .services.common import REVIEW_DUE


@timer_handler(REVIEW_DUE)
def review_due(timer) -> None:
    """A risk's review is due: remind its owner (or the post's holders when it has none)."""
    risk = (
        Risk.objects.filter(pk=timer.subject_id, is_active=True, post__is_active=True)
        .select_related("post", "owner")
        .first()
    )
    if risk is None or risk.next_review_at is None or risk.next_review_at > timezone.now():
        return  # gone, or moved later meanwhile (its own timer is waiting)
    recipients = [risk.owner] if risk.owner is not None else list(risk.post.holders.filter(is_active=True))
    notify(
        recipients=recipients,
        subject=risk,
        step=f"review_due:{timer.step}",
        title=_("风险点复核到期：%(risk)s（%(level)s）") % {"risk": risk, "level": risk.get_level_display()},
        url=risk.get_absolute_url(),
        level="warning",
    )


@recipient_resolver("risks_pending_reviewers")
def _pending_reviewers(subject) -> list:
    if not isinstance(subject, ReviewCampaign) or subject.status != CampaignStatus.OPEN:
        return []
    return pending_reviewers(subject)


@recipient_resolver("risks_pending_chiefs")
def _pending_chiefs(subject) -> list:
    if not isinstance(subject, ReviewCampaign) or subject.status != CampaignStatus.OPEN:
        return []
    return pending_chiefs(subject)


@ladder_action("risks.remind_reviews")
def remind_reviews(subject, step, recipients) -> None:
    """Nobody left to remind is a fine outcome, not a failure."""
    if not isinstance(subject, ReviewCampaign) or subject.status != CampaignStatus.OPEN or not recipients:
        return
    deadline = timezone.localtime(subject.deadline).strftime("%m月%d日 %H:%M")
    notify(
        recipients=recipients,
        subject=subject,
        step=f"remind:{step.ladder_id}:{step.order}",
        title=_("%(step)s：岗位风险自查“%(title)s”截止%(deadline)s，尚有未提交的自查")
        % {"step": step.name, "title": subject.title, "deadline": deadline},
        url=campaign_url(subject),
        level="urgent" if step.order >= 2 else "warning",
    )
