"""The application layer's guard, after the authentication and messages middleware:

1. the session rules: a session idle longer than ``OFFICE_SESSION_IDLE_MINUTES`` or older than
   ``OFFICE_SESSION_ABSOLUTE_HOURS``, or replaced by a second sign-in of the same account
   (``OFFICE_SESSION_SINGLE``), is ended server-side and the person learns why on the sign-in page;
2. two factors: a signed-in person who must pass the TOTP step (office/security/otp.py) and has not
   is sent to it from every page (the API answers 403 in JSON; API keys are not sessions, unaffected);
3. passwords: an account flagged to change its password, or whose password is older than
   ``OFFICE_PASSWORD_MAX_AGE_DAYS``, is sent to the password change page; within the warning period a
   message says how many days are left;
4. headers: ``Permissions-Policy`` on every answer, ``Cache-Control: no-store`` on sensitive pages
   (``OFFICE_SENSITIVE_URL_NAMES`` or a view marked with ``sensitive``).

It also tells the receivers who is acting (``services.acting``) for the changes it lets through.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import conf
from .models import EventKind
from .services import acting, security_event_record

# Paths a signed-in person still reaches before passing the OTP step or changing the password.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/readyz", "/metrics", "/security/otp/", "/favicon")
_OPEN_NAMES = {"login", "logout", "security:otp", "security:otp-setup", "security:password"}


def sensitive(view):
    """Mark a view whose pages carry classified or personal content: answered with no-store."""
    view.office_sensitive = True
    return view


SEEN_GRANULARITY = 15


def _reason_message(kind: str) -> str:
    if kind == EventKind.SESSION_REPLACED:
        return _("您的账号已在别处登录，本次会话已结束。如非本人操作，请立即修改密码并联系安全管理员。")
    return _("您长时间未操作或登录时间过长，会话已超时结束，请重新登录。")


def _end_session(request, kind: str, data: dict):
    user = request.user
    request._security_signout_reason = kind
    security_event_record(kind, request=request, actor=user, subject=user, data=data)
    logout(request)  # flushes the session server-side
    messages.warning(request, _reason_message(kind))
    request.session["security_signout_reason"] = kind
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_authenticated", "message": _reason_message(kind)}, status=401)
    login = reverse("login")
    if request.method == "GET" and not getattr(request, "htmx", False):
        return redirect(f"{login}?next={request.get_full_path()}")
    response = redirect(login)
    if getattr(request, "htmx", False):
        response["HX-Redirect"] = login
    return response


def _state(request):
    """The account's security state, read once per request (the session and password checks share it)."""
    from .models import AccountSecurity

    if not hasattr(request, "_security_state"):
        request._security_state = AccountSecurity.objects.filter(user=request.user).first()
    return request._security_state


def _session_check(request):
    """None when the session may go on; else the answer that ends it."""
    idle = conf.session_idle_minutes() * 60
    absolute = conf.session_absolute_hours() * 3600
    single = conf.single_session()
    if not (idle or absolute or single):
        return None  # no rule on (the embedded demo): no session write, no query
    session = request.session
    now = int(timezone.now().timestamp())
    started = session.get("security_started")
    seen = session.get("security_seen")
    if started is None:
        session["security_started"] = started = now
    if seen is not None and idle and now - seen > idle:
        return _end_session(request, EventKind.SESSION_TIMEOUT, {"idle_seconds": now - seen})
    if absolute and now - started > absolute:
        return _end_session(request, EventKind.SESSION_TIMEOUT, {"session_seconds": now - started})
    if single and session.session_key:
        state = _state(request)
        current = state.session_key if state is not None else ""
        if current and current != session.session_key:
            return _end_session(request, EventKind.SESSION_REPLACED, {})
    # a background poll (the live channel) is not the person's activity; the session is written at most
    # every SEEN_GRANULARITY seconds (the idle limit may come that much early)
    if idle and not request.path.startswith("/notifications/live"):
        if seen is None or now - seen >= SEEN_GRANULARITY:
            session["security_seen"] = now
    return None


def _is_open(request) -> bool:
    if request.path.startswith(_OPEN_PREFIXES):
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in _OPEN_NAMES


def _otp_check(request):
    from .otp import otp_step_needed

    if not otp_step_needed(request.user) or request.user.is_verified():
        return None
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "otp_required", "message": _("请先在网页上完成动态口令验证。")}, status=403
        )
    target = reverse("security:otp")
    nxt = request.get_full_path()
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) and request.method == "GET":
        target = f"{target}?next={nxt}"
    return redirect(target)


def _password_check(request):
    max_age = conf.password_max_age_days()
    first_change = conf.password_change_at_first_sign_in()
    if not (max_age or first_change):
        return None  # no rule on: no query
    state = _state(request)
    if state is None:
        return None
    expired = False
    days_left = None
    if max_age and state.password_changed_at is not None:
        expires = state.password_changed_at + timedelta(days=max_age)
        left = expires - timezone.now()
        expired = left <= timedelta(0)
        days_left = left.days + (1 if left.seconds else 0)
    if (state.must_change_password and first_change) or expired:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "password_change_required", "message": _("请先在网页上修改密码。")}, status=403
            )
        return redirect(reverse("security:password"))
    warn = conf.password_warn_days()
    if days_left is not None and days_left <= warn and not request.session.get("security_pw_warned"):
        request.session["security_pw_warned"] = True
        messages.warning(
            request,
            ngettext(
                "您的密码将在 %(days)d 天后过期，请尽快修改。",
                "您的密码将在 %(days)d 天后过期，请尽快修改。",
                days_left,
            )
            % {"days": days_left},
        )
    return None


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting(request=request):
            response = self._guard(request)
            if response is None:
                response = self.get_response(request)
        return self._headers(request, response)

    def _guard(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return None
        if getattr(request, "auth", None) is not None:  # pragma: no cover - API keys never reach here
            return None
        ended = _session_check(request)
        if ended is not None:
            return ended
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._security_sensitive = bool(getattr(view_func, "office_sensitive", False)) or (
            getattr(getattr(request, "resolver_match", None), "view_name", None) in conf.sensitive_url_names()
        )
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_open(request):
            return None
        return _otp_check(request) or _password_check(request)

    def _headers(self, request, response):
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and response.status_code == 200
            and match.view_name in conf.export_url_names()
            and getattr(request, "user", None) is not None
        ):
            security_event_record(
                EventKind.EXPORT,
                request=request,
                data={
                    "export": match.view_name,
                    "kwargs": match.kwargs,
                    "query": request.GET.urlencode()[:500],
                },
            )
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = conf.permissions_policy()
        if getattr(request, "_security_sensitive", False):
            add_never_cache_headers(response)
            response["Cache-Control"] = "private, no-store, no-cache, must-revalidate, max-age=0"
        return response
