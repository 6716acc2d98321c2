"""Every read of supervision, scoped by who asks. Office staff see every item; an external unit (its
users or its API key) sees only the items its unit is on, never drafts. The traffic light is an SQL
expression over columns of the item, so lists and filters never compute it row by row in Python."""

import datetime as dt

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.errors import not_found
from office.files.registry import ProtectedFile
from office.org.selectors import unit_of_user
from office.org.types import Actor

from . import access, conf
from .access import is_office_staff, item_scope
from .models import (
    ACTIVE_STATUSES,
    ExtensionRequest,
    ExtensionStatus,
    Feedback,
    ItemUnit,
    LadderStep,
    Light,
    Milestone,
    SiteVisit,
    SiteVisitPhoto,
    Status,
    StepKind,
    SupervisionItem,
    UnitRole,
)

# The resolution the ladder writes on a rung superseded by a further miss (services/ladder.py).
LADDER_MISSED = "升级"


def light_q(light: str, now=None) -> Q:
    """The condition of one light, as a filter (indexable columns only)."""
    now = now or timezone.now()
    soon = now + dt.timedelta(days=conf.yellow_days())
    active = Q(status__in=ACTIVE_STATUSES)
    # Red is overdue: the final date passed, a milestone of the plan passed unreported, or the item stands
    # at 通报批评 without having caught up (its rung open, or its rung's own deadline passed as well).
    circular_standing = Exists(
        LadderStep.objects.filter(item=OuterRef("pk"), level__gte=3).filter(
            Q(resolved_at__isnull=True) | Q(resolution=LADDER_MISSED)
        )
    )
    red = (
        Q(due_at__lt=now)
        | Q(next_milestone_due__lt=now)
        | (Q(escalation_level__gte=3) & Q(circular_standing))
    )
    yellow = Q(due_at__lte=soon) | Q(next_milestone_due__lte=soon)
    if light == Light.RED:
        return active & red
    if light == Light.YELLOW:
        return active & ~red & yellow
    if light == Light.GREEN:
        return active & ~red & ~yellow & Q(due_at__isnull=False)
    return ~active


def light_expression(now=None) -> Case:
    now = now or timezone.now()
    return Case(
        When(light_q(Light.RED, now), then=Value(Light.RED)),
        When(light_q(Light.YELLOW, now), then=Value(Light.YELLOW)),
        When(light_q(Light.GREEN, now), then=Value(Light.GREEN)),
        default=Value(Light.NONE),
        output_field=CharField(),
    )


def item_list_for_user(
    *,
    user: Actor,
    status: str | None = None,
    light: str | None = None,
    unit=None,
    category: str | None = None,
    leader: str | None = None,
    commissioner=None,
    source: str | None = None,
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    q: str | None = None,
    now=None,
    escalation: int | None = None,
    active: bool = False,
) -> QuerySet[SupervisionItem]:
    """The filtered list, each row annotated with ``light``. Query count does not grow with rows.
    ``escalation`` (the ladder's rung, 1 沟通 / 2 督办通知 / 3 通报批评) and ``active`` (issued and not
    yet closed) are the dashboard's links."""
    now = now or timezone.now()
    qs = item_scope(actor=user, qs=SupervisionItem.objects.all())
    qs = qs.select_related("lead_unit", "assignee__staff").annotate(light=light_expression(now))
    if status:
        qs = qs.filter(status=status)
    if light:
        qs = qs.filter(light_q(light, now))
    if unit:
        qs = qs.filter(Exists(ItemUnit.objects.filter(item=OuterRef("pk"), unit=unit)))
    if category:
        qs = qs.filter(category=category)
    if leader:
        qs = qs.filter(instructing_leader=leader)
    if commissioner:
        qs = qs.filter(commissioners=commissioner)
    if source:
        qs = qs.filter(source=source)
    if due_from:
        qs = qs.filter(due_at__date__gte=due_from)
    if due_to:
        qs = qs.filter(due_at__date__lte=due_to)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(requirement__icontains=q))
    if escalation is not None:
        qs = qs.filter(escalation_level=escalation)
    if active:
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    return qs.order_by("-year", "-seq")


