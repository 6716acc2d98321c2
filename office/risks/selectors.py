"""Reads of the post risk review, every one built on the access module's scopes."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from office.errors import not_found
from office.org.models import Unit
from office.org.types import Actor

from . import access
from .models import (
    LEVEL_ORDER,
    OPEN_REVIEW_STATUSES,
    CampaignStatus,
    Level,
    Post,
    ReviewCampaign,
    ReviewStatus,
    Risk,
    RiskIncident,
    RiskReview,
)


def risk_list(*, actor: Actor, area: str = "", level: str = "", section: int | None = None) -> QuerySet[Risk]:
    qs = access.risk_scope(actor=actor, qs=Risk.objects.filter(is_active=True, post__is_active=True))
    if area:
        qs = qs.filter(area=area)
    if level:
        qs = qs.filter(level=level)
    if section:
        qs = qs.filter(post__section_id=section)
    # a correlated count, computed for the rows shown only (no GROUP BY over the whole register)
    count = (
        RiskIncident.objects.filter(risk=OuterRef("pk"))
        .order_by()
        .values("risk")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("post__section", "owner__staff")
        .annotate(incident_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))
        .order_by("-score", "post__sort_order", "post__code", "code")
    )


def section_choices(*, actor: Actor) -> QuerySet[Unit]:
    posts = access.post_scope(actor=actor, qs=Post.objects.filter(is_active=True))
    return Unit.objects.filter(pk__in=posts.values("section_id")).order_by("sort_order", "pk")


def risk_get(*, actor: Actor, pk: int) -> Risk:
    risk = Risk.objects.select_related("post__section", "owner__staff").filter(pk=pk).first()
    if risk is None:
        raise not_found()
    return access.risk_access_for_action(actor=actor, risk=risk, action="view")


def risk_controls(risk: Risk):
    return risk.controls.select_related("owner__staff")


def risk_incidents(risk: Risk):
    return risk.incidents.select_related("responsible__staff").order_by("-occurred_at", "-pk")


def risk_reviews(risk: Risk):
    return risk.reviews.select_related("campaign", "reviewer__staff", "decided_by__staff").order_by(
        "-campaign__opened_at", "-pk"
    )


def quarter_start(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    first = date(now.year, 3 * ((now.month - 1) // 3) + 1, 1)
    return timezone.make_aware(datetime.combine(first, datetime.min.time()), timezone.get_current_timezone())


def failed_this_quarter(*, actor: Actor, now: datetime | None = None) -> QuerySet[Risk]:
    """Risks whose controls failed this quarter: those with at least one incident since the quarter began,
    the most incidents first, each with this quarter's incidents (``quarter_incidents``)."""
    start = quarter_start(now)
    recent = RiskIncident.objects.filter(risk=OuterRef("pk"), occurred_at__gte=start)
    incidents = RiskIncident.objects.filter(occurred_at__gte=start).select_related("responsible__staff")
    return (
        access.risk_scope(actor=actor, qs=Risk.objects.filter(is_active=True, post__is_active=True))
        .filter(Exists(recent))
        .select_related("post__section")
        .annotate(quarter_count=Count("incidents", filter=Q(incidents__occurred_at__gte=start)))
        .prefetch_related(
            Prefetch("incidents", queryset=incidents.order_by("-occurred_at"), to_attr="quarter_incidents")
        )
        .order_by("-quarter_count", "-score", "post__sort_order", "code")
    )


def unassigned_incidents(*, actor: Actor) -> QuerySet[RiskIncident]:
    if not access.is_leader(actor) and not access.is_system(actor):
        return RiskIncident.objects.none()
    return RiskIncident.objects.filter(risk__isnull=True).order_by("-occurred_at")


LEVELS = [Level.HIGH, Level.MEDIUM, Level.LOW]


def heatmap(*, actor: Actor) -> dict:
    """Posts × levels: how many of each post's risks are 高, 中, 低 (one query)."""
    rows = (
        access.risk_scope(actor=actor, qs=Risk.objects.filter(is_active=True, post__is_active=True))
        .order_by()
        .values("post_id", "post__name", "post__sort_order", "post__code", "level")
        .annotate(n=Count("pk", distinct=True))
    )
    posts: dict[int, dict] = {}
    for row in rows:
        post = posts.setdefault(
            row["post_id"],
            {"name": row["post__name"], "order": (row["post__sort_order"], row["post__code"]), "counts": {}},
        )
        post["counts"][row["level"]] = row["n"]
    ordered = sorted(posts.values(), key=lambda p: p["order"])
    levels = sorted(LEVELS, key=lambda lv: LEVEL_ORDER[lv])
    table = [
        {
            "post": p["name"],
            "cells": [p["counts"].get(lv, 0) for lv in levels],
            "total": sum(p["counts"].values()),
        }
        for p in ordered
    ]
    chart = {
        "levels": [str(Level(lv).label) for lv in levels],
        "posts": [p["name"] for p in ordered],
        "data": [[x, y, row["cells"][x]] for y, row in enumerate(table) for x in range(len(levels))],
        "max": max([c for row in table for c in row["cells"]] or [1]),
    }
    height = max(260, 40 * len(table) + 100)
    return {"levels": [Level(lv) for lv in levels], "table": table, "chart": chart, "height": height}


