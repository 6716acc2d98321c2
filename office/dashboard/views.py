"""The dashboard's pages: thin; every read is a selector, every rule the access module."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from office.notifications.selectors import notification_list_for_user, unread_count_for_user
from office.org.roles import role_labels
from office.org.selectors import staff_for_user, unit_of_user

from . import access, conf, selectors, services


def _profile(user) -> dict:
    return {
        "staff": staff_for_user(user),
        "unit": unit_of_user(user),
        "roles": role_labels(user),
        "inbox": notification_list_for_user(user=user)[:5],
        "unread_count": unread_count_for_user(user=user),
    }


def _live_body(data: dict) -> str:
    """The inside of the live fragment around the panels' HTML (``_render_panel``)."""
    return render_to_string("dashboard/_live_body.html", {**data, "poll_seconds": conf.poll_seconds()})


def _render_panel(panel, ctx: dict, now) -> str:
    """A panel rendered by its own template, without the request's context processors (the navigation,
    the alarm banner: the page's chrome, which ran once per panel): the template gets its builder's
    context both at the top level and as ``c``, with ``now`` and ``panel``."""
    return render_to_string(panel.template, {**ctx, "c": ctx, "now": now, "panel": panel})


def live_context(user, *, fresh: bool) -> tuple[dict, bool]:
    """The live fragment's context and whether its body is the copy kept by an earlier full read.
    ``fresh``: assemble the body whatever the cache holds (the page itself: a reload is the viewer's way
    to insist); the body is kept for the refreshes that find nothing changed. Either way each app's part
    comes from its kept copy while that app has not written (``selectors.dashboard_for_user``)."""
    now = timezone.now()
    keep = conf.live_cache_seconds()
    # The key is read before the data: a change committed while they are read moves it past this copy.
    key = selectors.dashboard_cache_key(user=user, now=now) if keep > 0 else ""
    body = cache.get(key) if keep > 0 and not fresh else None
    hit = body is not None
    if body is None:
        body = _live_body(selectors.dashboard_for_user(user=user, now=now, render=_render_panel))
        if keep > 0:
            cache.set(key, body, keep)
    # the body is our own templates' output, escaped when it was rendered
    return {"live_body": mark_safe(body), "server_now": now, "poll_seconds": conf.poll_seconds()}, hit


def my_work_context(request) -> dict:
    now = timezone.now()
    work = selectors.my_work_for_user(user=request.user, now=now, keep=True)
    return {
        "now": now,
        "work": work,
        "work_overdue": sum(1 for w in work if w.overdue),
        "to_read": selectors.to_read_for_user(user=request.user, now=now),
        "done": selectors.recent_actions_for_user(user=request.user),
        "poll_seconds": conf.poll_seconds(),
        "urgent_seconds": conf.urgent_minutes() * 60,
    }


@login_required
@require_GET
def dashboard(request):
    access.dashboard_access(actor=request.user)
    live, _hit = live_context(request.user, fresh=True)
    return render(request, "dashboard/dashboard.html", {**_profile(request.user), **live})


@never_cache
@login_required
@require_GET
def dashboard_live(request):
    """The whole dashboard's data in one fragment: the page's one poll. While nothing it shows has
    changed (``selectors.dashboard_cache_key``) the body is the copy the last full read rendered."""
    access.dashboard_access(actor=request.user)
    live, hit = live_context(request.user, fresh=False)
    response = HttpResponse(render_to_string("dashboard/_live.html", live))
    response["X-Dashboard-Cache"] = "hit" if hit else "miss"
    return response


@login_required
@require_GET
def my_work(request):
    access.my_work_access(actor=request.user)
    return render(
        request,
        "dashboard/my_work.html",
        {
            **_profile(request.user),
            **my_work_context(request),
            "is_leader": access.can_view_dashboard(request.user),
        },
    )


@never_cache
@login_required
@require_GET
def my_work_live(request):
    access.my_work_access(actor=request.user)
    return render(request, "dashboard/_my_work_live.html", my_work_context(request))


def _week(request) -> dt.date:
    try:
        day = parse_date(request.GET.get("week") or "")
    except ValueError:
        day = None
    return services.week_start_of(day or timezone.localdate())


@login_required
@require_GET
def briefing(request):
    access.briefing_access(actor=request.user)
    week = _week(request)
    content = services.briefing_content(actor=request.user, week_start=week)
    return render(
        request,
        "dashboard/briefing.html",
        {
            "content": content,
            "week": week,
            "title": services.briefing.briefing_title(week),
            "previous": week - dt.timedelta(days=7),
            "following": week + dt.timedelta(days=7),
        },
    )


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"briefing.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def briefing_docx(request):
    access.briefing_access(actor=request.user)
    data, name = services.briefing_docx(actor=request.user, week_start=_week(request))
    return _attachment(data, name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@login_required
@require_GET
def briefing_pdf(request):
    access.briefing_access(actor=request.user)
    # LibreOffice missing or failing: PdfUnavailable, an OfficeError the middleware shows (503).
    data, name = services.briefing_pdf(actor=request.user, week_start=_week(request))
    return _attachment(data, name, "application/pdf")
