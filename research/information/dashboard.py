"""What 信息报送 contributes to the director's dashboard (this month's adoptions and scores by unit) and
to "my work" (the reports waiting on this person), through office.dashboard.registry. Constant queries."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.dashboard.registry import WorkItem, register_my_work, register_panel

from . import access, selectors
from .models import InfoReport, InfoStatus


@register_panel(
    "information",
    title=gettext_lazy("信息报送"),
    template="information/_dashboard_panel.html",
    order=65,
    reads=("information",),
)
def information_panel(actor, now) -> dict | None:
    if not access.is_approver(actor):
        return None
    period = selectors.month_period(timezone.localdate(now) if now else None)
    rows = selectors.ranking(period=period)
    return {
        "period": period,
        "rows": rows[:5],
        "adopted": sum(r.adopted for r in rows),
        "submitted": sum(r.submitted for r in rows),
        "late": sum(r.late for r in rows),
        "ranking_url": reverse("information:ranking")
        + f"?period=month&year={period.year}&number={period.number}",
    }


def _waiting_q(actor) -> Q | None:
    q = Q(pk__in=[])
    any_ = False
    if access.is_editor(actor):
        q |= Q(status__in=[InfoStatus.SUBMITTED, InfoStatus.RECEIVED, InfoStatus.APPROVED])
        any_ = True
    if access.is_approver(actor):
        q |= Q(status=InfoStatus.PENDING_APPROVAL)
        any_ = True
    pk = getattr(actor, "pk", None)
    if pk is not None and access.actor_unit(actor) is not None:
        q |= Q(status=InfoStatus.PENDING_SIGN, unit__head_id=pk)
        any_ = True
    return q if any_ else None


DUE_FIELD = {
    InfoStatus.PENDING_SIGN: "submit_due_at",
    InfoStatus.SUBMITTED: "edit_due_at",
    InfoStatus.RECEIVED: "edit_due_at",
    InfoStatus.PENDING_APPROVAL: "approve_due_at",
    InfoStatus.APPROVED: "send_due_at",
}
KIND = {
    InfoStatus.PENDING_SIGN: gettext_lazy("签发"),
    InfoStatus.SUBMITTED: gettext_lazy("接收"),
    InfoStatus.RECEIVED: gettext_lazy("编辑"),
    InfoStatus.PENDING_APPROVAL: gettext_lazy("审批"),
    InfoStatus.APPROVED: gettext_lazy("报送"),
}


@register_my_work("information", reads=("information",))
def information_work(actor, now) -> list[WorkItem]:
    q = _waiting_q(actor)
    if q is None:
        return []
    now = now or timezone.now()
    qs = access.report_scope(actor=actor, qs=InfoReport.objects.select_related("unit")).filter(q)
    items = []
    for r in qs.order_by("pk")[:50]:
        due = getattr(r, DUE_FIELD[InfoStatus(r.status)])
        items.append(
            WorkItem(
                app="information",
                kind=str(KIND[InfoStatus(r.status)]),
                title=r.title,
                url=reverse("information:detail", kwargs={"pk": r.pk}),
                due_at=due,
                overdue=bool(due and due < now),
                urgent=r.info_type == "urgent",
                detail=_("%(unit)s · %(type)s")
                % {"unit": r.unit.short_name or r.unit.name, "type": r.get_info_type_display()},
            )
        )
    return items
