"""Who may see and do what in the post risk review (岗位风险排查): the only place of these rules.

- The register is the office's own business: external units see nothing (a page refuses them with 403,
  an object is 404 for them).
- Office staff see the register of their own section (the posts whose section is their unit) and of the
  posts they hold; a section chief also sees the sections he heads; the leaders (``RISK_LEADER_ROLES``:
  the director and the deputies) see every section. A risk outside one's scope is 404.
- A review is submitted by a holder of the post, while the campaign is open and the review is waiting
  (待自查 or 退回). It is approved or returned by the chief of the post's section
  (``RISK_APPROVER_ROLES``) or a leader — never by the person who submitted it.
- The leaders open and close review campaigns. Incidents not yet tied to a risk are for the leaders.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from office.errors import Forbidden, NotFound, forbidden, not_found
from office.org.models import Staff
from office.org.principals import UnitPrincipal
from office.org.roles import RISK_APPROVER_ROLES, RISK_LEADER_ROLES, has_role, is_internal
from office.org.types import Actor

from .models import (
    OPEN_REVIEW_STATUSES,
    CampaignStatus,
    Post,
    ReviewCampaign,
    ReviewStatus,
    Risk,
    RiskIncident,
    RiskReview,
)

RISK_ACTIONS = ("view",)
REVIEW_ACTIONS = ("view", "submit", "decide")
CAMPAIGN_ACTIONS = ("view", "close")


def is_system(actor: Actor) -> bool:
    return actor is None


def _user(actor: Actor):
    if actor is None or isinstance(actor, UnitPrincipal) or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def is_office_staff(actor: Actor) -> bool:
    return _user(actor) is not None and is_internal(actor)


def is_leader(actor: Actor) -> bool:
    return is_office_staff(actor) and has_role(actor, *RISK_LEADER_ROLES)


def is_approver(actor: Actor) -> bool:
    return is_office_staff(actor) and has_role(actor, *RISK_APPROVER_ROLES)


def _staff(actor: Actor) -> Staff | None:
    user = _user(actor)
    if user is None:
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def chief_sections(actor: Actor) -> set[int]:
    """The sections whose reviews the actor approves as their chief (empty for a non-chief)."""
    if not is_approver(actor):
        return set()
    staff = _staff(actor)
    units = set(_user(actor).headed_units.values_list("pk", flat=True))
    if staff is not None:
        units.add(staff.unit_id)
    return units


def visible_sections(actor: Actor) -> set[int] | None:
    """None = every section (leaders and the system); else one's own unit and the sections one heads."""
    if is_system(actor) or is_leader(actor):
        return None
    staff = _staff(actor)
    units = chief_sections(actor)
    if staff is not None:
        units.add(staff.unit_id)
    return units


def post_scope(*, actor: Actor, qs: QuerySet[Post]) -> QuerySet[Post]:
    if is_system(actor):
        return qs
    if not is_office_staff(actor):
        return qs.none()
    sections = visible_sections(actor)
    if sections is None:
        return qs
    held = Post.objects.filter(holders=_user(actor)).values("pk")
    return qs.filter(Q(section_id__in=sections) | Q(pk__in=held))


def risk_scope(*, actor: Actor, qs: QuerySet[Risk]) -> QuerySet[Risk]:
    if is_system(actor):
        return qs
    if not is_office_staff(actor):
        return qs.none()
    if visible_sections(actor) is None:
        return qs
    return qs.filter(post_id__in=post_scope(actor=actor, qs=Post.objects.all()).values("pk"))


def incident_scope(*, actor: Actor, qs: QuerySet[RiskIncident]) -> QuerySet[RiskIncident]:
    if is_system(actor) or is_leader(actor):
        return qs
    if not is_office_staff(actor):
        return qs.none()
    return qs.filter(risk_id__in=risk_scope(actor=actor, qs=Risk.objects.all()).values("pk"))


def review_scope(*, actor: Actor, qs: QuerySet[RiskReview]) -> QuerySet[RiskReview]:
    if is_system(actor):
        return qs
    if not is_office_staff(actor):
        return qs.none()
    return qs.filter(risk_id__in=risk_scope(actor=actor, qs=Risk.objects.all()).values("pk"))


