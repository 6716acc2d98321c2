"""Inbox, read marks, the navigation badge and the preferences page: thin views over the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
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
    context = {"form": form, "target": target, "has_email": bool((request.user.email or "").strip())}
    return render(request, "notifications/preferences.html", context)
