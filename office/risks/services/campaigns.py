"""Review campaigns: the leaders open one with a deadline; every active risk of the chosen sections' posts
gets a review (待自查); the posts' holders submit their assessment; the section chief approves (the risk
takes the reviewed likelihood and impact, and its next review date) or returns it with a reason.

Chasing is the clock's ladder template ``risks-campaign`` (admin-editable, seeded by migration 0002):
anchored 48 h before the deadline, it reminds the holders with reviews still waiting at −48 h and −8 h,
and the chiefs of their sections 24 h after the deadline. It stops when no review waits any more and
when the campaign closes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import ladder_start, ladder_stop
from office.notifications.services import notify
from office.org.models import Role, Unit
from office.org.types import Actor

from .. import access, conf
from ..models import (
    OPEN_REVIEW_STATUSES,
    CampaignStatus,
    ReviewCampaign,
    ReviewStatus,
    Risk,
    RiskReview,
)
from ..seed import ensure_default_ladders
from .common import RiskError, next_review_from, person, schedule_review_timer

CAMPAIGN_LADDER = "risks-campaign"


def section_chiefs(section_id: int) -> list:
    """The chiefs of a section: holders of the section-chief role in it, and its head of record."""
    users = get_user_model().objects.filter(is_active=True)
    return list(
        users.filter(
            Q(groups__name=Role.SECTION_CHIEF, staff__unit_id=section_id) | Q(headed_units__pk=section_id)
        )
        .distinct()
        .order_by("pk")
    )


def campaign_url(campaign: ReviewCampaign) -> str:
    return reverse("risks:campaign", kwargs={"pk": campaign.pk})


def ladder_anchor(campaign: ReviewCampaign) -> datetime:
    return campaign.deadline - timedelta(hours=48)


@transaction.atomic
def campaign_open(
    *,
    actor: Actor,
    title: str,
    deadline: datetime | None = None,
    sections=(),
    opened_at: datetime | None = None,
) -> ReviewCampaign:
    access.require_open_campaign(actor)
    title = (title or "").strip()
    opened_at = opened_at or timezone.now()
    deadline = deadline or opened_at + timedelta(days=conf.campaign_days())
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("请填写标题。")]
    if deadline <= opened_at:
        errors["deadline"] = [_("截止时间必须晚于开始时间。")]
    if errors:
        raise RiskError(_("请检查填写的内容。"), code="invalid", fields=errors)
    opener = person(actor)
    if opener is None:
        opener = (
            get_user_model().objects.filter(groups__name=Role.DIRECTOR, is_active=True).order_by("pk").first()
        )
    campaign = ReviewCampaign.objects.create(
        title=title, opened_by=opener, opened_at=opened_at, deadline=deadline
    )
    section_ids = [u.pk for u in sections]
    campaign.sections.set(section_ids)
    risks = Risk.objects.filter(is_active=True, post__is_active=True)
    if section_ids:
        risks = risks.filter(post__section_id__in=section_ids)
    RiskReview.objects.bulk_create([RiskReview(campaign=campaign, risk=r) for r in risks])
    ensure_default_ladders()
    ladder_start(subject=campaign, template_code=CAMPAIGN_LADDER, anchor=ladder_anchor(campaign), actor=actor)
    holders = pending_reviewers(campaign)
    audit_record(
        actor=actor,
        verb="risks.campaign_opened",
        subject=campaign,
        data={"deadline": deadline.isoformat(), "sections": section_ids, "reviews": risks.count()},
    )
    notify(
        recipients=holders,
        subject=campaign,
        step="opened",
        title=_("请于%(deadline)s前完成岗位风险自查：%(title)s")
        % {"deadline": timezone.localtime(deadline).strftime("%m月%d日 %H:%M"), "title": title},
        url=reverse("risks:my-reviews"),
        level="info",
    )
    return campaign


def pending_reviewers(campaign: ReviewCampaign) -> list:
    """The holders of the posts whose reviews in ``campaign`` still wait (待自查 or 退回)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            risk_posts__risks__reviews__campaign=campaign,
            risk_posts__risks__reviews__status__in=OPEN_REVIEW_STATUSES,
        )
        .distinct()
        .order_by("pk")
    )


def pending_chiefs(campaign: ReviewCampaign) -> list:
    sections = (
        RiskReview.objects.filter(campaign=campaign, status__in=OPEN_REVIEW_STATUSES)
        .values_list("risk__post__section_id", flat=True)
        .distinct()
    )
    chiefs: dict[int, object] = {}
    for section_id in sections:
        for user in section_chiefs(section_id):
            chiefs[user.pk] = user
    return list(chiefs.values())


