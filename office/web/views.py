from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from office.audit.selectors import access_log_list_for_user
from office.org.selectors import staff_list

from .display import SESSION_KEY, display_preference_set
from .health import run_checks


@login_required
def home(request):
    """The director's and deputies' home is the dashboard; everyone else's is "my work" (待办 / 待阅 /
    已办). The profile and the latest messages stay, small."""
    from office.dashboard import access as dashboard_access
    from office.dashboard import views as dashboard_views

    if dashboard_access.can_view_dashboard(request.user):
        return dashboard_views.dashboard(request)
    return dashboard_views.my_work(request)


def _date(params, key):
    return parse_date(params.get(key) or "") if params.get(key) else None


def _log_page(request, selector, **filter_params) -> dict:
    """One page of a log (the audit trail or the classified-access log) filtered by the query string;
    filters that do not parse are dropped rather than failing the page."""
    params = request.GET
    filters = {name: params.get(param) or None for name, param in filter_params.items()}
    try:
        qs = selector(
            user=request.user,
            date_from=_date(params, "date_from"),
            date_to=_date(params, "date_to"),
            **filters,
        )
    except ValueError:
        qs = selector(user=request.user)
    query = params.copy()
    query.pop("page", None)
    return {
        "qs": qs,
        "page": Paginator(qs, 50).get_page(params.get("page")),
        "actors": staff_list(active_only=False).order_by("name"),
        "filters": params,
        "querystring": query.urlencode(),
    }


@login_required
def access_log_list(request):
    context = _log_page(request, access_log_list_for_user, actor_id="actor")
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


@login_required
@require_POST
def display_preference(request):
    """The header's 长辈模式 switch: remembered for the person, mirrored in the session, and back to
    the page they were on."""
    large_text = request.POST.get("large_text") == "1"
    display_preference_set(actor=request.user, large_text=large_text)
    request.session[SESSION_KEY] = large_text
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)