def item_get_for_user(*, user: Actor, id) -> SupervisionItem:
    """One item with everything its page shows; 404 both for missing and not yours."""
    qs = item_scope(actor=user, qs=SupervisionItem.objects.all()).annotate(light=light_expression())
    qs = qs.select_related("lead_unit", "assignee__staff", "created_by__staff").prefetch_related(
        Prefetch("assignments", queryset=ItemUnit.objects.select_related("unit").order_by("role", "id")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_at", "order")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("unit", "milestone")),
        Prefetch("ladder_steps", queryset=LadderStep.objects.select_related("document", "logged_by__staff")),
        Prefetch(
            "visits",
            queryset=SiteVisit.objects.prefetch_related("photos").select_related("created_by__staff"),
        ),
        Prefetch("extensions", queryset=ExtensionRequest.objects.select_related("unit", "decided_by__staff")),
        "commissioners__staff",
    )
    try:
        return qs.get(pk=int(id))
    except (SupervisionItem.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


VERB_LABELS = {
    "supervision.item_created": _("登记"),
    "supervision.item_updated": _("修改"),
    "supervision.milestone_added": _("增加节点"),
    "supervision.item_issued": _("交办"),
    "supervision.item_acknowledged": _("签收"),
    "supervision.progress_submitted": _("报送进展"),
    "supervision.result_submitted": _("报送办理结果"),
    "supervision.feedback_reviewed": _("审核反馈"),
    "supervision.item_closed": _("核实办结"),
    "supervision.item_sent_back": _("退回重办"),
    "supervision.item_cancelled": _("撤销"),
    "supervision.extension_requested": _("申请延期"),
    "supervision.extension_approved": _("批准延期"),
    "supervision.extension_refused": _("不予批准延期"),
    "supervision.site_visit_logged": _("实地督查"),
    "supervision.communication_logged": _("记录沟通情况"),
    "supervision.ladder_communication": _("督办升级：沟通"),
    "supervision.ladder_notice": _("督办升级：发督办通知"),
    "supervision.ladder_circular": _("督办升级：拟通报批评"),
    "supervision.circular_published": _("通报批评已印发"),
    "supervision.notice_published": _("督办通知已签发印发"),
    "supervision.miss_after_circular": _("通报后仍未整改"),
    "supervision.miss_recorded": _("又一时限未按期完成（已在督办中）"),
}


def item_timeline(item) -> list[dict]:
    """Every transition (audit trail), feedback, ladder step, visit and document, newest first."""
    from office.audit.selectors import audit_events_for_subject

    entries = []
    for e in audit_events_for_subject(item):
        entries.append(
            {
                "at": e.created_at,
                "kind": "audit",
                "who": e.actor_display,
                "verb": e.verb,
                "label": VERB_LABELS.get(e.verb, e.verb),
                "data": e.data,
            }
        )
    for fb in item.feedback.all():
        entries.append({"at": fb.submitted_at, "kind": "feedback", "who": fb.submitted_by_label, "obj": fb})
    for step in item.ladder_steps.all():
        entries.append({"at": step.opened_at, "kind": "step", "who": "", "obj": step})
    for v in item.visits.all():
        entries.append({"at": v.visited_at, "kind": "visit", "who": "", "obj": v})
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


def open_communication_tasks_for_user(*, user: Actor) -> QuerySet[LadderStep]:
    qs = LadderStep.objects.filter(
        kind=StepKind.COMMUNICATION, logged_at__isnull=True, resolved_at__isnull=True
    )
    return access.communication_task_scope(actor=user, qs=qs).select_related("item")


def pending_extensions(item) -> QuerySet[ExtensionRequest]:
    return item.extensions.filter(status=ExtensionStatus.PENDING)


def circulars_published(*, user: Actor, limit: int = 10) -> QuerySet[LadderStep]:
    """Published circulars of criticism the caller may read (for the list page and the director's
    dashboard): the documents app's scope decides, so a classified one never shows its title."""
    from documents.selectors import document_list_for_user

    readable = document_list_for_user(user=user).values("pk")
    return (
        LadderStep.objects.filter(kind=StepKind.CIRCULAR, document__status="published", document__in=readable)
        .select_related("item", "document")
        .order_by("-document__published_at")[:limit]
    )


def lead_assignment(item) -> ItemUnit | None:
    return next((a for a in item.assignments.all() if a.role == UnitRole.LEAD), None)


def unit_stats_for_user(*, user: Actor, group_by: str = "unit") -> list[dict]:
    """Per unit (or per category / leader): items, on-time rate, completion rate, notices, circulars,
    average days overdue. One aggregate query; external users get only their own unit's row.

    On-time rate: items closed by their deadline over the items decided (closed, or open past their
    deadline); None when none is decided yet. Completion rate: closed over all items."""
    from django.db.models import Avg, DateTimeField, DurationField, ExpressionWrapper, F

    base = item_scope(
        actor=user, qs=SupervisionItem.objects.exclude(status__in=[Status.DRAFT, Status.CANCELLED])
    )
    rows: QuerySet
    if group_by == "unit":
        rows = ItemUnit.objects.filter(role=UnitRole.LEAD, item__in=base)
        if not is_office_staff(user):  # a unit's own row only, even when it assists on others' items
            rows = rows.filter(unit=unit_of_user(user))
        prefix, keys = "item__", ["unit_id", "unit__name"]
    else:
        rows = base
        prefix, keys = "", ["category"] if group_by == "category" else ["instructing_leader"]
    p = prefix
    closed = Q(**{f"{p}status": Status.CLOSED})
    on_time = closed & Q(**{f"{p}closed_at__lte": F(f"{p}due_at")})
    # "Now" from Python, like the light: one clock for the page and the tests' moved time.
    overdue_end = Case(
        When(closed, then=F(f"{p}closed_at")),
        default=Value(timezone.now(), output_field=DateTimeField()),
        output_field=DateTimeField(),
    )
    overdue = ExpressionWrapper(overdue_end - F(f"{p}due_at"), output_field=DurationField())
    late = Q(**{f"{p}due_at__lt": overdue_end})
    # Decided: closed, or still open past its deadline. An open item not yet due has not been late (yet):
    # it counts in the completion rate, not in the on-time rate.
    decided = closed | Q(**{f"{p}due_at__lt": timezone.now()})
    agg = rows.values(*keys).annotate(
        items=Count(f"{p}id" if p else "id", distinct=True),
        closed=Count(f"{p}id" if p else "id", filter=closed, distinct=True),
        decided=Count(f"{p}id" if p else "id", filter=decided, distinct=True),
        on_time=Count(f"{p}id" if p else "id", filter=on_time, distinct=True),
        notices=Count(
            f"{p}ladder_steps", filter=Q(**{f"{p}ladder_steps__kind": StepKind.NOTICE}), distinct=True
        ),
        circulars=Count(
            f"{p}ladder_steps", filter=Q(**{f"{p}ladder_steps__kind": StepKind.CIRCULAR}), distinct=True
        ),
        avg_overdue=Avg(overdue, filter=late),
    )
    out = []
    for r in agg:
        n = r["items"] or 0
        avg = r["avg_overdue"]
        out.append(
            {
                "key": r.get("unit_id") or r.get("category") or r.get("instructing_leader") or "",
                "label": r.get("unit__name") or r.get("category") or r.get("instructing_leader") or "—",
                "items": n,
                "closed": r["closed"],
                "on_time": r["on_time"],
                "decided": r["decided"],
                # None (shown "—"): nothing closed or past due yet, so no rate to give
                "on_time_rate": round(100 * r["on_time"] / r["decided"], 1) if r["decided"] else None,
                "completion_rate": round(100 * r["closed"] / n, 1) if n else 0.0,
                "notices": r["notices"],
                "circulars": r["circulars"],
                "avg_days_overdue": round(avg.total_seconds() / 86400, 1) if avg else 0.0,
            }
        )
    out.sort(
        key=lambda r: (
            r["on_time_rate"] is None,  # a unit with nothing decided yet ranks after those with a rate
            -(r["on_time_rate"] or 0),
            -r["completion_rate"],
            r["circulars"],
            r["notices"],
            r["avg_days_overdue"],
            str(r["label"]),
        )
    )
    return out


# --- protected files (resolvers of office.files; registered in apps.py) ------------------------


def _original_name(name: str, field_file) -> str:
    import os

    return name or os.path.basename(field_file.name)


def feedback_attachment_file(*, actor: Actor, pk) -> ProtectedFile:
    """A feedback's attachment, for whoever may see its item; NotFound for missing and not yours."""
    fb = Feedback.objects.select_related("item").filter(pk=pk).first()
    if fb is None or not fb.attachment:
        raise not_found()
    access.feedback_file_access(actor=actor, feedback=fb)
    return ProtectedFile(
        file=fb.attachment, name=_original_name(fb.attachment_name, fb.attachment), subject=fb
    )


def visit_photo_file(*, actor: Actor, pk) -> ProtectedFile:
    """A site visit's photo, for whoever may see its item; NotFound for missing and not yours."""
    photo = SiteVisitPhoto.objects.select_related("visit__item").filter(pk=pk).first()
    if photo is None or not photo.file:
        raise not_found()
    access.visit_photo_access(actor=actor, photo=photo)
    return ProtectedFile(file=photo.file, name=_original_name(photo.name, photo.file), subject=photo)


# --- the director's dashboard and "my work" (supervision/dashboard.py) -----------------------------


def dashboard_counts(*, user: Actor, now=None) -> dict:
    """Issued items not yet closed, counted by light and by the ladder's rung, in one query; each count
    is what ``item_list_for_user(light=…)`` or ``(escalation=…, active=True)`` lists."""
    now = now or timezone.now()
    # Every count is of open items: the status index narrows ten years to the few open ones first.
    qs = item_scope(actor=user, qs=SupervisionItem.objects.filter(status__in=ACTIVE_STATUSES))
    active = Q(status__in=ACTIVE_STATUSES)
    agg = qs.aggregate(
        active=Count("id", filter=active),
        red=Count("id", filter=light_q(Light.RED, now)),
        yellow=Count("id", filter=light_q(Light.YELLOW, now)),
        green=Count("id", filter=light_q(Light.GREEN, now)),
        rung1=Count("id", filter=active & Q(escalation_level=1)),
        rung2=Count("id", filter=active & Q(escalation_level=2)),
        rung3=Count("id", filter=active & Q(escalation_level=3)),
        internal=Count("id", filter=active & Q(source="internal")),
    )
    return {k: v or 0 for k, v in agg.items()}


def most_overdue(*, user: Actor, now=None, limit: int = 10) -> list[SupervisionItem]:
    """The red items, longest overdue first."""
    now = now or timezone.now()
    return list(item_list_for_user(user=user, light=Light.RED, now=now).order_by("due_at", "id")[:limit])


def items_due_qs(*, user: Actor, start, end, now=None) -> QuerySet[SupervisionItem]:
    """Issued, not closed, due between ``start`` and ``end`` (soonest first)."""
    qs = item_list_for_user(user=user, active=True, now=now or start)
    return qs.filter(due_at__gte=start, due_at__lte=end).order_by("due_at", "id")


def items_due_between(*, user: Actor, start, end, limit: int = 20) -> list[SupervisionItem]:
    return list(items_due_qs(user=user, start=start, end=end)[:limit])


def internal_assignments(*, user: Actor, now=None, limit: int = 12) -> list[SupervisionItem]:
    """The director's internal assignments (主任交办: an assignee, no lead unit), issued and not yet
    closed or closed, soonest due first."""
    now = now or timezone.now()
    qs = item_list_for_user(user=user, source="internal", now=now).filter(
        lead_unit__isnull=True, assignee__isnull=False
    )
    qs = qs.exclude(status__in=(Status.DRAFT, Status.CANCELLED))
    return list(qs.order_by("closed_at", "due_at", "id")[:limit])


def weekly_opened_closed(*, user: Actor, weeks: int = 12, now=None) -> list[dict]:
    """Items issued and items closed per week (Monday) over the last ``weeks`` weeks: two grouped
    queries whatever the years of data."""
    from django.db.models.functions import TruncWeek

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    base = item_scope(actor=user, qs=SupervisionItem.objects.all())
    opened = dict(
        base.filter(issued_at__gte=start)
        .annotate(w=TruncWeek("issued_at"))
        .order_by()
        .values_list("w")
        .annotate(n=Count("id"))
        .values_list("w", "n")
    )
    closed = dict(
        base.filter(closed_at__gte=start, status=Status.CLOSED)
        .annotate(w=TruncWeek("closed_at"))
        .order_by()
        .values_list("w")
        .annotate(n=Count("id"))
        .values_list("w", "n")
    )

    def by_day(rows: dict) -> dict:
        return {timezone.localtime(k).date() if isinstance(k, dt.datetime) else k: v for k, v in rows.items()}

    opened_d, closed_d = by_day(opened), by_day(closed)
    return [
        {
            "week": first + dt.timedelta(weeks=i),
            "opened": opened_d.get(first + dt.timedelta(weeks=i), 0),
            "closed": closed_d.get(first + dt.timedelta(weeks=i), 0),
        }
        for i in range(weeks)
    ]


def work_for_unit(*, user: Actor, limit: int = 30) -> dict:
    """An external unit's user's own work: items to acknowledge (签收) and items it leads or assists
    on, open, with their next milestone and final due date."""
    unit = unit_of_user(user)
    if unit is None or is_office_staff(user):
        return {"acknowledge": [], "feedback": []}
    ack = list(
        ItemUnit.objects.filter(unit=unit, acknowledged_at__isnull=True, item__status__in=ACTIVE_STATUSES)
        .select_related("item")
        .order_by("ack_due_at", "id")[:limit]
    )
    led = list(
        item_scope(
            actor=user, qs=SupervisionItem.objects.filter(status__in=(Status.ISSUED, Status.IN_PROGRESS))
        )
        .filter(lead_unit=unit)
        .order_by("next_milestone_due", "due_at", "id")[:limit]
    )
    return {"acknowledge": ack, "feedback": led}


def work_for_person(*, user: Actor, limit: int = 30) -> dict:
    """An office person's supervision work: internal assignments to report on, feedback to review and
    extensions to decide on the items they are commissioner of, communication logs owed."""
    pk = getattr(user, "pk", None)
    if pk is None or not is_office_staff(user):
        return {"assigned": [], "review": [], "extensions": [], "communications": []}
    assigned = list(
        SupervisionItem.objects.filter(
            assignee_id=pk, status__in=(Status.ISSUED, Status.IN_PROGRESS)
        ).order_by("next_milestone_due", "due_at", "id")[:limit]
    )
    review = list(
        Feedback.objects.filter(
            item__commissioners__pk=pk, review="pending", item__status__in=ACTIVE_STATUSES
        )
        .select_related("item", "unit")
        .order_by("submitted_at", "id")[:limit]
    )
    extensions = list(
        ExtensionRequest.objects.filter(item__commissioners__pk=pk, status=ExtensionStatus.PENDING)
        .select_related("item", "unit")
        .order_by("requested_at", "id")[:limit]
    )
    communications = list(
        access.communication_task_scope(
            actor=user,
            qs=LadderStep.objects.filter(
                kind=StepKind.COMMUNICATION, logged_at__isnull=True, resolved_at__isnull=True
            ),
        )
        .filter(item__commissioners__pk=pk)
        .select_related("item")
        .order_by("task_due_at", "id")[:limit]
    )
    return {
        "assigned": assigned,
        "review": review,
        "extensions": extensions,
        "communications": communications,
    }


def briefing_numbers(*, user: Actor, start, end) -> dict:
    """The Monday briefing's supervision figures for [start, end): items issued, closed (on time),
    ladder steps taken by kind; and the items overdue at ``end``. Two aggregate queries."""
    base = item_scope(actor=user, qs=SupervisionItem.objects.all())
    agg = base.aggregate(
        issued=Count("id", filter=Q(issued_at__gte=start, issued_at__lt=end)),
        closed=Count("id", filter=Q(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)),
        closed_on_time=Count(
            "id",
            filter=Q(
                status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end, closed_at__lte=F("due_at")
            ),
        ),
        overdue=Count("id", filter=light_q(Light.RED, end)),
    )
    steps = dict(
        LadderStep.objects.filter(item__in=base, opened_at__gte=start, opened_at__lt=end)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return {**{k: v or 0 for k, v in agg.items()}, "steps": {k: steps.get(k, 0) for k in StepKind.values}}
