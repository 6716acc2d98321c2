"""The security log and the security administrators' changes (roles, two factors, first sign-in).

``security_event_record`` is the one way anything writes the security log. It needs no surrounding
transaction (a failed sign-in has none); inside one, the row commits or rolls back with the change."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.errors import Forbidden, Invalid
from office.org.models import Role
from office.org.roles import THREE_ADMIN_ROLES, assign_roles

from .models import AccountSecurity, EventKind, EventResult, SecurityEvent

_CURRENT: ContextVar[tuple | None] = ContextVar("office_security_current", default=None)


@contextmanager
def acting(*, request=None, actor=None):
    """Who is acting, for the receivers that log a change made deep in Django (a group added to a user,
    an API key saved in the admin): set by the security middleware for each request, or by a service."""
    token = _CURRENT.set((request, actor if actor is not None else getattr(request, "user", None)))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_actor() -> tuple:
    """(request, actor) of the change being made, or (None, None)."""
    current = _CURRENT.get()
    if current is None:
        return None, None
    request, actor = current
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return request, actor


def client_ip(request) -> str | None:
    """The client's address; the TLS proxy's X-Forwarded-For only when one is declared in front of us."""
    if request is None:
        return None
    behind_proxy = settings.SECURE_PROXY_SSL_HEADER is not None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if behind_proxy else ""
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")) or None


def security_event_record(
    kind: str,
    *,
    request=None,
    actor=None,
    actor_label: str = "",
    subject=None,
    result: str = EventResult.SUCCESS,
    data: dict | None = None,
) -> SecurityEvent:
    """Write one row of the security log. ``actor`` defaults to the request's signed-in user."""
    if kind not in EventKind.values:
        raise ValueError(f"unknown security event kind {kind!r}")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    user = actor if isinstance(actor, get_user_model()) else None
    if user is None and not actor_label and actor is not None:
        actor_label = str(actor)
    row = SecurityEvent(kind=kind, actor=user, actor_label=actor_label[:150], result=result, data=data or {})
    if subject is not None:
        row.subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        row.subject_id = str(subject.pk)[:64]  # an API key's id is longer: its prefix leads
        row.subject_repr = str(subject)[:255]
    if request is not None:
        row.ip = client_ip(request)
        row.user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
        row.path = request.path[:255]
    row.save(force_insert=True)
    return row


def account_security(user) -> AccountSecurity:
    state, _created = AccountSecurity.objects.get_or_create(user=user)
    return state


# --- 三员分立: roles ---------------------------------------------------------------------------------
def check_role_separation(*, actor, target, roles: set[str]) -> None:
    """The rules of 三员分立 for setting ``target``'s roles to ``roles`` (raises Forbidden / Invalid):
    only the security administrator sets roles; nobody changes their own roles; no account holds two of
    the three administrator roles."""
    from .access import can_manage_roles

    if not can_manage_roles(actor):
        raise Forbidden(_("只有安全管理员可以分配角色。"))
    if actor is not None and getattr(actor, "pk", None) == target.pk:
        raise Forbidden(_("不能修改自己的角色。"))
    held = roles & set(THREE_ADMIN_ROLES)
    if len(held) > 1:
        raise Invalid(_("三员分立：一个账号只能担任系统管理员、安全管理员、审计管理员中的一个。"))


def roles_set(*, actor, target, roles, request=None) -> None:
    """Set ``target``'s roles (the security administrator's job), audited in the security log."""
    roles = {str(r) for r in roles}
    unknown = roles - set(Role.values)
    if unknown:
        raise Invalid(_("未知的角色：%(roles)s") % {"roles": "、".join(sorted(unknown))})
    check_role_separation(actor=actor, target=target, roles=roles)
    with transaction.atomic(), acting(request=request, actor=actor):
        # the groups' m2m signal writes the security log (office/security/receivers.py)
        assign_roles(target, sorted(roles))


def otp_reset(*, actor, target, request=None) -> int:
    """Remove every two-factor device of ``target`` (the security administrator's job): the account
    enrols again at its next sign-in. Audited in the security log."""
    from django_otp import devices_for_user

    from .access import can_reset_otp

    if not can_reset_otp(actor):
        raise Forbidden(_("只有安全管理员可以重置动态口令。"))
    if getattr(actor, "pk", None) == target.pk:
        raise Forbidden(_("不能重置自己的动态口令。"))
    with transaction.atomic():
        removed = 0
        for device in list(devices_for_user(target, confirmed=None)):
            device.delete()
            removed += 1
        security_event_record(
            EventKind.OTP_RESET, request=request, actor=actor, subject=target, data={"devices": removed}
        )
    return removed


def require_password_change(*, user, required: bool = True) -> None:
    """Flag ``user`` to change the password at the next sign-in (accounts an administrator created)."""
    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": required})


def password_changed(user) -> None:
    """Called by the password history validator whenever a password is set (Django's password_changed)."""
    from .conf import password_history
    from .models import PasswordHistory

    state = account_security(user)
    first = state.password_changed_at is None and not PasswordHistory.objects.filter(user=user).exists()
    state.password_changed_at = timezone.now()
    state.must_change_password = False
    state.save(update_fields=["password_changed_at", "must_change_password"])
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = max(password_history(), 1)
    old = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")[keep:]
    PasswordHistory.objects.filter(pk__in=[p.pk for p in old]).delete()
    security_event_record(
        EventKind.PASSWORD_CHANGED, actor=user, subject=user, data={"first": first} if first else None
    )


def security_download(request, found) -> None:
    """A file downloaded through office/files: a row of the security log. A classified file's download is
    already there (mirrored from the classified-access log), so it is not written twice."""
    if getattr(found, "classification", ""):
        return
    security_event_record(
        EventKind.DOWNLOAD,
        request=request,
        subject=getattr(found, "subject", None),
        data={"name": getattr(found, "name", "")},
    )