def can_view_register(actor: Actor) -> bool:
    return is_office_staff(actor)


def require_register(actor: Actor) -> None:
    if not (is_system(actor) or can_view_register(actor)):
        raise forbidden(_("岗位风险排查仅限办公室干部职工使用。"))


def can_approve(actor: Actor) -> bool:
    """The approvals page: section chiefs and the leaders."""
    return is_approver(actor) or is_leader(actor)


def can_open_campaign(actor: Actor) -> bool:
    return is_system(actor) or is_leader(actor)


def require_open_campaign(actor: Actor) -> None:
    if not can_open_campaign(actor):
        raise forbidden(_("只有主任、副主任可以发起风险排查。"))


def _in_scope(actor: Actor, risk: Risk) -> bool:
    return risk_scope(actor=actor, qs=Risk.objects.filter(pk=risk.pk)).exists()


def risk_access_for_action(*, actor: Actor, risk: Risk, action: str) -> Risk:
    if action not in RISK_ACTIONS:
        raise ValueError(f"unknown risk action {action!r}")
    if is_system(actor):
        return risk
    if not is_office_staff(actor) or not _in_scope(actor, risk):
        raise not_found()
    return risk


def is_holder(actor: Actor, post: Post) -> bool:
    user = _user(actor)
    return user is not None and post.holders.filter(pk=user.pk).exists()


def review_access_for_action(*, actor: Actor, review: RiskReview, action: str) -> RiskReview:
    if action not in REVIEW_ACTIONS:
        raise ValueError(f"unknown review action {action!r}")
    if is_system(actor):
        return review
    if not is_office_staff(actor) or not _in_scope(actor, review.risk):
        raise not_found()
    if action == "view":
        return review
    if review.campaign.status != CampaignStatus.OPEN:
        raise forbidden(_("本次风险排查已结束。"))
    if action == "submit":
        if not is_holder(actor, review.risk.post):
            raise forbidden(_("只有本岗位的在岗人员可以自查本岗位的风险。"))
        if review.status not in OPEN_REVIEW_STATUSES:
            raise forbidden(_("该风险点的自查已提交，等待审核或已审核。"))
        return review
    # decide
    if not (is_leader(actor) or review.risk.post.section_id in chief_sections(actor)):
        raise forbidden(_("只有本科室科长或办公室领导可以审核自查。"))
    if review.reviewer_id is not None and review.reviewer_id == _user(actor).pk:
        raise forbidden(_("不能审核本人提交的自查。"))
    if review.status != ReviewStatus.SUBMITTED:
        raise forbidden(_("该自查不在待审核状态。"))
    return review


def review_permissions(actor: Actor, review: RiskReview) -> dict[str, bool]:
    can = {}
    for action in REVIEW_ACTIONS:
        try:
            review_access_for_action(actor=actor, review=review, action=action)
            can[action] = True
        except (Forbidden, NotFound):
            can[action] = False
    return can


def campaign_access_for_action(*, actor: Actor, campaign: ReviewCampaign, action: str) -> ReviewCampaign:
    if action not in CAMPAIGN_ACTIONS:
        raise ValueError(f"unknown campaign action {action!r}")
    if is_system(actor):
        return campaign
    if not is_office_staff(actor):
        raise not_found()
    if action == "view":
        return campaign
    if not is_leader(actor):
        raise forbidden(_("只有主任、副主任可以结束风险排查。"))
    if campaign.status != CampaignStatus.OPEN:
        raise forbidden(_("本次风险排查已结束。"))
    return campaign


def can_edit_register(actor: Actor) -> bool:
    return is_system(actor) or is_leader(actor)


def require_edit_register(actor: Actor) -> None:
    """The pages that edit the register (posts, risks, an incident's risk): the leaders."""
    require_register(actor)
    if not can_edit_register(actor):
        raise forbidden(_("只有主任、副主任可以维护岗位风险台账。"))
