import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

from . import conf, selectors, services
from .access import clock_access
from .metrics import ClockCollector


def _require_admin(user) -> None:
    clock_access(actor=user)


@login_required
def clock_status(request):
    _require_admin(request.user)
    healthy, detail = selectors.clock_health()
    context = {
        "state": selectors.clock_state(),
        "due": selectors.due_summary(),
        "counts": selectors.timer_counts(),
        "troubled": selectors.troubled_timers(),
        "healthy": healthy,
        "health_detail": detail,
        "tick_seconds": conf.tick_seconds(),
        "max_attempts": conf.max_attempts(),
    }
    return render(request, "clock/status.html", context)


@login_required
@require_POST
def timer_retry(request, timer_id: int):
    _require_admin(request.user)
    try:
        services.timer_retry(actor=request.user, timer_id=timer_id)
    except services.ClockError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已安排立即重试。"))
    return redirect("clock:status")


_clock_registry = CollectorRegistry(auto_describe=False)
_clock_registry.register(ClockCollector())


@require_GET
@never_cache
def metrics(request):
    """Prometheus exposition: the clock (from the database) and the process's own registry."""
    token = conf.metrics_token()
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given, token):
            return HttpResponse(status=401)
    body = generate_latest(_clock_registry) + generate_latest(REGISTRY)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
