"""The demo office's administrators and its security log on a normal morning.

三员分立: ``sysadmin`` (系统管理员), ``secadmin`` (安全管理员) and ``auditadmin`` (审计管理员), each with one
role. The all-powerful ``admin`` exists only in demo mode (OFFICE_MLPS off); with OFFICE_MLPS on it is not
created and, if an earlier run made it, it is switched off, and every demo account must change its
password at its first sign-in. The log shows a few real things to look at: a run of failed sign-ins on
one account from an unknown address that ended in a lockout, an API key issued to a township.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from office.org.models import Role, Unit
from office.org.roles import assign_roles

from .conf import mlps
from .models import AccountSecurity, EventKind, EventResult, SecurityEvent
from .services import security_event_record

ADMINISTRATORS = [
    ("sysadmin", "周立新", "系统管理员", Role.SYSTEM_ADMIN, "13809990001"),
    ("secadmin", "孙海宁", "安全管理员", Role.SECURITY_ADMIN, "13809990002"),
    ("auditadmin", "钱文静", "审计管理员", Role.AUDIT_ADMIN, "13809990003"),
]


@transaction.atomic
def populate(stdout=None) -> None:
    from office.org.demo import _user

    User = get_user_model()
    unit = Unit.objects.get(code="mishu")
    for username, name, position, role, phone in ADMINISTRATORS:
        staff = _user(username, name, unit, position, [], phone)
        assign_roles(staff.user, [role])
        if not staff.user.is_staff:
            staff.user.is_staff = True
            staff.user.save(update_fields=["is_staff"])
    if mlps():
        # outside demo mode: no all-powerful account, and no demo password kept past the first sign-in
        User.objects.filter(username="admin", is_superuser=True).update(is_active=False, is_superuser=False)
        for user in User.objects.filter(is_active=True).exclude(security__must_change_password=True):
            AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})
    if not SecurityEvent.objects.filter(kind=EventKind.LOCKOUT).exists():
        _morning()
    if stdout is not None:
        stdout.write("  三员分立：sysadmin 系统管理员  secadmin 安全管理员  auditadmin 审计管理员")
        if mlps():
            stdout.write(
                "  OFFICE_MLPS 已开启：不创建 admin 超级用户；演示账号首次登录须修改密码并绑定动态口令。"
            )


def _morning() -> None:
    """A few rows a security log has at 9 a.m.: sign-ins, one account hammered from outside, a lockout."""
    User = get_user_model()
    now = timezone.now()
    for username in ("director", "deputy1", "duty01", "staff01"):
        user = User.objects.filter(username=username).first()
        if user is not None:
            row = SecurityEvent(
                kind=EventKind.LOGIN,
                actor=user,
                ip=f"10.20.1.{10 + len(username)}",
                user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0",
                path="/accounts/login/",
                created_at=now - timedelta(minutes=90 - len(username)),
            )
            row.save(force_insert=True)
    for k in range(5):
        row = SecurityEvent(
            kind=EventKind.LOGIN_FAILED,
            actor_label="deputy2",
            result=EventResult.FAILURE,
            ip="203.0.113.77",
            user_agent="python-requests/2.31",
            path="/accounts/login/",
            created_at=now - timedelta(minutes=40 - k),
        )
        row.save(force_insert=True)
    security_event_record(
        EventKind.LOCKOUT,
        actor_label="deputy2",
        result=EventResult.FAILURE,
        data={"ip": "203.0.113.77", "note": "五次密码错误，账号暂时锁定"},
    )
