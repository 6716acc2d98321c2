"""Inbox, read marks, the navigation badge and the preferences page: thin views over the services."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import alarms, conf, selectors, services
from .forms import PreferenceForm

PAGE_SIZE = 30
MAX_PAGE = 10_000
BADGE_LIMIT = 99
HEADER_LIMIT = 999


@login_required
@require_GET
def inbox(request):
    show = "unread" if request.GET.get("show") == "unread" else "all"
    qs = selectors.notification_list_for_user(user=request.user, unread_only=show == "unread")
    try:
        number = min(max(1, int(request.GET.get("page", 1))), MAX_PAGE)
    except ValueError:
        number = 1
    # Newer/older pages without a COUNT over the whole inbox: fetch one row more than a page.
    offset = (number - 1) * PAGE_SIZE
    rows = list(qs[offset : offset + PAGE_SIZE + 1])
    context = {
        "rows": rows[:PAGE_SIZE],
        "page_number": number,
        "has_next": len(rows) > PAGE_SIZE,
        "has_previous": number > 1,
        "show": show,
        "unread_count": selectors.unread_count_for_user(user=request.user, limit=HEADER_LIMIT),
        "unread_limit": HEADER_LIMIT,
    }
    return render(request, "notifications/inbox.html", context)


@require_GET
@never_cache
def badge(request):
    """The unread count for the navigation bar, polled by htmx every 30 s."""
    if not request.user.is_authenticated:
        return HttpResponse(status=286)  # htmx: stop polling
    count = selectors.unread_count_for_user(user=request.user, limit=BADGE_LIMIT)
    return render(request, "web/_inbox_badge.html", {"unread_count": count})


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    if request.htmx:
        response = render(request, "notifications/_row.html", {"n": notification})
        response["HX-Trigger"] = "notificationsChanged"
        return response
    return redirect("notifications:inbox")


def _live_state(request) -> dict:
    """The page's whole live state in one answer: the unread count (the badge's and the inbox's, one
    query) and the open alarms, each naming its subject and linking to it."""
    user = request.user
    unread = selectors.unread_count_for_user(user=user, limit=BADGE_LIMIT)
    limit = conf.alarm_banner_limit()
    rows = list(alarms.alarm_list_for_user(user=user)[: limit + 1]) if unread else []
    total = len(rows)
    if total > limit:
        total = alarms.alarm_list_for_user(user=user).order_by().count()
    state = {
        "unread": unread,
        "unread_text": f"{BADGE_LIMIT}+" if unread > BADGE_LIMIT else str(unread),
        "unread_cap": BADGE_LIMIT + 1,
        "alarm_total": total,
        "alarms": [
            {
                "id": n.pk,
                "title": n.title,
                "body": n.body[:200],
                "url": reverse("notifications:open", args=[n.pk]) if n.url else "",
                "subject_url": n.url,
                "ack": reverse("notifications:acknowledge", args=[n.pk]),
                "time": f"{timezone.localtime(n.created_at):%H:%M}",
            }
            for n in rows[:limit]
        ],
        "poll": conf.live_poll_seconds(),
    }
    # The tone and the desktop notification: asked only when there is something to sound.
    state["signals"] = bool(rows) and alarms.alarm_signals_for(user)
    return state


@require_GET
@never_cache
def live(request):
    """The live channel: every signed-in page polls it (office/static live.js, every
    ``OFFICE_LIVE_POLL_SECONDS``). A stranger gets 401 and the page stops asking."""
    if not request.user.is_authenticated or not isinstance(request.user, get_user_model()):
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse(_live_state(request))


@login_required
@require_POST
def acknowledge(request, pk: int):
    """ "知道了" on an alarm: the message is read (in the inbox too); answers the new live state."""
    services.notification_mark_read(user=request.user, notification_id=pk)
    return JsonResponse(_live_state(request))


@login_required
@require_POST
def alarm_signals(request):
    """The person's choice of a tone and a desktop notification for alarms."""
    enabled = request.POST.get("enabled") == "1"
    alarms.alarm_signals_set(actor=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("已开启警报提示音和桌面通知。"))
    else:
        messages.success(request, _("已关闭警报提示音和桌面通知。"))
    return redirect("notifications:preferences")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
    return redirect("notifications:inbox")


@login_required
@require_GET
def open_notification(request, pk: int):
    """Follow a message's link and count it as read."""
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


_FIELD_OF = {"url": "webhook_url", "kind": "webhook_kind", "secret": "webhook_secret"}


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    pref = selectors.preference_for_user(user=request.user)
    target = selectors.webhook_target_for_user(user=request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.notification_preference_update(
                    user=request.user,
                    email_enabled=data["email_enabled"],
                    email_min_level=data["email_min_level"],
                    webhook_enabled=data["webhook_enabled"],
                    webhook_min_level=data["webhook_min_level"],
                    webhook_url=data["webhook_url"],
                    webhook_kind=data["webhook_kind"],
                    webhook_secret=data["webhook_secret"] or None,
                )
            except services.NotificationError as exc:
                form.add_error(None, exc.message)
                for field, errors in (exc.fields or {}).items():
                    for error in errors:
                        if field in form.fields:
                            form.add_error(field, error)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    name = _FIELD_OF.get(field, field)
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(request, _("消息设置已保存。"))
                return redirect("notifications:preferences")
    else:
        form = PreferenceForm(
            initial={
                "email_enabled": pref.email_enabled,
                "email_min_level": pref.email_min_level,
                "webhook_enabled": pref.webhook_enabled,
                "webhook_min_level": pref.webhook_min_level,
                "webhook_kind": target.kind if target else "wecom",
                "webhook_url": target.url if target else "",
            }
        )
    context = {
        "form": form,
        "target": target,
        "has_email": bool((request.user.email or "").strip()),
        "alarm_signals": alarms.alarm_signals_for(request.user),
    }
    return render(request, "notifications/preferences.html", context)