def _stop_when_done(campaign: ReviewCampaign, actor: Actor) -> None:
    if not RiskReview.objects.filter(campaign=campaign, status__in=OPEN_REVIEW_STATUSES).exists():
        ladder_stop(subject=campaign, actor=actor, reason="自查均已提交")


@transaction.atomic
def campaign_close(*, actor: Actor, campaign: ReviewCampaign) -> ReviewCampaign:
    campaign = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
    access.campaign_access_for_action(actor=actor, campaign=campaign, action="close")
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    ladder_stop(subject=campaign, actor=actor, reason="活动结束")
    audit_record(actor=actor, verb="risks.campaign_closed", subject=campaign, data={})
    return campaign


def _locked_review(review: RiskReview) -> RiskReview:
    return RiskReview.objects.select_for_update().select_related("campaign", "risk__post").get(pk=review.pk)


def _scale(value, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise RiskError(_("可能性和影响均为 1–5。"), code="invalid", fields={field: [_("应为 1–5")]})
    return number


@transaction.atomic
def review_submit(
    *,
    actor: Actor,
    review: RiskReview,
    likelihood,
    impact,
    controls_effective: bool,
    assessment: str,
) -> RiskReview:
    review = _locked_review(review)
    access.review_access_for_action(actor=actor, review=review, action="submit")
    likelihood = _scale(likelihood, "likelihood")
    impact = _scale(impact, "impact")
    assessment = (assessment or "").strip()
    if len(assessment) < 4:
        raise RiskError(
            _("请写明自查情况（现有措施的落实情况、发现的问题）。"),
            code="invalid",
            fields={"assessment": [_("请填写自查情况")]},
        )
    review.likelihood, review.impact = likelihood, impact
    review.controls_effective = bool(controls_effective)
    review.assessment = assessment
    review.reviewer = person(actor)
    review.submitted_at = timezone.now()
    review.status = ReviewStatus.SUBMITTED
    review.save()
    audit_record(
        actor=actor,
        verb="risks.review_submitted",
        subject=review,
        data={"likelihood": likelihood, "impact": impact, "controls_effective": review.controls_effective},
    )
    notify(
        recipients=section_chiefs(review.risk.post.section_id),
        subject=review,
        step=f"submitted:{review.submitted_at:%Y%m%d%H%M%S}",
        title=_("岗位风险自查待审核：%(risk)s") % {"risk": review.risk},
        url=reverse("risks:approvals"),
        level="info",
    )
    _stop_when_done(review.campaign, actor)
    return review


@transaction.atomic
def review_decide(*, actor: Actor, review: RiskReview, approve: bool, note: str = "") -> RiskReview:
    review = _locked_review(review)
    access.review_access_for_action(actor=actor, review=review, action="decide")
    note = (note or "").strip()
    if not approve and not note:
        raise RiskError(_("退回须写明理由。"), code="invalid", fields={"note": [_("请填写退回理由")]})
    now = timezone.now()
    review.decided_by = person(actor)
    review.decided_at = now
    review.decision_note = note
    review.status = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
    review.save()
    data: dict = {"approve": approve, "note": note}
    if approve:
        risk = Risk.objects.select_for_update().get(pk=review.risk_id)
        before = {"likelihood": risk.likelihood, "impact": risk.impact, "level": risk.level}
        risk.likelihood = review.likelihood or risk.likelihood
        risk.impact = review.impact or risk.impact
        risk.last_reviewed_at = now
        risk.version += 1  # an editor holding the page before this approval must not overwrite it
        risk.save(update_fields=["likelihood", "impact", "last_reviewed_at", "version"])
        risk.next_review_at = next_review_from(now, risk.level)
        risk.save(update_fields=["next_review_at"])
        schedule_review_timer(risk)
        data.update(
            before=before, after={"likelihood": risk.likelihood, "impact": risk.impact, "level": risk.level}
        )
    audit_record(
        actor=actor,
        verb="risks.review_approved" if approve else "risks.review_returned",
        subject=review,
        data=data,
    )
    if review.reviewer is not None:
        notify(
            recipients=[review.reviewer],
            subject=review,
            step=f"decided:{now:%Y%m%d%H%M%S}",
            title=(_("岗位风险自查已审核：%(risk)s") if approve else _("岗位风险自查被退回：%(risk)s"))
            % {"risk": review.risk},
            body=note,
            url=reverse("risks:my-reviews"),
            level="info" if approve else "warning",
        )
    return review


def campaign_sections(campaign: ReviewCampaign):
    return Unit.objects.filter(pk__in=campaign.sections.values("pk"))
