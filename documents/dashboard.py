"""What the documents app (发文 and 收文) contributes to the director's dashboard, to "my work" and to
待阅, from its own selectors and access rules. Registered by apps.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from office.dashboard.registry import (
    WorkItem,
    register_briefing,
    register_my_work,
    register_panel,
    register_to_read,
    rows_and_count,
    shared,
)

from . import access, selectors
from .incoming import selectors as incoming
from .incoming.models import IncomingStatus

INCOMING_KIND = {
    IncomingStatus.REGISTERED: _("初审"),
    IncomingStatus.CHECKED: _("拟办"),
    IncomingStatus.PROPOSED: _("批示"),
    IncomingStatus.INSTRUCTED: _("交办"),
    IncomingStatus.ASSIGNED: _("办复"),
    IncomingStatus.REPLIED: _("办结"),
}


def _doc_url(document) -> str:
    return reverse("documents:detail", kwargs={"pk": document.pk})


def _todo_url() -> str:
    return reverse("documents:home") + "?" + urlencode({"tab": "todo"})


def _pending(actor) -> tuple[list, int]:
    """The steps waiting on ``actor`` (the first 30) and their number: one read for the panel and for
    "my work" in one refresh."""
    return shared(
        ("documents.pending", getattr(actor, "pk", None)),
        lambda: rows_and_count(selectors.my_pending_steps(user=actor), 30),
    )


@register_panel(
    "documents",
    title=_("公文运转"),
    template="dashboard/panels/documents.html",
    order=30,
    reads=("documents",),
)
def documents_panel(actor, now):
    if not access.can_list(actor) or not access.is_office_staff(actor):
        return None
    mine, mine_count = _pending(actor)
    late, late_count = rows_and_count(selectors.steps_past_limit(user=actor, now=now), 6)
    proposed, proposed_count = rows_and_count(
        incoming.incoming_list_for_user(user=actor, status=IncomingStatus.PROPOSED), 6
    )
    return {
        "mine_count": mine_count,
        "mine": [{"step": s, "url": _doc_url(s.document)} for s in mine[:6]],
        "mine_url": _todo_url(),
        "late_count": late_count,
        "late": [{"step": s, "url": _doc_url(s.document)} for s in late],
        "proposed_count": proposed_count,
        "proposed": [{"doc": d, "url": d.get_absolute_url()} for d in proposed],
        "proposed_url": reverse("documents:incoming-list")
        + "?"
        + urlencode({"status": IncomingStatus.PROPOSED}),
    }


@register_my_work("documents", reads=("documents",))
def documents_work(actor, now) -> list[WorkItem]:
    items: list[WorkItem] = []
    for step in _pending(actor)[0]:
        items.append(
            WorkItem(
                "documents",
                str(step.get_kind_display()),
                step.document.title,
                _doc_url(step.document),
                step.due_at,
                urgent=step.document.urgency == "extra_urgent",
            )
        )
    for doc in selectors.my_returned_drafts(user=actor)[:10]:
        items.append(WorkItem("documents", str(_("修改退回稿")), doc.title, _doc_url(doc), None))
    for doc in selectors.documents_to_handle(user=actor)[:10]:
        items.append(WorkItem("documents", str(_("编号印发")), doc.title, _doc_url(doc), None))
    for inc in incoming.incoming_todo(actor)[:30]:
        due = inc.due_at if inc.status == IncomingStatus.ASSIGNED else None
        items.append(
            WorkItem(
                "documents",
                str(INCOMING_KIND.get(IncomingStatus(inc.status), _("收文"))),
                inc.title,
                inc.get_absolute_url(),
                due,
                urgent=inc.urgency == "extra_urgent",
                detail=inc.issuing_body,
            )
        )
    return items


@register_to_read("documents")
def documents_to_read(actor, now) -> list[WorkItem]:
    items: list[WorkItem] = []
    for doc in incoming.incoming_to_read(actor)[:30]:
        items.append(
            WorkItem(
                "documents", str(_("传阅")), doc.title, doc.get_absolute_url(), None, detail=doc.issuing_body
            )
        )
    for receipt in selectors.receipts_to_acknowledge(user=actor)[:30]:
        url = reverse("documents:home") + "?" + urlencode({"tab": "read"})
        items.append(WorkItem("documents", str(_("来文签收")), receipt.document.title, url, None))
    return items


@register_briefing("documents", order=30)
def documents_briefing(actor, start, end, ahead_end) -> dict | None:
    from django.db.models import Count, Q

    if actor is not None and not access.is_office_staff(actor):
        return None
    docs = selectors.document_list_for_user(user=actor)
    agg = docs.aggregate(
        signed=Count("id", filter=Q(signed_at__gte=start, signed_at__lt=end)),
        published=Count("id", filter=Q(published_at__gte=start, published_at__lt=end)),
    )
    inc = incoming.incoming_list_for_user(user=actor).aggregate(
        received=Count("id", filter=Q(received_at__gte=start, received_at__lt=end)),
        proposed=Count("id", filter=Q(status=IncomingStatus.PROPOSED)),
        due=Count("id", filter=Q(status=IncomingStatus.ASSIGNED, due_at__gte=end, due_at__lt=ahead_end)),
        overdue=Count("id", filter=Q(status=IncomingStatus.ASSIGNED, due_at__lt=end)),
    )
    late = selectors.steps_past_limit(user=actor, now=end).count()
    last = [
        str(
            _("签发公文%(signed)s件，印发%(published)s件；收文%(received)s件。")
            % {"signed": agg["signed"], "published": agg["published"], "received": inc["received"]}
        ),
        str(
            _(
                "待主任批示收文%(proposed)s件；超过环节时限未办的审核环节%(late)s个；收文逾期未办复%(overdue)s件。"
            )
            % {"proposed": inc["proposed"], "late": late, "overdue": inc["overdue"]}
        ),
    ]
    ahead = [str(_("收文办理时限在未来一周内到期的%(n)s件。") % {"n": inc["due"]})]
    return {"title": str(_("公文运转")), "last_week": last, "week_ahead": ahead}
