"""三员分立: each of the three administrators does their part and nothing of the others'; none grants
itself another's role; no account holds two; the system check refuses a superuser in production."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from office.errors import Forbidden, Invalid
from office.org.models import Role
from office.org.roles import assign_roles
from office.security.models import EventKind, SecurityEvent
from office.security.services import roles_set
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# (url, system admin, security admin, audit admin)
ADMIN_PAGES = [
    ("/admin/auth/user/", 200, 200, 403),
    ("/admin/auth/user/add/", 200, 403, 403),
    ("/admin/org/unit/", 200, 403, 403),
    ("/admin/org/unit/add/", 200, 403, 403),
    ("/admin/auth/group/", 403, 200, 403),
    ("/admin/org/unitapikey/", 403, 200, 403),
    ("/admin/audit/auditevent/", 403, 403, 200),
    ("/admin/security/securityevent/", 403, 403, 200),
    ("/admin/supervision/supervisionitem/", 403, 403, 403),  # business content: none of the three
    ("/admin/documents/document/", 403, 403, 403),
]


@pytest.mark.parametrize(("url", "system", "security", "audit"), ADMIN_PAGES)
def test_each_administrator_does_their_part_in_the_admin(
    client, system_admin, security_admin, audit_admin, url, system, security, audit
):
    for user, expected in ((system_admin, system), (security_admin, security), (audit_admin, audit)):
        client.force_login(user)
        assert client.get(url).status_code == expected, (user.groups.first().name, url)


def test_the_audit_administrator_changes_nothing_in_the_admin(client, audit_admin, director):
    from office.security.services import security_event_record

    row = security_event_record(EventKind.LOGIN, actor=director)
    client.force_login(audit_admin)
    page = client.get(f"/admin/security/securityevent/{row.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/security/securityevent/{row.pk}/delete/").status_code == 403


def test_the_security_administrator_cannot_open_their_own_account(client, security_admin):
    client.force_login(security_admin)
    assert client.get(f"/admin/auth/user/{security_admin.pk}/change/").status_code == 403


def test_the_system_administrator_sees_no_role_fields(client, system_admin, director):
    client.force_login(system_admin)
    page = client.get(f"/admin/auth/user/{director.pk}/change/").content.decode()
    assert 'name="username"' in page and 'name="groups"' not in page and 'name="is_superuser"' not in page


def test_only_the_security_administrator_sets_roles(system_admin, security_admin, audit_admin, director):
    staff = make_user(Role.STAFF)
    for actor in (system_admin, audit_admin, director):
        with pytest.raises(Forbidden, match="只有安全管理员"):
            roles_set(actor=actor, target=staff, roles=[Role.RESEARCHER])
    roles_set(actor=security_admin, target=staff, roles=[Role.RESEARCHER])


def test_nobody_grants_themselves_a_role(security_admin):
    with pytest.raises(Forbidden, match="不能修改自己的角色"):
        roles_set(actor=security_admin, target=security_admin, roles=[Role.AUDIT_ADMIN])


def test_no_account_holds_two_of_the_three(security_admin, system_admin):
    with pytest.raises(Invalid, match="三员分立"):
        roles_set(actor=security_admin, target=system_admin, roles=[Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
    # not through the back door either (assign_roles, the admin's groups field)
    with pytest.raises(Invalid, match="三员分立"):
        assign_roles(system_admin, [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])


def test_the_roles_page_is_the_security_administrators(client, security_admin, system_admin):
    staff = make_user(Role.STAFF)
    client.force_login(security_admin)
    assert client.get("/security/accounts/").status_code == 200
    response = client.post(f"/security/accounts/{staff.pk}/", {"roles": [Role.STAFF, Role.RESEARCHER]})
    assert response.status_code == 302
    row = SecurityEvent.objects.filter(kind=EventKind.ROLE_CHANGED, subject_id=str(staff.pk)).latest("id")
    assert row.actor == security_admin and row.data == {"added": [Role.RESEARCHER]}
    client.force_login(system_admin)
    assert client.get("/security/accounts/").status_code == 403


def test_the_audit_administrator_searches_and_exports_both_logs(
    client, audit_admin, director, security_admin
):
    from django.db import transaction

    from office.audit.services import audit_record

    with transaction.atomic():
        audit_record(actor=director, verb="supervision.item.created", subject=director)
    client.force_login(audit_admin)
    page = client.get("/security/log/", {"q": audit_admin.username})
    assert page.status_code == 200 and "登录" in page.content.decode()
    page = client.get("/security/log/", {"log": "audit", "kind": "supervision"})
    assert "supervision.item.created" in page.content.decode()
    export = client.get("/security/log/export.csv", {"log": "audit"})
    assert export.status_code == 200 and export["Cache-Control"].startswith("private, no-store")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][0] == "编号" and any("supervision.item.created" in r for r in rows)
    assert SecurityEvent.objects.filter(kind=EventKind.EXPORT, actor=audit_admin).exists()
    for other in (director, security_admin):
        client.force_login(other)
        assert client.get("/security/log/").status_code == 403
        assert client.get("/security/log/export.csv").status_code == 403


def test_the_system_check_refuses_a_superuser_and_a_doubled_role_in_production(settings, db):
    from django.contrib.auth import get_user_model

    from office.security.checks import separation_problems

    settings.OFFICE_MLPS = True
    settings.DEBUG = False
    call_command("check")  # a clean deployment passes
    get_user_model().objects.create_superuser("root", "root@example.com", "Root#2026x")
    with pytest.raises(SystemCheckError, match="security.E001"):
        call_command("check")
    user = make_user(Role.SYSTEM_ADMIN)
    from django.contrib.auth.models import Group

    # written around the m2m guard, as a database edit would be
    user.groups.through.objects.create(user=user, group=Group.objects.get(name=Role.AUDIT_ADMIN))
    assert {p.id for p in separation_problems()} == {"security.E001", "security.E002"}


def test_the_system_check_is_quiet_outside_production(settings, db):
    from django.contrib.auth import get_user_model

    settings.OFFICE_MLPS = False
    get_user_model().objects.create_superuser("root", "root@example.com", "Root#2026x")
    call_command("check")


def test_headers_on_sensitive_pages(client, audit_admin):
    client.force_login(audit_admin)
    response = client.get("/security/log/")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_create_administrators_makes_three_single_role_accounts_that_change_their_password(capsys, settings):
    from office.security.checks import separation_problems
    from office.security.models import AccountSecurity

    call_command("create_administrators")
    out = capsys.readouterr().out
    assert out.count("初始密码") == 3
    from django.contrib.auth import get_user_model

    for username, role in (
        ("sysadmin", Role.SYSTEM_ADMIN),
        ("secadmin", Role.SECURITY_ADMIN),
        ("auditadmin", Role.AUDIT_ADMIN),
    ):
        user = get_user_model().objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role] and not user.is_superuser
        assert AccountSecurity.objects.get(user=user).must_change_password
    assert separation_problems() == []
