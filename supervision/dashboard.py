"""What supervision contributes to the director's dashboard and to everyone's "my work" list, built
from supervision's own selectors (scoped by ``supervision.access``). Registered by apps.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.dashboard.registry import (
    WorkItem,
    register_briefing,
    register_due_soon,
    register_my_work,
    register_panel,
    rows_and_count,
    shared,
)

from . import access, selectors
from .models import ACTIVE_STATUSES, Light, StepKind, SupervisionItem


def _list(**params) -> str:
    return reverse("supervision:list") + ("?" + urlencode(params) if params else "")


def _detail(item) -> str:
    return reverse("supervision:detail", kwargs={"pk": item.pk})


def _person(user) -> str:
    staff = getattr(user, "staff", None) if user else None
    return staff.name if staff else (user.get_username() if user else "")


def _unit_ranking(actor) -> list[dict]:
    """The stats page's ranking (top 10). It reads every item ever issued and moves slowly: the office
    staff (who all see every item) share one copy for ``DASHBOARD_RANKING_CACHE_SECONDS``."""
    from django.core.cache import cache

    from office.dashboard import conf

    seconds = conf.ranking_cache_seconds()
    if seconds <= 0:
        return selectors.unit_stats_for_user(user=actor)[:10]
    ranking = cache.get_or_set(
        "dashboard:supervision:unit-ranking", lambda: selectors.unit_stats_for_user(user=actor)[:10], seconds
    )
    return list(ranking or [])


def _counts(actor, now) -> dict:
    """The lights, rungs and internal assignments in one aggregate, shared by the two panels."""
    return shared(
        ("supervision.counts", getattr(actor, "pk", None), now),
        lambda: selectors.dashboard_counts(user=actor, now=now),
    )


# What the panel's short lists and the "this week" strip show of an item.
_ROW_FIELDS = (
    "id",
    "number",
    "title",
    "due_at",
    "lead_unit__name",
    "lead_unit__short_name",
    "assignee__username",
    "assignee__staff__name",
)


def _rows(actor, condition: Q):
    """Items for a short list, scoped as the list page scopes them (``access.item_scope``), soonest due
    first. Not through ``item_list_for_user``: these rows show no light, and compiling the list's light
    annotation (three conditions, each with its own subquery) cost more than reading the rows; only the
    fields a row shows are read."""
    qs = access.item_scope(actor=actor, qs=SupervisionItem.objects.filter(condition))
    return qs.select_related("lead_unit", "assignee__staff").only(*_ROW_FIELDS).order_by("due_at", "id")


def _who(item) -> str:
    if item.lead_unit is not None:
        return item.lead_unit.short_name or item.lead_unit.name
    return _person(item.assignee)


# circulars of criticism are documents: the documents app's writes change the panel too
SUPERVISION_READS = ("supervision", "documents")


@register_panel(
    "supervision",
    title=_("督查督办"),
    template="dashboard/panels/supervision.html",
    order=10,
    reads=SUPERVISION_READS,
)
def supervision_panel(actor, now):
    if not access.is_office_staff(actor):
        return None
    counts = _counts(actor, now)
    today = timezone.localtime(now).date()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    # The calendar week, as the list's active=1&due_from=&due_to= counts it (local dates).
    due_qs = _rows(
        actor,
        Q(status__in=ACTIVE_STATUSES)
        & Q(due_at__gte=timezone.make_aware(dt.datetime.combine(today, dt.time.min)))
        & Q(due_at__lte=timezone.make_aware(dt.datetime.combine(week_end, dt.time.max))),
    )
    lights = [
        {"code": Light.RED, "label": _("红灯"), "n": counts["red"], "url": _list(light=Light.RED)},
        {"code": Light.YELLOW, "label": _("黄灯"), "n": counts["yellow"], "url": _list(light=Light.YELLOW)},
        {"code": Light.GREEN, "label": _("绿灯"), "n": counts["green"], "url": _list(light=Light.GREEN)},
    ]
    rungs = [
        {
            "level": level,
            "label": label,
            "n": counts[f"rung{level}"],
            "url": _list(escalation=level, active=1),
        }
        for level, label in (
            (1, StepKind.COMMUNICATION.label),
            (2, StepKind.NOTICE.label),
            (3, StepKind.CIRCULAR.label),
        )
    ]
    chart = selectors.weekly_opened_closed(user=actor, now=now)
    due_week, due_week_count = rows_and_count(due_qs, 10)
    return {
        "active": counts["active"],
        "active_url": _list(active=1),
        "lights": lights,
        "rungs": rungs,
        "overdue": [
            {"item": i, "url": _detail(i), "days": max(0, (now - i.due_at).days), "who": _who(i)}
            for i in _rows(actor, selectors.light_q(Light.RED, now))[:10]  # the longest overdue
        ],
        "overdue_url": _list(light=Light.RED),
        "units": _unit_ranking(actor),
        "stats_url": reverse("supervision:stats"),
        "due_week": [{"item": i, "url": _detail(i)} for i in due_week],
        "due_week_count": due_week_count,
        "due_week_url": _list(active=1, due_from=today.isoformat(), due_to=week_end.isoformat()),
        "week_end": week_end,
        "chart": chart,
    }


@register_panel(
    "assignments",
    title=_("主任交办事项"),
    template="dashboard/panels/assignments.html",
    order=15,
    reads=SUPERVISION_READS,
)
def assignments_panel(actor, now):
    """The speech's work items: each with its lead deputy (the assignee), due date and state; a deputy's
    own come first and put the panel first on his dashboard."""
    if not access.is_office_staff(actor):
        return None
    counts = _counts(actor, now)
    items = selectors.internal_assignments(user=actor, now=now)
    mine = [i for i in items if i.assignee_id == actor.pk]
    rows = [
        {"item": i, "url": _detail(i), "lead": _person(i.assignee), "mine": i.assignee_id == actor.pk}
        for i in (mine + [i for i in items if i.assignee_id != actor.pk])
    ]
    return {
        "rows": rows,
        "active": counts["internal"],
        "active_url": _list(source="internal", active=1),
        "mine_first": bool(mine),
    }


@register_my_work("supervision", reads=SUPERVISION_READS)
def supervision_work(actor, now) -> list[WorkItem]:
    items: list[WorkItem] = []
    unit_work = selectors.work_for_unit(user=actor)
    for a in unit_work["acknowledge"]:
        items.append(
            WorkItem(
                "supervision",
                str(_("签收")),
                f"{a.item.number} {a.item.title}",
                _detail(a.item),
                a.ack_due_at,
            )
        )
    for i in unit_work["feedback"]:
        due = i.next_milestone_due or i.due_at
        kind = _("反馈") if i.next_milestone_due else _("报结果")
        items.append(WorkItem("supervision", str(kind), f"{i.number} {i.title}", _detail(i), due))
    work = selectors.work_for_person(user=actor)
    for i in work["assigned"]:
        due = i.next_milestone_due or i.due_at
        kind = _("反馈") if i.next_milestone_due else _("报结果")
        items.append(WorkItem("supervision", str(kind), f"{i.number} {i.title}", _detail(i), due))
    for fb in work["review"]:
        items.append(
            WorkItem(
                "supervision",
                str(_("审核")),
                f"{fb.item.number} {fb.item.title}",
                _detail(fb.item),
                None,
                detail=f"{fb.get_kind_display()} · {fb.unit.name if fb.unit else fb.submitted_by_label}",
            )
        )
    for ext in work["extensions"]:
        items.append(
            WorkItem(
                "supervision",
                str(_("审批延期")),
                f"{ext.item.number} {ext.item.title}",
                _detail(ext.item),
                ext.old_due_at,
                detail=ext.unit.name if ext.unit else ext.requested_by_label,
            )
        )
    for step in work["communications"]:
        items.append(
            WorkItem(
                "supervision",
                str(_("沟通记录")),
                f"{step.item.number} {step.item.title}",
                _detail(step.item),
                step.task_due_at,
            )
        )
    return items


@register_due_soon("supervision", reads=SUPERVISION_READS)
def supervision_due_soon(actor, now, until) -> list[WorkItem]:
    if not access.is_office_staff(actor):
        return []
    return [
        WorkItem(
            "supervision",
            str(_("办结时限")),
            f"{i.number} {i.title}",
            _detail(i),
            i.due_at,
            detail=i.lead_unit.name if i.lead_unit else _person(i.assignee),
        )
        for i in _rows(actor, Q(status__in=ACTIVE_STATUSES, due_at__gte=now, due_at__lte=until))[:20]
    ]


@register_briefing("supervision", order=10)
def supervision_briefing(actor, start, end, ahead_end) -> dict | None:
    if actor is not None and not access.is_office_staff(actor):
        return None
    n = selectors.briefing_numbers(user=actor, start=start, end=end)
    steps = n["steps"]
    last = [
        str(
            _(
                "新交办督办事项%(issued)s件，办结%(closed)s件（其中按期办结%(on_time)s件）；"
                "截至周末逾期未办结%(overdue)s件。"
            )
            % {
                "issued": n["issued"],
                "closed": n["closed"],
                "on_time": n["closed_on_time"],
                "overdue": n["overdue"],
            }
        ),
        str(
            _("督办升级：沟通%(c)s次，发督办通知%(n)s份，通报批评%(x)s份。")
            % {"c": steps[StepKind.COMMUNICATION], "n": steps[StepKind.NOTICE], "x": steps[StepKind.CIRCULAR]}
        ),
    ]
    due = selectors.items_due_qs(user=actor, start=end, end=ahead_end, now=end)
    total = due.count()
    ahead = [
        str(
            _("%(number)s %(title)s（%(who)s），%(date)s到期。")
            % {
                "number": i.number,
                "title": i.title,
                "who": i.lead_unit.name if i.lead_unit else _person(i.assignee),
                "date": timezone.localtime(i.due_at).strftime("%m月%d日"),
            }
        )
        for i in due[:8]
    ]
    if total > len(ahead):
        ahead.append(str(_("另有%(n)s件，详见督办台账。") % {"n": total - len(ahead)}))
    return {
        "title": str(_("督查督办")),
        "last_week": last,
        "week_ahead": ahead or [str(_("本周无到期督办事项。"))],
    }
