"""Who may see and do what in 政研: the only place of these rules.

- Managers (``RESEARCH_MANAGER_ROLES``: the researchers of the 政研室 with their chief, the director and
  the deputies) open and close calls, read every proposal, build the plan, run every topic (milestones,
  records, outputs, evaluations, adoptions) and read the statistics.
- The director (``RESEARCH_PLAN_APPROVER_ROLES``) approves the submitted plan or returns it with a reason.
- Office staff see the calls and propose; they see the approved plan (titles, kinds, leads) and the topics
  they are on (lead, team, commissioning leader): the topic page, its records and outputs; the lead and
  the team add field records and outputs and tick milestones off.
- External units (a liaison on the portal, or the unit's API key) see the calls and propose for their
  unit, and see their own unit's proposals; a department's person on a topic's team sees that topic.
- Anything outside one's scope is "not found" (404), never "forbidden".
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from office.errors import forbidden, not_found
from office.org.principals import UnitPrincipal
from office.org.roles import (
    RESEARCH_MANAGER_ROLES,
    RESEARCH_PLAN_APPROVER_ROLES,
    has_role,
    is_internal,
)
from office.org.selectors import unit_of_user
from office.org.types import Actor

from .models import (
    CallStatus,
    PlanStatus,
    Proposal,
    ResearchPlan,
    Topic,
    TopicCall,
    TopicStatus,
)

CALL_ACTIONS = ("view", "propose", "close", "proposals_all")
PLAN_ACTIONS = ("view", "edit", "submit", "decide")
TOPIC_ACTIONS = ("view", "work", "manage", "evaluate", "adopt", "finish")


def is_system(actor: Actor) -> bool:
    return actor is None


def _user(actor: Actor):
    if actor is None or isinstance(actor, UnitPrincipal) or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def is_office_staff(actor: Actor) -> bool:
    return _user(actor) is not None and is_internal(actor)


def is_manager(actor: Actor) -> bool:
    return _user(actor) is not None and has_role(actor, *RESEARCH_MANAGER_ROLES)


def is_approver(actor: Actor) -> bool:
    return _user(actor) is not None and has_role(actor, *RESEARCH_PLAN_APPROVER_ROLES)


def external_unit(actor: Actor):
    """The unit of an external unit's liaison or API key (None for office staff)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or is_internal(actor):
        return None
    unit = unit_of_user(actor)
    return unit if unit is not None and unit.is_external else None


def can_use(actor: Actor) -> bool:
    """The 政研 pages (calls, one's proposals): office staff and external units."""
    return is_office_staff(actor) or external_unit(actor) is not None


def can_see_topics(actor: Actor) -> bool:
    """The topic list and the plan: office staff (their scope), and a unit's person on a team."""
    return is_office_staff(actor)


def can_open_call(actor: Actor) -> bool:
    return is_system(actor) or is_manager(actor)


def require_open_call(actor: Actor) -> None:
    if not can_open_call(actor):
        raise forbidden(_("只有政研室和办公室领导可以发布选题征集。"))


def can_see_stats(actor: Actor) -> bool:
    return is_system(actor) or is_manager(actor)


def can_create_plan(actor: Actor) -> bool:
    return is_system(actor) or is_manager(actor)


# --- calls and proposals ---------------------------------------------------------------------------


def call_scope(*, actor: Actor, qs: QuerySet[TopicCall]) -> QuerySet[TopicCall]:
    if is_system(actor) or can_use(actor):
        return qs
    return qs.none()


def call_access_for_action(*, actor: Actor, call: TopicCall | None, action: str) -> TopicCall:
    if action not in CALL_ACTIONS:
        raise ValueError(f"unknown call action {action!r}")
    if call is None or not (is_system(actor) or can_use(actor)):
        raise not_found()
    if action == "view" or is_system(actor):
        return call
    if action == "propose":
        if call.status != CallStatus.OPEN:
            raise forbidden(_("选题征集已截止。"))
        return call
    if not is_manager(actor):
        raise forbidden(_("只有政研室和办公室领导可以办理。"))
    return call