def my_reviews(*, actor: Actor) -> QuerySet[RiskReview]:
    """The reviews of the posts the actor holds, in open campaigns: waiting first."""
    user = access._user(actor)
    if user is None:
        return RiskReview.objects.none()
    return (
        RiskReview.objects.filter(
            campaign__status=CampaignStatus.OPEN, risk__post__holders=user, risk__is_active=True
        )
        .select_related("campaign", "risk__post")
        .distinct()
        .order_by("status", "campaign__deadline", "risk__post__sort_order", "risk__code")
    )


def approvals(*, actor: Actor) -> QuerySet[RiskReview]:
    """Reviews waiting for the actor's decision: submitted, in the sections the actor approves for."""
    qs = RiskReview.objects.filter(status=ReviewStatus.SUBMITTED, campaign__status=CampaignStatus.OPEN)
    if not (access.is_system(actor) or access.is_leader(actor)):
        qs = qs.filter(risk__post__section_id__in=access.chief_sections(actor))
    user = access._user(actor)
    if user is not None:
        qs = qs.exclude(reviewer=user)
    return qs.select_related("campaign", "risk__post__section", "reviewer__staff").order_by(
        "campaign__deadline", "submitted_at"
    )


def campaign_list(*, actor: Actor) -> QuerySet[ReviewCampaign]:
    if not (access.is_system(actor) or access.is_office_staff(actor)):
        return ReviewCampaign.objects.none()
    return ReviewCampaign.objects.select_related("opened_by__staff").annotate(
        total=Count("reviews", distinct=True),
        waiting=Count("reviews", filter=Q(reviews__status__in=OPEN_REVIEW_STATUSES), distinct=True),
        approved=Count("reviews", filter=Q(reviews__status=ReviewStatus.APPROVED), distinct=True),
    )


def campaign_get(*, actor: Actor, pk: int) -> ReviewCampaign:
    campaign = campaign_list(actor=actor).filter(pk=pk).first()
    if campaign is None:
        raise not_found()
    return access.campaign_access_for_action(actor=actor, campaign=campaign, action="view")


def campaign_progress(*, actor: Actor, campaign: ReviewCampaign) -> list[dict]:
    """Per section in the actor's scope: reviews total, waiting, submitted, approved."""
    qs = access.review_scope(actor=actor, qs=campaign.reviews.all())
    rows = (
        qs.order_by()
        .values("risk__post__section__name", "risk__post__section__sort_order")
        .annotate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(status__in=OPEN_REVIEW_STATUSES)),
            submitted=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
            approved=Count("pk", filter=Q(status=ReviewStatus.APPROVED)),
        )
        .order_by("risk__post__section__sort_order", "risk__post__section__name")
    )
    return [
        {
            "section": r["risk__post__section__name"],
            "total": r["total"],
            "waiting": r["waiting"],
            "submitted": r["submitted"],
            "approved": r["approved"],
        }
        for r in rows
    ]


def review_get(*, actor: Actor, pk: int) -> RiskReview:
    review = RiskReview.objects.select_related("campaign", "risk__post").filter(pk=pk).first()
    if review is None:
        raise not_found()
    return access.review_access_for_action(actor=actor, review=review, action="view")


def post_list(*, actor: Actor) -> QuerySet[Post]:
    """The posts of the register with their holders and how many active risks each has (the editors')."""
    from django.contrib.auth import get_user_model

    holders = get_user_model().objects.select_related("staff").order_by("pk")
    return (
        access.post_scope(actor=actor, qs=Post.objects.select_related("section"))
        .annotate(active_risks=Count("risks", filter=Q(risks__is_active=True)))
        .prefetch_related(Prefetch("holders", queryset=holders))
        .order_by("-is_active", "sort_order", "code")
    )


def post_get(*, actor: Actor, pk: int) -> Post:
    post = access.post_scope(actor=actor, qs=Post.objects.select_related("section")).filter(pk=pk).first()
    if post is None:
        raise not_found()
    return post


def incident_get_unassigned(*, actor: Actor, pk: int) -> RiskIncident:
    incident = unassigned_incidents(actor=actor).filter(pk=pk).first()
    if incident is None:
        raise not_found()
    return incident
