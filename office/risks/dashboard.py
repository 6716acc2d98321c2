"""What the post risk review contributes to the director's dashboard (the 高 risks and the risks whose
controls failed this quarter) and to "my work" (one's reviews waiting; a chief's approvals), through
office.dashboard.registry. A constant number of queries whatever the register's size."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.dashboard.registry import WorkItem, register_my_work, register_panel, rows_and_count

from . import access, selectors
from .models import OPEN_REVIEW_STATUSES, Level


@register_panel(
    "risks",
    title=gettext_lazy("岗位风险"),
    template="risks/_dashboard_panel.html",
    order=70,
    reads=("risks",),
)
def risks_panel(actor, now) -> dict | None:
    if not access.is_leader(actor):
        return None
    failed = selectors.failed_this_quarter(actor=actor, now=now)
    high, high_count = rows_and_count(selectors.risk_list(actor=actor, level=Level.HIGH), 5)
    return {
        "high": high,
        "high_count": high_count,
        "failed_count": failed.count(),
        "high_url": reverse("risks:register") + "?level=high",
        "failed_url": reverse("risks:failed"),
    }


@register_my_work("risks", reads=("risks",))
def risks_work(actor, now) -> list[WorkItem]:
    if not access.is_office_staff(actor):
        return []
    items = [
        WorkItem(
            app="risks",
            kind=_("风险自查"),
            title=f"{r.risk.post.name}：{r.risk.title}",
            url=reverse("risks:review", kwargs={"pk": r.pk}),
            due_at=r.campaign.deadline,
            overdue=r.campaign.deadline < now if now else False,
        )
        for r in selectors.my_reviews(actor=actor).filter(status__in=OPEN_REVIEW_STATUSES)
    ]
    if access.can_approve(actor):
        items += [
            WorkItem(
                app="risks",
                kind=_("自查审核"),
                title=f"{r.risk.post.name}：{r.risk.title}",
                url=reverse("risks:review", kwargs={"pk": r.pk}),
                due_at=r.campaign.deadline,
                detail=r.reviewer.staff.name if r.reviewer_id and hasattr(r.reviewer, "staff") else "",
            )
            for r in selectors.approvals(actor=actor)
        ]
    return items