def proposal_scope(*, actor: Actor, qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Managers: every proposal; office staff: their own; a unit: its unit's."""
    if is_system(actor) or is_manager(actor):
        return qs
    unit = external_unit(actor)
    if unit is not None:
        return qs.filter(unit=unit)
    user = _user(actor)
    if user is not None and is_internal(user):
        return qs.filter(proposed_by=user)
    return qs.none()


# --- the plan ---------------------------------------------------------------------------------------


def plan_access_for_action(*, actor: Actor, plan: ResearchPlan | None, action: str) -> ResearchPlan:
    """The approved plan is the office's: every staff member reads it; a draft is the managers' own."""
    if action not in PLAN_ACTIONS:
        raise ValueError(f"unknown plan action {action!r}")
    if plan is None:
        raise not_found()
    if is_system(actor):
        return plan
    if not is_office_staff(actor):
        raise not_found()
    if action == "view":
        if plan.status == PlanStatus.APPROVED or is_manager(actor):
            return plan
        raise not_found()
    if action == "decide":
        if not is_approver(actor):
            raise forbidden(_("年度调研计划由主任审定。"))
        return plan
    if not is_manager(actor):
        raise forbidden(_("只有政研室和办公室领导可以编制年度计划。"))
    return plan


# --- topics -----------------------------------------------------------------------------------------


def _member_q(user) -> Q:
    return Q(lead=user) | Q(team=user) | Q(commissioned_by=user)


def topic_scope(*, actor: Actor, qs: QuerySet[Topic]) -> QuerySet[Topic]:
    """Managers: every topic; anyone else the topics they are on (a team member of a department too)."""
    if is_system(actor) or is_manager(actor):
        return qs
    user = _user(actor)
    if user is None:
        return qs.none()
    ids = Topic.objects.filter(_member_q(user)).values("pk")
    return qs.filter(pk__in=ids)


def is_member(actor: Actor, topic: Topic) -> bool:
    user = _user(actor)
    if user is None:
        return False
    return (
        topic.lead_id == user.pk
        or topic.commissioned_by_id == user.pk
        or topic.team.filter(pk=user.pk).exists()
    )


def is_worker(actor: Actor, topic: Topic) -> bool:
    """The lead and the team do the research."""
    user = _user(actor)
    if user is None:
        return False
    return topic.lead_id == user.pk or topic.team.filter(pk=user.pk).exists()


def topic_access_for_action(*, actor: Actor, topic: Topic | None, action: str) -> Topic:
    if action not in TOPIC_ACTIONS:
        raise ValueError(f"unknown topic action {action!r}")
    if topic is None:
        raise not_found()
    if is_system(actor):
        return topic
    manager = is_manager(actor)
    if not (manager or is_member(actor, topic)):
        raise not_found()
    if action == "view":
        return topic
    if action == "work":
        if not (manager or is_worker(actor, topic)):
            raise forbidden(_("只有课题组成员可以办理。"))
        if topic.status in (TopicStatus.DONE, TopicStatus.CANCELLED):
            raise forbidden(_("课题已结题。"))
        return topic
    if action == "adopt":
        # a leader's instruction, a document, a meeting decision: recorded by the 政研室 and the leaders
        if not manager:
            raise forbidden(_("成果转化由政研室登记。"))
        return topic
    if not manager:
        raise forbidden(_("只有政研室和办公室领导可以办理。"))
    return topic


def topic_permissions(actor: Actor, topic: Topic) -> dict[str, bool]:
    out = {}
    for action in TOPIC_ACTIONS:
        try:
            topic_access_for_action(actor=actor, topic=topic, action=action)
        except Exception:
            out[action] = False
        else:
            out[action] = True
    return out
