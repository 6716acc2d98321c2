"""What 政研 contributes to the director's dashboard (topics behind plan) and to "my work" (the
milestones of the topics one leads), through office.dashboard.registry."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.dashboard.registry import WorkItem, register_my_work, register_panel, rows_and_count

from . import access, selectors


@register_panel(
    "research",
    title=gettext_lazy("政研课题"),
    template="research/_dashboard_panel.html",
    order=60,
    reads=("research",),
)
def research_panel(actor, now) -> dict | None:
    if not access.is_manager(actor):
        return None
    behind, behind_count = rows_and_count(selectors.topics_behind_plan(user=actor), 5)
    return {
        "behind": behind,
        "behind_count": behind_count,
        "list_url": reverse("research:topics") + "?behind=1",
    }


@register_my_work("research", reads=("research",))
def research_work(actor, now) -> list[WorkItem]:
    if not access.is_office_staff(actor):
        return []
    now = now or timezone.now()
    return [
        WorkItem(
            app="research",
            kind=_("课题节点"),
            title=f"{m.topic.title} · {m.get_kind_display()}",
            url=reverse("research:topic", kwargs={"pk": m.topic_id}),
            due_at=m.due_at,
            overdue=m.due_at < now,
        )
        for m in selectors.my_open_milestones(user=actor)
    ]
