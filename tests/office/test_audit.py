import pytest
from django.db import DatabaseError, connection, transaction

from office.audit.models import AuditEvent, AuditImmutableError
from office.audit.selectors import audit_events_for_subject
from office.audit.services import AuditOutsideTransactionError, audit_record
from office.org.models import Role, UnitKind
from office.org.services import OrgError, staff_create, unit_create
from tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db


def test_service_writes_audit_event_in_its_transaction(director):
    unit = unit_create(actor=director, name="新设科室", code="new-section", kind=UnitKind.SECTION)
    event = audit_events_for_subject(unit).get()
    assert event.verb == "unit.created" and event.actor == director and event.data["name"] == "新设科室"


def test_failed_service_leaves_neither_change_nor_audit(director):
    unit = UnitFactory()
    staff_create(actor=director, username="dup", name="甲", unit=unit)
    before = AuditEvent.objects.count()
    with pytest.raises(OrgError, match="已被使用"):
        staff_create(actor=director, username="dup", name="乙", unit=unit)
    assert AuditEvent.objects.count() == before


def test_audit_record_refuses_to_run_outside_a_transaction(director):
    if connection.in_atomic_block:
        pytest.skip("the test itself runs in a transaction")
    with pytest.raises(AuditOutsideTransactionError):
        audit_record(actor=director, verb="x", subject=None)


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_outside_transaction_in_autocommit():
    with pytest.raises(AuditOutsideTransactionError):
        audit_record(actor=None, verb="x")


def test_model_refuses_update_and_delete(director):
    with transaction.atomic():
        event = audit_record(actor=director, verb="thing.done", subject=director)
    event.verb = "tampered"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_and_delete_even_in_bulk(director):
    with transaction.atomic():
        event = audit_record(actor=director, verb="thing.done", subject=director)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).verb == "thing.done"


def test_admin_shows_audit_read_only(admin_client, director):
    with transaction.atomic():
        event = audit_record(actor=director, verb="thing.done", subject=director)
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
    resp = admin_client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert resp.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_director_browses_trail_by_actor_and_subject(client, director):
    other = make_user(Role.STAFF)
    with transaction.atomic():
        audit_record(actor=director, verb="item.issued", subject=director, data={"k": 1})
        audit_record(actor=other, verb="item.viewed", subject=other)
    client.force_login(director)
    body = client.get("/audit/", {"actor": director.pk}).content.decode()
    assert "item.issued" in body and "item.viewed" not in body
    body = client.get("/audit/", {"verb": "item.viewed"}).content.decode()
    assert "item.viewed" in body and "item.issued" not in body
