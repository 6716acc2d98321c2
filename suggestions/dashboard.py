"""What 出点子、吐心声 contributes to the director's dashboard and to "my work", from the campaign's own
selectors and access rules (a deputy sees the short list of the sections in his charge only; an
anonymous item never names its author). Registered by apps.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from office.dashboard.registry import (
    WorkItem,
    register_briefing,
    register_my_work,
    register_panel,
    rows_and_count,
    shared,
    shared_if_read,
)

from . import access, selectors
from .models import CampaignStatus, SubmissionStatus


def _open_campaign(actor):
    """The open campaign this person may see: read once per refresh for the panel and "my work"."""
    return shared(
        ("suggestions.open_campaign", getattr(actor, "pk", None)),
        lambda: (
            selectors.campaign_list_for_user(user=actor)
            .filter(status=CampaignStatus.OPEN)
            .order_by("-opened_at", "-id")
            .first()
        ),
    )


# a suggestion adopted as a supervision item shows that item's status
SUGGESTIONS_READS = ("suggestions", "supervision")


@register_panel(
    "suggestions",
    title=_("出点子吐心声"),
    template="dashboard/panels/suggestions.html",
    order=40,
    reads=SUGGESTIONS_READS,
)
def suggestions_panel(actor, now):
    if not access.can_list(actor):
        return None
    campaign = _open_campaign(actor)
    if campaign is None:
        return {"campaign": None}
    progress = shared(("suggestions.progress", campaign.pk), lambda: selectors.campaign_progress(campaign))
    sections = selectors.short_list_for_user(user=actor, campaign=campaign, progress=progress)
    replies = selectors.submission_list_for_user(
        user=actor, campaign=campaign, filters={"status": SubmissionStatus.ASSIGNED}
    )
    # The number waiting for a reply and the five soonest due, in one read: soonest due first, the ones
    # without a deadline after them (and left out of the short list). The tags are not shown.
    due_first = replies.prefetch_related(None).order_by(F("reply_due_at").asc(nulls_last=True), "id")
    soonest, replies_count = rows_and_count(due_first, 5)
    items_url = reverse("suggestions:items", kwargs={"pk": campaign.pk})
    return {
        "campaign": campaign,
        "url": campaign.get_absolute_url(),
        "participants": progress.participants,
        "done": progress.done,
        "percent": round(100 * progress.done / progress.participants) if progress.participants else 0,
        "sections": sections,
        "short_count": sum(len(s.people) for s in sections),
        "items_count": campaign.item_count,
        "items_url": items_url,
        "replies_count": replies_count,
        "replies": [s for s in soonest if s.reply_due_at is not None],
        "replies_url": items_url + "?" + urlencode({"status": SubmissionStatus.ASSIGNED}),
        "deadline_passed": now > campaign.deadline,
        "mine_first": bool(sections) and not access.is_manager(actor),
    }


def _short_by(actor, campaign) -> int | None:
    """How many items ``actor`` has given when he is a participant short of the minimum, else None. In
    a dashboard refresh the panel has read every participant's count (the campaign's progress): the
    same answer, without asking again."""
    progress = shared_if_read(("suggestions.progress", campaign.pk))
    if progress is not None:
        me = next((p for p in progress.short if p.user_id == getattr(actor, "pk", None)), None)
        return me.count if me is not None else None
    if not access.is_participant(actor, campaign):
        return None
    have = selectors.my_count(user=actor, campaign=campaign)
    return have if have < campaign.min_per_person else None


@register_my_work("suggestions", reads=SUGGESTIONS_READS)
def suggestions_work(actor, now) -> list[WorkItem]:
    if not access.can_list(actor):
        return []
    items: list[WorkItem] = []
    campaign = _open_campaign(actor)
    have = _short_by(actor, campaign) if campaign is not None else None
    if campaign is not None and have is not None:
        items.append(
            WorkItem(
                "suggestions",
                str(_("提交意见")),
                campaign.title,
                reverse("suggestions:submit", kwargs={"pk": campaign.pk}),
                campaign.deadline,
                detail=str(
                    _("已交 %(have)s 条，至少 %(min)s 条") % {"have": have, "min": campaign.min_per_person}
                ),
            )
        )
    assigned = selectors.submission_list_for_user(user=actor, filters={"status": SubmissionStatus.ASSIGNED})
    for s in assigned.filter(assignee_id=actor.pk).order_by("reply_due_at", "id")[:20]:
        items.append(
            WorkItem(
                "suggestions",
                str(_("答复")),
                s.text[:40],
                reverse("suggestions:submission", kwargs={"pk": s.pk}),
                s.reply_due_at,
                detail=s.campaign.title,
            )
        )
    return items


@register_briefing("suggestions", order=40)
def suggestions_briefing(actor, start, end, ahead_end) -> dict | None:
    from django.utils import timezone

    if actor is not None and not access.can_list(actor):
        return None
    campaign = _open_campaign(actor)
    if campaign is None:
        return None
    progress = selectors.campaign_progress(campaign)
    replies = selectors.submission_list_for_user(
        user=actor, campaign=campaign, filters={"status": SubmissionStatus.ASSIGNED}
    )
    due = replies.filter(reply_due_at__gte=end, reply_due_at__lt=ahead_end).count()
    last = [
        str(
            _("“%(title)s”征集中：应参加%(p)s人，已交齐%(d)s人，尚有%(s)s人未达最低条数；截止%(deadline)s。")
            % {
                "title": campaign.title,
                "p": progress.participants,
                "d": progress.done,
                "s": progress.short_count,
                "deadline": timezone.localtime(campaign.deadline).strftime("%m月%d日 %H:%M"),
            }
        )
    ]
    ahead = [str(_("待答复意见%(n)s条，其中未来一周到期%(due)s条。") % {"n": replies.count(), "due": due})]
    return {"title": str(_("出点子吐心声")), "last_week": last, "week_ahead": ahead}
