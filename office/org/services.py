"""Writes to the organisation. Every change writes the audit trail in the same transaction."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.types import Actor

from .models import Staff, Unit
from .roles import assign_roles


class OrgError(Exception):
    """A rule of the organisation was broken; the message is for a clerk."""


@transaction.atomic
def staff_create(
    *,
    actor: Actor,
    username: str,
    name: str,
    unit: Unit,
    roles=(),
    position: str = "",
    phone: str = "",
    password: str | None = None,
    email: str = "",
) -> Staff:
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise OrgError(_("登录名“{username}”已被使用。").format(username=username))
    user = User(username=username, email=email, first_name=name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    staff = Staff(user=user, name=name, unit=unit, position=position, phone=phone)
    staff.full_clean()
    staff.save()
    assign_roles(user, roles)
    audit_record(
        actor=actor,
        verb="staff.created",
        subject=staff,
        data={"username": username, "unit": unit.name, "roles": sorted(roles)},
    )
    return staff


@transaction.atomic
def staff_set_roles(*, actor: Actor, staff: Staff, roles) -> Staff:
    before = sorted(staff.user.groups.values_list("name", flat=True))
    assign_roles(staff.user, roles)
    audit_record(
        actor=actor,
        verb="staff.roles_changed",
        subject=staff,
        data={"before": before, "after": sorted(roles)},
    )
    return staff


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    name: str,
    code: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    sort_order: int = 100,
    phone: str = "",
) -> Unit:
    unit = Unit(
        name=name,
        code=code,
        kind=kind,
        parent=parent,
        short_name=short_name,
        sort_order=sort_order,
        phone=phone,
    )
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, verb="unit.created", subject=unit, data={"name": name, "kind": kind})
    return unit


@transaction.atomic
def api_key_issue(*, actor: Actor, unit: Unit, name: str):
    """Issue a new key for ``unit``; the clear key is returned once and never stored."""
    from .models import UnitAPIKey

    api_key, key = UnitAPIKey.objects.create_key(name=name, unit=unit)
    audit_record(
        actor=actor, verb="api_key.issued", subject=unit, data={"name": name, "prefix": api_key.prefix}
    )
    return api_key, key


@transaction.atomic
def api_key_revoke(*, actor: Actor, api_key) -> None:
    api_key.revoked = True
    api_key.save(update_fields=["revoked"])
    audit_record(
        actor=actor,
        verb="api_key.revoked",
        subject=api_key.unit,
        data={"name": api_key.name, "prefix": api_key.prefix},
    )
