"""What the duty room contributes to the director's dashboard and to "my work", from the duty room's
own selectors and access rules. Registered by apps.py."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from office.dashboard.registry import (
    WorkItem,
    register_briefing,
    register_due_soon,
    register_my_work,
    register_panel,
    shared,
    shared_if_read,
)

from . import access, conf
from .models import ReportStatus
from .selectors.board import board_state
from .selectors.logs import handovers_to_acknowledge
from .selectors.reports import report_list_for_user
from .selectors.roster import shift_at
from .selectors.stats import _month_span


def _board(now) -> dict:
    """The board's state for this ``now``: the panel, "my work" and the "this week" strip of one
    dashboard refresh share one reading; another refresh reads again."""
    return shared(("duty.board", now), lambda: board_state(now=now))


def _report_url(report) -> str:
    return reverse("duty:report-detail", kwargs={"pk": report.pk})


@register_panel("duty", title=_("值班值守"), template="dashboard/panels/duty.html", order=20, reads=("duty",))
def duty_panel(actor, now):
    if not access.can_view_duty_room(actor):
        return None
    state = _board(now)
    local = timezone.localtime(now)
    counts = _report_counts(actor, local)
    loud = any(r["worst"] != "ok" for r in state["reports"]) or state["handover_late"]
    return {
        "current": state["current"],
        "next": state["next"],
        "handover": state["handover"],
        "handover_due": state["handover_due"],
        "handover_late": state["handover_late"],
        "reports": state["reports"][:8],
        "lead_seconds": state["lead_seconds"],
        "loud": loud,
        "open_count": counts["open"],
        "open_url": reverse("duty:report-list") + "?" + urlencode({"status": ReportStatus.OPEN}),
        "late_count": counts["late"],
        "late_url": reverse("duty:stats") + "?" + urlencode({"year": local.year, "month": local.month}),
        "gaps": len(state["gaps"]),
        "board_url": reverse("duty:board"),
        "roster_url": reverse("duty:roster-list"),
    }


def _report_counts(actor, local) -> dict:
    """未结 (the report list's ``status=open``) and 本月迟报 (the stats page's late list of the month) in
    one conditional aggregate; the WHERE keeps both halves on their indexes (status, received_at)."""
    start, end = _month_span(local.year, local.month)
    in_month = Q(received_at__range=(start, end))
    late = in_month & (Q(phone_late=True) | Q(written_late=True))
    return (
        report_list_for_user(user=actor)
        .filter(Q(status=ReportStatus.OPEN) | in_month)
        .aggregate(open=Count("id", filter=Q(status=ReportStatus.OPEN)), late=Count("id", filter=late))
    )


@register_my_work("duty", reads=("duty",))
def duty_work(actor, now) -> list[WorkItem]:
    """接班确认 for the incoming officers; on one's own shift: the upward reports owed and the phone
    records waiting, each with its limit; the handover out of the shift before it ends."""
    if not access.can_view_duty_room(actor):
        return []
    items: list[WorkItem] = []
    for h in handovers_to_acknowledge(user=actor).filter(to_shift__ends_at__gt=now)[:10]:
        due = h.to_shift.starts_at + timedelta(minutes=conf.handover_ack_minutes())
        items.append(
            WorkItem(
                "duty",
                str(_("接班确认")),
                str(_("交接班 %(shift)s") % {"shift": h.to_shift}),
                reverse("duty:handover-detail", kwargs={"pk": h.pk}),
                due,
            )
        )
    # In a dashboard refresh the panel has read the board already: its shift, not another read.
    board = shared_if_read(("duty.board", now))
    current = board["current"] if board is not None else shift_at(now)
    if current is None or not access.is_on_shift(actor, current):
        return items
    state = _board(now)
    items += _limit_items(state)
    for p in state["phones"]:
        items.append(
            WorkItem(
                "duty", str(_("电话记录")), p.caller_unit or str(p), reverse("duty:phone-list"), p.due_at
            )
        )
    if state["next"] is not None and state["outgoing"] is None:
        items.append(
            WorkItem(
                "duty",
                str(_("交班")),
                str(_("填写交班记录 %(shift)s") % {"shift": current}),
                reverse("duty:shift-detail", kwargs={"pk": current.pk}),
                current.ends_at,
            )
        )
    return items


def _limit_items(state) -> list[WorkItem]:
    items = []
    for row in state["reports"]:
        for lim in row["limits"]:
            if lim["state"] not in ("running", "warning", "overdue"):
                continue
            items.append(
                WorkItem(
                    "duty",
                    str(lim["label"]),
                    row["report"].title,
                    _report_url(row["report"]),
                    lim["due_at"],
                    urgent=lim["state"] != "running",
                    detail=row["report"].source_unit.name if row["report"].source_unit else "",
                )
            )
    return items


@register_due_soon("duty", reads=("duty",))
def duty_due_soon(actor, now, until) -> list[WorkItem]:
    """The leaders' "this week" strip: every upward report still owed, with its limit."""
    if not access.can_view_duty_room(actor):
        return []
    return [i for i in _limit_items(_board(now)) if i.due_at <= until]


@register_briefing("duty", order=20)
def duty_briefing(actor, start, end, ahead_end) -> dict | None:
    from .models import Handover
    from .selectors.roster import roster_gaps

    if actor is not None and not access.can_view_duty_room(actor):
        return None
    reports = report_list_for_user(user=actor).filter(received_at__gte=start, received_at__lt=end)
    agg = reports.aggregate(
        n=Count("id"),
        late=Count("id", filter=Q(phone_late=True) | Q(written_late=True)),
        open=Count("id", filter=Q(status=ReportStatus.OPEN)),
    )
    late_handovers = Handover.objects.filter(
        to_shift__starts_at__gte=start, to_shift__starts_at__lt=end, acknowledged_late=True
    ).count()
    last = [
        str(
            _("接报紧急信息%(n)s起，其中迟报%(late)s起，仍在续报%(open)s起；交接班确认超时%(h)s次。")
            % {"n": agg["n"], "late": agg["late"], "open": agg["open"], "h": late_handovers}
        )
    ]
    for r in reports.filter(Q(phone_late=True) | Q(written_late=True)).order_by("received_at")[:5]:
        last.append(
            str(
                _("迟报：%(title)s（%(when)s）")
                % {"title": r.title, "when": timezone.localtime(r.received_at).strftime("%m月%d日 %H:%M")}
            )
        )
    days = max(1, (ahead_end - end).days)
    gaps = roster_gaps(start=end, days=days)
    ahead = (
        [str(_("未来一周值班表有%(n)s处空缺，请排班。") % {"n": len(gaps)})]
        if gaps
        else [str(_("未来一周值班已排满。"))]
    )
    return {"title": str(_("值班值守")), "last_week": last, "week_ahead": ahead}
