"""Roles and what each may do: the one place where permissions are granted and checked.

Roles are Django groups named by ``Role`` codes. Each app declares the model permissions its roles
get with ``grant_permissions`` from its AppConfig.ready(); ``sync_roles`` (run after every migrate)
creates the groups and gives them exactly those permissions. Code asks ``has_role`` or
``user.has_perm`` (guardian adds object-level answers for need-to-know objects); nothing else.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission, User

from .models import Role
from .principals import UnitPrincipal
from .types import Actor

_GRANTS: dict[str, set[str]] = defaultdict(set)

# The role sets every app's access module uses: the one place they are written down.
# Roles of the office itself, as opposed to external units.
# (the three administrators of 三员分立 are not: they administer the system, they do not read its business)
INTERNAL_ROLES = frozenset(Role.values) - {
    Role.EXTERNAL_UNIT,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDIT_ADMIN,
}
LEADERSHIP_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
# 督查督办: register, issue, verify, decide extensions, cancel.
SUPERVISION_MANAGER_ROLES = LEADERSHIP_ROLES | {Role.SUPERVISION_COMMISSIONER}
# 值班: the duty room's pages and work; editors draw up the roster and decide swaps.
DUTY_ROOM_ROLES = LEADERSHIP_ROLES | {Role.DUTY_LEADER, Role.DUTY_OFFICER}
DUTY_EDITOR_ROLES = LEADERSHIP_ROLES | {Role.DUTY_LEADER}
# Who stands in the duty leaders' rotation when no rotation list is set (带班领导 pool).
DUTY_ROTATION_LEADER_ROLES = frozenset({Role.DUTY_LEADER, Role.DEPUTY_DIRECTOR})
# Who may send an urgent report into the duty room (townships and departments through the API too).
DUTY_REPORTER_ROLES = DUTY_ROOM_ROLES | {Role.EXTERNAL_UNIT}
# 签发: who signs documents off.
DOCUMENT_SIGNER_ROLES = frozenset({Role.DIRECTOR})
# 文书: register numbers, publish (印发), withdraw a number with its reason, archive outgoing documents.
DOCUMENT_CLERK_ROLES = LEADERSHIP_ROLES | {Role.SECTION_CHIEF}
# 收文: who signs for, registers and routes incoming documents — holders of these roles in the sections
# named by DOCUMENTS_INCOMING_CLERK_UNITS (文书科, 机要科 by default); the leaders may do it too.
INCOMING_CLERK_ROLES = frozenset({Role.SECTION_CHIEF, Role.STAFF})
# 批示: who writes a leader's instruction on an incoming document.
DOCUMENT_INSTRUCTING_ROLES = LEADERSHIP_ROLES
# The audit trail.
AUDIT_READER_ROLES = LEADERSHIP_ROLES
# 出点子、吐心声: who opens campaigns, triages and reads every item, and holds the one-on-one talks.
SUGGESTION_MANAGER_ROLES = frozenset({Role.DIRECTOR})


def grant_permissions(role: str, perms: Iterable[str]) -> None:
    """Declare that ``role`` holds these ``app_label.codename`` permissions."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    _GRANTS[role].update(perms)


def granted_permissions(role: str) -> frozenset[str]:
    return frozenset(_GRANTS.get(role, ()))


def _is_last_post_migrate_sender(sender) -> bool:
    from django.apps import apps

    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    return sender is None or not with_models or sender.label == with_models[-1].label


def sync_roles(sender=None, **_kwargs) -> None:
    """Create one group per role and set its permissions to exactly what was granted.

    Connected to post_migrate, it acts once per migrate: when the last app is signalled, by which time
    every app's permissions exist.
    """
    if not _is_last_post_migrate_sender(sender):
        return
    wanted_all = {dotted for perms in _GRANTS.values() for dotted in perms}
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.filter(
            codename__in={d.split(".", 1)[1] for d in wanted_all}
        ).values_list("pk", "content_type__app_label", "codename")
    }
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        # a permission of an app not migrated yet appears on a later sync
        group.permissions.set([by_name[d] for d in sorted(_GRANTS.get(role, ())) if d in by_name])


def user_roles(user: Actor) -> frozenset[str]:
    """The role codes of ``user``, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if isinstance(user, UnitPrincipal):
        return user._office_roles
    cached = getattr(user, "_office_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        setattr(user, "_office_roles", cached)  # noqa: B010 (an attribute the User model does not declare)
    return cached


def has_role(user: Actor, *roles: str) -> bool:
    """True when the user holds any of ``roles`` (a superuser holds them all)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user).intersection(roles))


def is_internal(user: Actor) -> bool:
    """Office staff (not an external unit's account)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user) & INTERNAL_ROLES)


def role_labels(user: Actor) -> list[str]:
    return [str(Role(r).label) for r in Role.values if r in user_roles(user)]


def assign_roles(user: User, roles: Iterable[str]) -> None:
    """Set the user's roles to exactly ``roles``."""
    roles = list(roles)
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    keep = user.groups.exclude(name__in=Role.values)
    user.groups.set(list(keep) + list(Group.objects.filter(name__in=roles)))
    if hasattr(user, "_office_roles"):
        delattr(user, "_office_roles")


# Who hears an alarm (a tone and a desktop notification) unless they switched it off: the duty room's
# officers and leaders and the director.
ALARM_SIGNAL_ROLES = frozenset({Role.DIRECTOR, Role.DUTY_LEADER, Role.DUTY_OFFICER})
# 政研: who builds the year's plan, runs topics, records outputs, evaluations and adoptions.
RESEARCH_MANAGER_ROLES = LEADERSHIP_ROLES | {Role.RESEARCHER}
# 政研: who approves (or returns) the year's research plan.
RESEARCH_PLAN_APPROVER_ROLES = frozenset({Role.DIRECTOR})
# 办会: who books rooms, sends notices, runs the checklist, seats, records incidents and drafts minutes for
# every meeting (a meeting's own organizer, technician and service staff manage that meeting too).
MEETING_MANAGER_ROLES = LEADERSHIP_ROLES | {Role.SECTION_CHIEF}
# 信息报送: the information section's editors (holders of these roles in the sections named by
# INFORMATION_SECTION_UNITS, 信息科 by default; the leaders may do it too), and who approves a report.
INFORMATION_EDITOR_ROLES = frozenset({Role.SECTION_CHIEF, Role.STAFF})
INFORMATION_APPROVER_ROLES = LEADERSHIP_ROLES
# 三员分立 (等保 2.0, office/security/access.py): the system, security and audit administrators. No account
# may hold two of them; none can grant itself another's.
SYSTEM_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN})
SECURITY_ADMIN_ROLES = frozenset({Role.SECURITY_ADMIN})
AUDIT_ADMIN_ROLES = frozenset({Role.AUDIT_ADMIN})
THREE_ADMIN_ROLES = SYSTEM_ADMIN_ROLES | SECURITY_ADMIN_ROLES | AUDIT_ADMIN_ROLES
# 岗位风险排查: who sees every section's register and opens review campaigns; who approves (or returns) the
# reviews of their own section's posts.
RISK_LEADER_ROLES = LEADERSHIP_ROLES
RISK_APPROVER_ROLES = frozenset({Role.SECTION_CHIEF})
