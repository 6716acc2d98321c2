"""The security pages: the TOTP step and enrolment, the password change, the audit administrator's
search and export of both logs, and the security administrator's roles and two-factor reset."""

import csv
import io

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from office.errors import Forbidden, OfficeError
from office.files.views import attachment_response
from office.org.models import Role
from office.org.roles import user_roles
from office.web.forms import service_error_to_form

from . import access, otp, services
from .forms import LogSearchForm, OtpForm, OtpSetupForm, RolesForm
from .middleware import sensitive
from .models import EventKind
from .selectors import log_search

User = get_user_model()


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return reverse("home")


def _locked_out(request):
    logout(request)
    messages.error(request, _("动态口令错误次数过多，账号已被暂时锁定，请稍后再试或联系安全管理员。"))
    return redirect("login")


@login_required
def otp_step(request):
    """The second factor after the password."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if otp.confirmed_totp(request.user) is None:
        target = reverse("security:otp-setup")
        return redirect(f"{target}?next={_next_url(request)}")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.is_locked(request, request.user):
            return _locked_out(request)
        if otp.verify(request, code=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        if otp.is_locked(request, request.user):
            return _locked_out(request)
        form.add_error("code", _("动态口令不正确，请重新输入。"))
    return render(request, "security/otp.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request):
    """Enrolment at the first sign-in: scan the QR code, type one code, keep the recovery codes."""
    if otp.confirmed_totp(request.user) is not None and not request.user.is_verified():
        return redirect("security:otp")
    if otp.confirmed_totp(request.user) is not None:
        return redirect(_next_url(request))
    device = otp.pending_totp(request.user)
    form = OtpSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.is_locked(request, request.user):
            return _locked_out(request)
        codes = otp.enroll(request, code=form.cleaned_data["code"])
        if codes is not None:
            response = render(
                request, "security/otp_codes.html", {"codes": codes, "next": _next_url(request)}
            )
            response["Cache-Control"] = "private, no-store"
            return response
        if otp.is_locked(request, request.user):
            return _locked_out(request)
        form.add_error("code", _("动态口令不正确，请确认手机时间准确后重新输入。"))
    secret = device.bin_key.hex()
    import base64

    context = {
        "form": form,
        "qr": otp.qr_svg(device, username=request.user.get_username()),
        "secret": base64.b32encode(bytes.fromhex(secret)).decode().rstrip("="),
        "next": _next_url(request),
    }
    response = render(request, "security/otp_setup.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


class PasswordChange(PasswordChangeView):
    template_name = "security/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop("security_pw_warned", None)
        messages.success(self.request, _("密码已修改。"))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = getattr(self.request.user, "security", None)
        context["must_change"] = bool(state and state.must_change_password)
        return context


password_change = login_required(PasswordChange.as_view())


# --- the audit administrator -------------------------------------------------------------------------
def _search(request):
    form = LogSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    log = data.get("log") or "security"
    qs = log_search(
        actor=request.user,
        log=log,
        q=data.get("q", ""),
        kind=data.get("kind", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    return form, log, qs


@login_required
@sensitive
def log_page(request):
    form, log, qs = _search(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "security/log.html",
        {
            "form": form,
            "log": log,
            "page": page,
            "kinds": EventKind.choices,
            "querystring": query.urlencode(),
            "count": page.paginator.count,
        },
    )


EXPORT_LIMIT = 100_000


@login_required
@sensitive
def log_export(request):
    """The rows of the search as CSV (UTF-8 with BOM, opens in Excel), produced in memory; the export
    itself is a row of the security log."""
    form, log, qs = _search(request)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    if log == "audit":
        writer.writerow(
            [_("编号"), _("时间"), _("操作人"), _("动作"), _("对象类型"), _("对象"), _("数据"), _("本条哈希")]
        )
        for e in qs[:EXPORT_LIMIT]:
            writer.writerow(
                [
                    e.pk,
                    timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                    e.actor_display,
                    e.verb,
                    e.subject_type.name if e.subject_type_id else "",
                    e.subject_repr,
                    e.data,
                    e.row_hash,
                ]
            )
    else:
        writer.writerow(
            [
                _("编号"),
                _("时间"),
                _("类型"),
                _("操作人"),
                _("对象"),
                _("结果"),
                _("来源地址"),
                _("客户端"),
                _("详情"),
                _("本条哈希"),
            ]
        )
        for e in qs[:EXPORT_LIMIT]:
            writer.writerow(
                [
                    e.pk,
                    timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                    e.get_kind_display(),
                    e.actor_display,
                    e.subject_repr,
                    e.get_result_display(),
                    e.ip or "",
                    e.user_agent,
                    e.data,
                    e.row_hash,
                ]
            )
    services.security_event_record(
        EventKind.EXPORT, request=request, data={"log": log, "query": request.GET.urlencode()}
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{'安全日志' if log == 'security' else '审计日志'}-{stamp}.csv"
    return attachment_response(
        out.getvalue().encode("utf-8"),
        filename=name,
        content_type="text/csv; charset=utf-8",
        ascii_fallback=f"{log}-log-{stamp}.csv",
    )


# --- the security administrator ----------------------------------------------------------------------
def _require_security_admin(user):
    if not access.can_manage_roles(user):
        raise Forbidden()


@login_required
def accounts(request):
    _require_security_admin(request.user)
    q = request.GET.get("q", "").strip()
    qs = User.objects.select_related("staff").order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(staff__name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(u, [str(Role(r).label) for r in Role.values if r in user_roles(u)]) for u in page]
    return render(
        request,
        "security/accounts.html",
        {"page": page, "rows": rows, "q": q, "querystring": f"q={q}" if q else ""},
    )


@login_required
def account(request, pk: int):
    _require_security_admin(request.user)
    target = get_object_or_404(User.objects.select_related("staff"), pk=pk)
    form = RolesForm(request.POST or None, initial={"roles": sorted(user_roles(target))})
    if request.method == "POST" and form.is_valid():
        try:
            services.roles_set(
                actor=request.user, target=target, roles=form.cleaned_data["roles"], request=request
            )
        except OfficeError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("角色已保存。"))
            return redirect("security:account", pk=target.pk)
    from django_otp import devices_for_user

    return render(
        request,
        "security/account.html",
        {
            "target": target,
            "form": form,
            "devices": list(devices_for_user(target, confirmed=None)),
            "is_self": target.pk == request.user.pk,
        },
    )


@login_required
@require_POST
def otp_reset(request, pk: int):
    _require_security_admin(request.user)
    target = get_object_or_404(User, pk=pk)
    try:
        removed = services.otp_reset(actor=request.user, target=target, request=request)
    except OfficeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已重置 %(name)s 的动态口令（%(n)d 个设备），其下次登录时重新绑定。")
            % {
                "name": target.get_username(),
                "n": removed,
            },
        )
    return redirect("security:account", pk=target.pk)
