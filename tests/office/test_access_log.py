"""The classified-access log: append-only, readable by the director and the 机要科 chief only."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from office.audit.models import AccessLog, AuditImmutableError
from office.audit.services import access_log_record
from office.org.models import Role, UnitKind
from tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def jiyao():
    return UnitFactory(code="jiyao", name="机要科", kind=UnitKind.SECTION)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_director_and_the_confidential_section_chief_read_the_log(director, jiyao):
    chief = make_user(Role.SECTION_CHIEF, unit=jiyao)
    for user in (director, chief):
        resp = _client(user).get("/audit/access-log/")
        assert resp.status_code == 200 and "涉密访问记录" in resp.content.decode()


@pytest.mark.parametrize("role", [Role.DEPUTY_DIRECTOR, Role.STAFF, Role.SECTION_CHIEF, Role.EXTERNAL_UNIT])
def test_others_are_refused_the_log_and_do_not_see_it_in_the_navigation(role, jiyao):
    user = make_user(role)  # a chief of another section, or a clerk of the confidential section below
    resp = _client(user).get("/audit/access-log/")
    assert resp.status_code == 403
    assert "涉密访问记录" not in _client(user).get("/").content.decode()


def test_a_clerk_of_the_confidential_section_is_not_its_chief(jiyao):
    clerk = make_user(Role.STAFF, unit=jiyao)
    assert _client(clerk).get("/audit/access-log/").status_code == 403


def test_the_chief_sees_the_entry_in_the_navigation(jiyao):
    chief = make_user(Role.SECTION_CHIEF, unit=jiyao)
    body = _client(chief).get("/").content.decode()
    assert 'href="/audit/access-log/"' in body


def test_a_row_records_who_what_and_from_where(rf, director, jiyao):
    request = rf.get("/documents/7/", REMOTE_ADDR="10.0.0.8", HTTP_USER_AGENT="Chromium")
    row = access_log_record(
        actor=director, subject=jiyao, action="view", request=request, classification="secret"
    )
    assert (row.actor, row.action, row.ip, row.user_agent, row.path) == (
        director,
        "view",
        "10.0.0.8",
        "Chromium",
        "/documents/7/",
    )
    body = _client(director).get("/audit/access-log/").content.decode()
    assert "10.0.0.8" in body and "/documents/7/" in body
    assert "<td>查看</td><td>秘密</td>" in body  # labels a reader understands, not codes


def test_forwarded_for_is_trusted_only_behind_the_declared_proxy(rf, settings, director, jiyao):
    request = rf.get("/x", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert access_log_record(actor=director, subject=jiyao, action="view", request=request).ip == "127.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert (
        access_log_record(actor=director, subject=jiyao, action="view", request=request).ip == "203.0.113.9"
    )


def test_rows_are_append_only(director, jiyao):
    row = access_log_record(actor=director, subject=jiyao, action="view")
    with pytest.raises(AuditImmutableError):
        row.save()
    with pytest.raises(AuditImmutableError):
        row.delete()
    with pytest.raises(ValueError, match="unknown access action"):
        access_log_record(actor=director, subject=jiyao, action="edit")


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_of_log_rows(director, jiyao):
    access_log_record(actor=director, subject=jiyao, action="view")
    assert connection.vendor == "postgresql"
    for sql in ("UPDATE audit_accesslog SET action = 'x'", "DELETE FROM audit_accesslog"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(sql)
    assert AccessLog.objects.count() == 1
