import pytest
from django.contrib.auth.models import Group

from office.org.models import Role
from office.org.roles import assign_roles, granted_permissions, has_role, is_internal, sync_roles
from tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_group_holds_exactly_the_permissions_granted_to_its_role():
    sync_roles()
    director = Group.objects.get(name=Role.DIRECTOR)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in director.permissions.all()}
    assert "audit.view_auditevent" in held
    assert held <= granted_permissions(Role.DIRECTOR)
    external = Group.objects.get(name=Role.EXTERNAL_UNIT)
    assert not {f"{p.content_type.app_label}.{p.codename}" for p in external.permissions.all()} & {
        "audit.view_auditevent",
        "org.change_unit",
    }


def test_director_may_change_units_and_staff_may_not():
    director, clerk = make_user(Role.DIRECTOR), make_user(Role.STAFF)
    assert director.has_perm("org.change_unit")
    assert not clerk.has_perm("org.change_unit")
    assert clerk.has_perm("org.view_unit")


def test_external_unit_user_is_not_office_staff():
    outsider = make_user(Role.EXTERNAL_UNIT)
    assert not is_internal(outsider)
    assert not outsider.has_perm("org.view_staff")
    assert has_role(outsider, Role.EXTERNAL_UNIT)


def test_inactive_user_holds_no_role():
    user = make_user(Role.DIRECTOR)
    user.is_active = False
    assert not has_role(user, Role.DIRECTOR)


def test_assign_roles_replaces_previous_roles_and_refuses_unknown_ones():
    user = make_user(Role.STAFF, unit=UnitFactory())
    assign_roles(user, [Role.DUTY_OFFICER])
    assert has_role(user, Role.DUTY_OFFICER) and not has_role(user, Role.STAFF)
    with pytest.raises(ValueError):
        assign_roles(user, ["emperor"])


def test_audit_page_is_for_leaders_only(client):
    client.force_login(make_user(Role.STAFF))
    assert client.get("/audit/").status_code == 403
    client.force_login(make_user(Role.DEPUTY_DIRECTOR))
    assert client.get("/audit/").status_code == 200


def test_navigation_shows_audit_only_to_leaders(client):
    client.force_login(make_user(Role.STAFF))
    assert "审计日志" not in client.get("/").content.decode()
    client.force_login(make_user(Role.DIRECTOR))
    assert "审计日志" in client.get("/").content.decode()
