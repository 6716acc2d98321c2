"""The security log: what it records (sign-in, failure, sign-out, lockout, roles, API keys, classified
reads, downloads) and its hash chain (audit_verify walks it; a row changed by raw SQL is named)."""

import pytest
from django.core.management import call_command
from django.db import connection

from office.audit.chain import chain_link
from office.org.models import Role, UnitAPIKey
from office.security.chain import CHAIN
from office.security.models import EventKind, EventResult, SecurityEvent
from office.security.services import acting, security_event_record
from tests.factories import UnitFactory, make_user

from .conftest import sign_in

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (X11; Linux) 测试浏览器"


def _last(kind):
    return SecurityEvent.objects.filter(kind=kind).order_by("-id").first()


def test_sign_in_success_and_failure_carry_address_and_user_agent(client, director):
    response = sign_in(client, director, "wrong-password", HTTP_USER_AGENT=UA, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    failed = _last(EventKind.LOGIN_FAILED)
    assert failed.actor_label == director.username and failed.result == EventResult.FAILURE
    assert failed.ip == "10.1.2.3" and failed.user_agent == UA

    response = sign_in(client, director, HTTP_USER_AGENT=UA, REMOTE_ADDR="10.1.2.4")
    assert response.status_code == 302
    ok = _last(EventKind.LOGIN)
    assert ok.actor == director and ok.ip == "10.1.2.4" and ok.user_agent == UA

    client.post("/accounts/logout/")
    assert _last(EventKind.LOGOUT).actor == director


def test_failure_for_an_unknown_account_is_logged_and_the_page_does_not_tell(client, db):
    response = client.post("/accounts/login/", {"username": "nobody-here", "password": "x"})
    assert response.status_code == 200
    assert _last(EventKind.LOGIN_FAILED).actor_label == "nobody-here"
    # the same message as a wrong password for an existing account
    assert "请输入一个正确的" in response.content.decode() or "正确" in response.content.decode()


def test_lockout_is_logged(client, director, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _i in range(2):
        sign_in(client, director, "wrong")
    row = _last(EventKind.LOCKOUT)
    assert row is not None and row.actor_label == director.username


def test_role_changes_and_api_keys_are_logged_with_the_acting_person(security_admin, director):
    from office.security.services import roles_set

    staff = make_user(Role.STAFF)
    roles_set(actor=security_admin, target=staff, roles=[Role.STAFF, Role.RESEARCHER])
    row = _last(EventKind.ROLE_CHANGED)
    assert row.actor == security_admin and row.subject_id == str(staff.pk)
    assert row.data == {"added": [Role.RESEARCHER]}

    with acting(actor=security_admin):
        key, _secret = UnitAPIKey.objects.create_key(name="k", unit=UnitFactory())
    assert _last(EventKind.API_KEY_ISSUED).actor == security_admin
    with acting(actor=security_admin):
        key.revoked = True
        key.save()
    assert _last(EventKind.API_KEY_REVOKED).subject_id == str(key.pk)[:64]


def test_a_classified_read_in_the_access_log_is_mirrored_in_the_security_log(director):
    from office.audit.services import access_log_record

    access_log_record(actor=director, subject=director, action="view", classification="secret")
    row = _last(EventKind.CLASSIFIED_READ)
    assert row.actor == director and row.data["classification"] == "secret"


def test_rows_are_append_only(director):
    from office.audit.models import AuditImmutableError

    row = security_event_record(EventKind.LOGIN, actor=director)
    with pytest.raises(AuditImmutableError):
        row.save()
    with pytest.raises(AuditImmutableError):
        row.delete()


def test_audit_verify_walks_the_security_chain(director, capsys):
    for _i in range(3):
        security_event_record(EventKind.LOGIN, actor=director)
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "security_event:" in out and "audit verified rows=" in out


def _tamper(row_id):
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if postgres:  # what someone with the database's superuser rights would do: triggers off
            cur.execute("SET session_replication_role = replica")
        cur.execute("UPDATE security_securityevent SET ip = '6.6.6.6' WHERE id = %s", [row_id])
        if postgres:
            cur.execute("SET session_replication_role = origin")


def test_a_security_row_changed_by_raw_sql_is_found(director, capsys):
    rows = [security_event_record(EventKind.LOGIN, actor=director) for _i in range(3)]
    chain_link(CHAIN)  # as the sweeper does within a tick of the commit
    _tamper(rows[1].pk)
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    assert exit_info.value.code == 1
    assert f"security_event id={rows[1].pk}" in capsys.readouterr().err


@pytest.mark.postgres
def test_postgresql_refuses_updating_a_security_row(director):
    from django.db import InternalError, ProgrammingError, transaction

    row = security_event_record(EventKind.LOGIN, actor=director)
    with pytest.raises((InternalError, ProgrammingError), match="append-only"), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("UPDATE security_securityevent SET ip = '6.6.6.6' WHERE id = %s", [row.pk])


@pytest.mark.postgres
def test_a_security_row_changed_with_the_trigger_off_is_found_on_postgresql(director, capsys):
    test_a_security_row_changed_by_raw_sql_is_found(director, capsys)


def test_a_clearance_granted_and_withdrawn_on_one_object_is_logged(security_admin, director):
    from guardian.shortcuts import assign_perm, remove_perm

    unit = UnitFactory()
    with acting(actor=security_admin):
        assign_perm("org.view_unit", director, unit)
        remove_perm("org.view_unit", director, unit)
    rows = list(SecurityEvent.objects.filter(kind=EventKind.CLEARANCE_CHANGED).order_by("id"))
    assert [r.data["action"] for r in rows] == ["grant", "revoke"]
    assert rows[0].actor == security_admin and rows[0].subject_id == str(director.pk)
    assert rows[0].data["permission"] == "view_unit"
