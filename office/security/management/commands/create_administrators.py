"""``manage.py create_administrators``: the three administrators of 三员分立 for a new deployment, instead
of a superuser: ``sysadmin`` (系统管理员), ``secadmin`` (安全管理员), ``auditadmin`` (审计管理员), each with
one role, a random initial password printed once, and a password change (and TOTP enrolment) due at the
first sign-in. An existing account keeps its password; its roles are set again."""

import secrets
import string

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from office.org.models import Role, Staff, Unit, UnitKind
from office.org.roles import assign_roles
from office.security.services import require_password_change

ADMINISTRATORS = [
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN),
    ("secadmin", "安全管理员", Role.SECURITY_ADMIN),
    ("auditadmin", "审计管理员", Role.AUDIT_ADMIN),
]


def initial_password() -> str:
    """16 characters with all four classes."""
    alphabet = string.ascii_letters + string.digits + "#%+-=@"
    while True:
        word = "".join(secrets.choice(alphabet) for _i in range(16))
        if (
            any(c.islower() for c in word)
            and any(c.isupper() for c in word)
            and any(c.isdigit() for c in word)
            and any(not c.isalnum() for c in word)
        ):
            return word


class Command(BaseCommand):
    help = "Create the system, security and audit administrators (三员分立) with one-time passwords."
    requires_system_checks: list = []  # it is how a deployment gets past the 三员分立 check

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        unit = Unit.objects.filter(kind=UnitKind.OFFICE).order_by("sort_order", "id").first()
        if unit is None:
            unit = Unit.objects.create(code="office", name="办公室", kind=UnitKind.OFFICE, sort_order=0)
        for username, label, role in ADMINISTRATORS:
            user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            Staff.objects.get_or_create(user=user, defaults={"name": label, "unit": unit, "position": label})
            assign_roles(user, [role])
            if created:
                password = initial_password()
                user.set_password(password)
                user.save()
                require_password_change(user=user)
                self.stdout.write(f"{username}（{label}）初始密码：{password}（首次登录须修改）")
            else:
                self.stdout.write(f"{username}（{label}）已存在，角色已设为{label}。")
