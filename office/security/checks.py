"""The system check of 三员分立: with ``OFFICE_MLPS`` on and DEBUG off (production), or under
``check --deploy``, an active superuser or an account holding two of the three administrator roles is an
Error (security.E001, security.E002), and so is a deployment without the three administrators (E003)."""

from django.conf import settings
from django.core import checks

from office.org.roles import THREE_ADMIN_ROLES


def separation_problems() -> list[checks.CheckMessage]:
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    User = get_user_model()
    problems: list[checks.CheckMessage] = []
    supers = list(User.objects.filter(is_superuser=True, is_active=True).values_list("username", flat=True))
    if supers:
        problems.append(
            checks.Error(
                "三员分立：存在启用的超级用户 {}；生产环境须由系统管理员、安全管理员、审计管理员分别管理。".format(
                    "、".join(supers[:10])
                ),
                hint="停用这些账号（is_active=False）或取消超级用户，改用三个管理员角色。",
                id="security.E001",
            )
        )
    doubled = list(
        User.objects.filter(is_active=True)
        .annotate(n=Count("groups", filter=Q(groups__name__in=THREE_ADMIN_ROLES)))
        .filter(n__gt=1)
        .values_list("username", flat=True)
    )
    if doubled:
        problems.append(
            checks.Error(
                "三员分立：账号 {} 同时担任两个及以上管理员角色。".format("、".join(doubled[:10])),
                hint="一个账号只能担任系统管理员、安全管理员、审计管理员中的一个。",
                id="security.E002",
            )
        )
    return problems


def _database_ready() -> bool:
    from django.db import connection

    try:
        return "auth_user" in connection.introspection.table_names()
    except Exception:  # noqa: BLE001 - no database yet: nothing to check
        return False


@checks.register(checks.Tags.security, deploy=True)
def check_separation_deploy(app_configs=None, **kwargs):
    """Under ``check --deploy`` (when OFFICE_MLPS is on the production check below already reports)."""
    from .conf import mlps

    if (mlps() and not settings.DEBUG) or not _database_ready():
        return []
    return separation_problems()


@checks.register(checks.Tags.security)
def check_separation_production(app_configs=None, **kwargs):
    """Always in production: OFFICE_MLPS on and DEBUG off."""
    from .conf import mlps

    if not mlps() or settings.DEBUG or not _database_ready():
        return []
    return separation_problems()
