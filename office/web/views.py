from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from office.audit.selectors import access_log_list_for_user, audit_event_list_for_user
from office.notifications.selectors import notification_list_for_user, unread_count_for_user
from office.org.roles import role_labels
from office.org.selectors import staff_for_user, staff_list, unit_of_user

from .health import run_checks


@login_required
def home(request):
    user = request.user
    context = {
        "staff": staff_for_user(user),
        "unit": unit_of_user(user),
        "roles": role_labels(user),
        "inbox": notification_list_for_user(user=user)[:10],
        "unread_count": unread_count_for_user(user=user),
    }
    return render(request, "web/home.html", context)


@login_required
def audit_list(request):
    params = request.GET
    try:
        qs = audit_event_list_for_user(
            user=request.user,
            subject_type_id=params.get("subject_type") or None,
            subject_id=params.get("subject_id") or None,
            actor_id=params.get("actor") or None,
            verb=params.get("verb") or None,
            date_from=parse_date(params.get("date_from") or "") if params.get("date_from") else None,
            date_to=parse_date(params.get("date_to") or "") if params.get("date_to") else None,
        )
    except ValueError:
        qs = audit_event_list_for_user(user=request.user)
    page = Paginator(qs, 50).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "subject_types": ContentType.objects.filter(
            pk__in=qs.model.objects.values("subject_type").distinct()
        ).order_by("app_label", "model"),
        "actors": staff_list(active_only=False).order_by("name"),
        "filters": params,
        "querystring": query.urlencode(),
    }
    return render(request, "web/audit_list.html", context)


@login_required
def access_log_list(request):
    params = request.GET
    try:
        qs = access_log_list_for_user(
            user=request.user,
            actor_id=params.get("actor") or None,
            date_from=parse_date(params.get("date_from") or "") if params.get("date_from") else None,
            date_to=parse_date(params.get("date_to") or "") if params.get("date_to") else None,
        )
    except ValueError:
        qs = access_log_list_for_user(user=request.user)
    page = Paginator(qs, 50).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "actors": staff_list(active_only=False).order_by("name"),
        "filters": params,
        "querystring": query.urlencode(),
    }
    return render(request, "web/access_log_list.html", context)


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    checks = run_checks()
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )
