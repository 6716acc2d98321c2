"""政研's reads, each scoped by who asks (research/access.py); the statistics computed in the database
with a constant number of queries whatever the year holds."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from office.errors import not_found
from office.files.registry import ProtectedFile
from office.org.models import Unit
from office.org.types import Actor

from . import access
from .models import (
    Adoption,
    AdoptionKind,
    CallStatus,
    FieldRecord,
    FieldRecordAttachment,
    PlanStatus,
    Proposal,
    ResearchOutput,
    ResearchPlan,
    Topic,
    TopicCall,
    TopicMilestone,
    TopicStatus,
)

# --- calls and proposals ---------------------------------------------------------------------------


def call_list_for_user(*, user: Actor, open_only: bool = False) -> QuerySet[TopicCall]:
    qs = TopicCall.objects.all()
    if open_only:
        qs = qs.filter(status=CallStatus.OPEN)
    return access.call_scope(actor=user, qs=qs).order_by("-year")


def call_get_for_user(*, user: Actor, id) -> TopicCall:
    try:
        pk = int(id)
    except (TypeError, ValueError):
        raise not_found() from None
    call = call_list_for_user(user=user).filter(pk=pk).first()
    return access.call_access_for_action(actor=user, call=call, action="view")


def proposal_list_for_user(*, user: Actor, call: TopicCall | None = None) -> QuerySet[Proposal]:
    qs = Proposal.objects.select_related("unit", "call", "proposed_by__staff", "topic")
    if call is not None:
        qs = qs.filter(call=call)
    return access.proposal_scope(actor=user, qs=qs).order_by("-submitted_at", "-id")


# --- plans --------------------------------------------------------------------------------------------


def plan_list_for_user(*, user: Actor) -> QuerySet[ResearchPlan]:
    if not access.is_office_staff(user) and user is not None:
        return ResearchPlan.objects.none()
    qs = ResearchPlan.objects.all()
    if user is not None and not access.is_manager(user):
        qs = qs.filter(status=PlanStatus.APPROVED)
    return qs.order_by("-year")


def plan_get_for_user(*, user: Actor, year) -> ResearchPlan:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise not_found() from None
    plan = ResearchPlan.objects.filter(year=year).first()
    return access.plan_access_for_action(actor=user, plan=plan, action="view")


def plan_topics(plan: ResearchPlan) -> QuerySet[Topic]:
    """Every topic of the plan (the plan is the office's once approved: titles, kinds, leads)."""
    return (
        plan.topics.select_related("lead__staff", "commissioned_by__staff")
        .prefetch_related("team__staff", "proposals__unit")
        .order_by("kind", "id")
    )


def open_proposals(*, year: int) -> QuerySet[Proposal]:
    """Proposals of the year's call not yet placed in the plan or declined."""
    return (
        Proposal.objects.filter(call__year=year, status="submitted")
        .select_related("unit", "proposed_by__staff")
        .order_by("id")
    )


# --- topics -------------------------------------------------------------------------------------------


def topic_list_for_user(
    *, user: Actor, year: int | None = None, status: str = "", kind: str = "", mine: bool = False
) -> QuerySet[Topic]:
    qs = Topic.objects.select_related("lead__staff", "plan").annotate(
        late_milestones=Count(
            "milestones", filter=Q(milestones__done_at__isnull=True, milestones__due_at__lt=timezone.now())
        )
    )
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if mine and user is not None:
        qs = qs.filter(pk__in=Topic.objects.filter(Q(lead=user) | Q(team=user)).values("pk"))
    return access.topic_scope(actor=user, qs=qs).order_by("-year", "kind", "id")


def topic_get_for_user(*, user: Actor, id) -> Topic:
    try:
        pk = int(id)
    except (TypeError, ValueError):
        raise not_found() from None
    topic = (
        Topic.objects.select_related("lead__staff", "commissioned_by__staff", "plan")
        .prefetch_related("team__staff")
        .filter(pk=pk)
        .first()
    )
    return access.topic_access_for_action(actor=user, topic=topic, action="view")


def topic_chain(topic: Topic) -> dict:
    """What the topic page shows: milestones, records with attachments, outputs with their documents
    and adoptions (topic → output → adoptions)."""
    adoptions = Adoption.objects.select_related(
        "leader__staff", "document", "supervision_item", "target_type"
    ).order_by("date", "id")
    outputs = list(
        topic.outputs.select_related("document", "reviewer__staff", "created_by__staff")
        .prefetch_related(Prefetch("adoptions", queryset=adoptions))
        .order_by("id")
    )
    records = list(
        topic.records.select_related("created_by__staff")
        .prefetch_related("attachments")
        .order_by("-date", "-id")
    )
    return {
        "milestones": list(topic.milestones.order_by("order")),
        "records": records,
        "outputs": outputs,
    }


def record_attachment_file(*, actor: Actor, pk) -> ProtectedFile:
    att = FieldRecordAttachment.objects.select_related("record__topic").filter(pk=pk).first()
    if att is None:
        raise not_found()
    try:
        access.topic_access_for_action(actor=actor, topic=att.record.topic, action="view")
    except Exception:
        raise not_found() from None
    return ProtectedFile(file=att.file, name=att.name, subject=att.record.topic)


def staff_choices() -> QuerySet:
    """Active people of the office and the departments who may be put on a team."""
    return (
        get_user_model()
        .objects.filter(is_active=True, staff__is_active=True)
        .select_related("staff__unit")
        .order_by("staff__unit__sort_order", "pk")
    )


# --- statistics ---------------------------------------------------------------------------------------


def _topic_counts(prefix: str) -> dict:
    """Annotations over the topics reached by ``prefix`` (a relation path to Topic): distinct counts, so
    an output with two instructions is one adopted output and two instructions."""
    p = f"{prefix}__" if prefix else ""
    return {
        "topics": Count(f"{p}pk" if not prefix else prefix, distinct=True),
        "done": Count(prefix or "pk", filter=Q(**{f"{p}status": TopicStatus.DONE}), distinct=True),
        "done_on_time": Count(prefix or "pk", filter=Q(**{f"{p}done_on_time": True}), distinct=True),
        "outputs": Count(f"{p}outputs", distinct=True),
        "adopted_outputs": Count(
            f"{p}outputs", filter=Q(**{f"{p}outputs__adoptions__isnull": False}), distinct=True
        ),
        "adoptions": Count(f"{p}outputs__adoptions", distinct=True),
        "instructions": Count(
            f"{p}outputs__adoptions",
            filter=Q(**{f"{p}outputs__adoptions__kind": AdoptionKind.INSTRUCTION}),
            distinct=True,
        ),
    }


def statistics(*, user: Actor, year: int) -> dict:
    """The year's totals, per lead researcher and per proposing unit: topics, done on time, outputs,
    adopted outputs, adoptions and instructions. Three queries, whatever the year holds."""
    if not access.can_see_stats(user):
        raise not_found()
    # aggregated under other names: an alias "outputs" would shadow the relation the filters follow
    raw = Topic.objects.filter(year=year).aggregate(**{f"n_{k}": v for k, v in _topic_counts("").items()})
    totals = {k.removeprefix("n_"): v for k, v in raw.items()}
    by_researcher = list(
        get_user_model()
        .objects.filter(research_topics_led__year=year)
        .annotate(**_topic_counts("research_topics_led"))
        .values("pk", "staff__name", "username", *_topic_counts("").keys())
        .order_by("-adopted_outputs", "-instructions", "staff__name", "pk")
    )
    by_unit = list(
        Unit.objects.filter(research_proposals__call__year=year)
        .annotate(
            proposals=Count("research_proposals", distinct=True),
            placed=Count(
                "research_proposals", filter=Q(research_proposals__topic__isnull=False), distinct=True
            ),
            **_topic_counts("research_proposals__topic"),
        )
        .values("pk", "name", "proposals", "placed", *_topic_counts("").keys())
        .order_by("-placed", "-proposals", "pk")
    )
    return {"year": year, "totals": totals, "by_researcher": by_researcher, "by_unit": by_unit}


# --- dashboard ----------------------------------------------------------------------------------------


def topics_behind_plan(*, user: Actor) -> QuerySet[Topic]:
    """Topics in progress with a milestone past its due time and not done."""
    late = TopicMilestone.objects.filter(done_at__isnull=True, due_at__lt=timezone.now()).values("topic_id")
    return topic_list_for_user(user=user, status=TopicStatus.IN_PROGRESS).filter(pk__in=late)


def my_open_milestones(*, user: Actor, within_days: int = 30) -> QuerySet[TopicMilestone]:
    """The open milestones of topics in progress that this person leads, due within the window or late."""
    horizon = timezone.now() + timedelta(days=within_days)
    person = access._user(user)
    if person is None:
        return TopicMilestone.objects.none()
    return (
        TopicMilestone.objects.filter(
            topic__lead=person,
            topic__status=TopicStatus.IN_PROGRESS,
            done_at__isnull=True,
            due_at__lte=horizon,
        )
        .select_related("topic")
        .order_by("due_at")
    )


def field_records_count(topic: Topic) -> int:
    return FieldRecord.objects.filter(topic=topic).count()


def outputs_for_topic(topic: Topic) -> QuerySet[ResearchOutput]:
    return topic.outputs.order_by("id")
