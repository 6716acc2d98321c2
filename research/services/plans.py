"""The year's plan: the 政研室 drafts it (topics from proposals or new ones), submits it, and the director
approves it or returns it with a reason (draft → submitted → approved / returned → submitted …).
Approval starts every topic: its milestones go on the clock."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.roles import is_internal
from office.org.types import Actor
from office.workdays.services import end_of_day

from .. import access, conf
from ..models import (
    MILESTONE_ORDER,
    PlanStatus,
    Proposal,
    ProposalStatus,
    ResearchPlan,
    Topic,
    TopicKind,
    TopicMilestone,
    TopicStatus,
)
from .common import ResearchError, acting_user, id_or_none, invalid
from .topics import milestone_ladder_start


def _locked(plan: ResearchPlan | int) -> ResearchPlan:
    pk = plan.pk if isinstance(plan, ResearchPlan) else plan
    found = ResearchPlan.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise ResearchError(_("年度计划不存在。"), code="not_found")
    return found


@transaction.atomic
def plan_create(*, actor: Actor, year: int) -> ResearchPlan:
    if not access.can_create_plan(actor):
        raise ResearchError(_("只有政研室和办公室领导可以编制年度计划。"), code="forbidden")
    if ResearchPlan.objects.filter(year=year).exists():
        raise invalid("year", _("%(year)s 年度计划已经存在。") % {"year": year})
    plan = ResearchPlan.objects.create(year=year, created_by=acting_user(actor))
    audit_record(actor=actor, verb="research.plan_created", subject=plan, data={"year": year})
    return plan


def default_milestones(start: date) -> dict[str, date]:
    offsets = conf.milestone_offsets()
    return {kind: start + timedelta(days=offsets[kind]) for kind in offsets}


def _user_ids(values) -> list[int]:
    return [i for i in (id_or_none(v) for v in values or ()) if i is not None]


@transaction.atomic
def topic_add(
    *,
    actor: Actor,
    plan: ResearchPlan | int,
    title: str,
    kind: str,
    lead,
    team=(),
    external_members: str = "",
    commissioned_by=None,
    commissioned_by_name: str = "",
    description: str = "",
    proposals=(),
    started_on: date | None = None,
    milestones: dict[str, date] | None = None,
) -> Topic:
    """A topic of the plan (from proposals, or a new one) with its four milestones (default offsets
    from the start unless given)."""
    plan = _locked(plan)
    access.plan_access_for_action(actor=actor, plan=plan, action="edit")
    if not plan.editable:
        raise ResearchError(_("年度计划已报审或已审定，不能再增加课题。"), code="conflict")
    User = get_user_model()
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if len(title) < 4:
        errors["title"] = [_("请填写课题名称（至少 4 个字）。")]
    if kind not in TopicKind.values:
        errors["kind"] = [_("请选择课题类别（重大或专项）。")]
    lead_user = User.objects.filter(pk=id_or_none(lead), is_active=True).first() if lead else None
    if lead_user is None or not is_internal(lead_user):
        errors["lead"] = [_("请选择办公室的牵头研究人员。")]
    leader = None
    if commissioned_by:
        leader = User.objects.filter(pk=id_or_none(commissioned_by), is_active=True).first()
        if leader is None:
            errors["commissioned_by"] = [_("交办领导不存在。")]
    start = started_on or timezone.localdate()
    dues = {**default_milestones(start), **(milestones or {})}
    previous = start
    for ms_kind in MILESTONE_ORDER:
        if dues[ms_kind] < previous:
            errors.setdefault("milestones", []).append(_("各节点期限须依次排列，且不早于开题日期。"))
            break
        previous = dues[ms_kind]
    if errors or lead_user is None:
        raise ResearchError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    topic = Topic.objects.create(
        plan=plan,
        year=plan.year,
        title=title,
        kind=kind,
        description=description,
        lead=lead_user,
        external_members=(external_members or "").strip(),
        commissioned_by=leader,
        commissioned_by_name="" if leader else (commissioned_by_name or "").strip(),
        started_on=start,
    )
    members = User.objects.filter(pk__in=_user_ids(team), is_active=True).exclude(pk=lead_user.pk)
    topic.team.set(members)
    TopicMilestone.objects.bulk_create(
        [
            TopicMilestone(topic=topic, kind=ms_kind, order=i, due_at=end_of_day(dues[ms_kind]))
            for i, ms_kind in enumerate(MILESTONE_ORDER)
        ]
    )
    proposal_ids = _user_ids(proposals)
    if proposal_ids:
        Proposal.objects.filter(pk__in=proposal_ids, call__year=plan.year).update(
            status=ProposalStatus.ADOPTED, topic=topic
        )
    audit_record(
        actor=actor,
        verb="research.topic_added",
        subject=topic,
        data={"plan": plan.pk, "kind": kind, "lead": lead_user.pk, "proposals": proposal_ids},
    )
    return topic


@transaction.atomic
def topic_remove(*, actor: Actor, topic: Topic | int) -> None:
    pk = topic.pk if isinstance(topic, Topic) else topic
    topic_obj = Topic.objects.filter(pk=pk).select_related("plan").first()
    if topic_obj is None:
        raise ResearchError(_("课题不存在。"), code="not_found")
    plan = _locked(topic_obj.plan)
    access.plan_access_for_action(actor=actor, plan=plan, action="edit")
    if not plan.editable:
        raise ResearchError(_("年度计划已报审或已审定，不能删除课题。"), code="conflict")
    Proposal.objects.filter(topic=topic_obj).update(status=ProposalStatus.SUBMITTED, topic=None)
    audit_record(actor=actor, verb="research.topic_removed", subject=plan, data={"title": topic_obj.title})
    topic_obj.delete()


@transaction.atomic
def plan_submit(*, actor: Actor, plan: ResearchPlan | int) -> ResearchPlan:
    plan = _locked(plan)
    access.plan_access_for_action(actor=actor, plan=plan, action="submit")
    if not plan.editable:
        raise ResearchError(_("年度计划已经报审。"), code="conflict")
    if not plan.topics.exists():
        raise ResearchError(_("年度计划还没有课题。"), code="invalid")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    audit_record(
        actor=actor, verb="research.plan_submitted", subject=plan, data={"topics": plan.topics.count()}
    )
    from office.notifications.services import notify
    from office.org.models import Role
    from office.org.selectors import users_with_role

    notify(
        recipients=users_with_role(Role.DIRECTOR),
        subject=plan,
        step=f"submitted:{plan.submitted_at.isoformat()}",
        title=_("%(year)s 年度调研计划已报请审定") % {"year": plan.year},
        url=plan.get_absolute_url(),
    )
    return plan


@transaction.atomic
def plan_approve(*, actor: Actor, plan: ResearchPlan | int) -> ResearchPlan:
    plan = _locked(plan)
    access.plan_access_for_action(actor=actor, plan=plan, action="decide")
    if plan.status != PlanStatus.SUBMITTED:
        raise ResearchError(_("只有待审定的计划可以审定。"), code="conflict")
    plan.status = PlanStatus.APPROVED
    plan.decided_by = acting_user(actor)
    plan.decided_at = timezone.now()
    plan.return_reason = ""
    plan.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    topics = list(plan.topics.filter(status=TopicStatus.PLANNED))
    for topic in topics:
        topic.status = TopicStatus.IN_PROGRESS
        topic.save(update_fields=["status"])
        for milestone in topic.milestones.filter(done_at__isnull=True):
            milestone_ladder_start(milestone=milestone, actor=actor)
    audit_record(actor=actor, verb="research.plan_approved", subject=plan, data={"topics": len(topics)})
    return plan


@transaction.atomic
def plan_return(*, actor: Actor, plan: ResearchPlan | int, reason: str) -> ResearchPlan:
    plan = _locked(plan)
    access.plan_access_for_action(actor=actor, plan=plan, action="decide")
    if plan.status != PlanStatus.SUBMITTED:
        raise ResearchError(_("只有待审定的计划可以退回。"), code="conflict")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise invalid("reason", _("请写明退回理由。"))
    plan.status = PlanStatus.RETURNED
    plan.decided_by = acting_user(actor)
    plan.decided_at = timezone.now()
    plan.return_reason = reason
    plan.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    audit_record(actor=actor, verb="research.plan_returned", subject=plan, data={"reason": reason})
    from office.notifications.services import notify

    if plan.created_by_id:
        notify(
            recipients=[plan.created_by],
            subject=plan,
            step=f"returned:{plan.decided_at.isoformat()}",
            title=_("%(year)s 年度调研计划被退回：%(reason)s") % {"year": plan.year, "reason": reason[:60]},
            url=plan.get_absolute_url(),
            level="warning",
        )
    return plan
