"""The tamper-evident audit: every row of the trail and of the access log is chained by hash, and
``manage.py audit_verify`` finds a row changed, deleted or inserted behind the application's back."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from office.audit.chain import GENESIS, verify_chain
from office.audit.models import AccessLog, AuditChain, AuditEvent
from office.audit.services import access_log_record, audit_record
from office.org.models import Role
from tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db


def _write(n=5):
    user = make_user(Role.DIRECTOR)
    unit = UnitFactory()
    with transaction.atomic():
        for i in range(n):
            audit_record(actor=user, verb="test.changed", subject=unit, data={"i": i, "名": "甲", "f": 1.5})
    access_log_record(actor=user, subject=unit, action="view", classification="secret")
    return user, unit


def _verify(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    return exit_info.value.code, capsys.readouterr()


def test_rows_are_chained_and_audit_verify_passes_on_a_clean_database(capsys):
    _write()
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.row_hash for a, b in zip(events, events[1:], strict=False))
    head = AuditChain.objects.get(name="audit_event")
    assert head.last_hash == events[-1].row_hash and head.rows == len(events)
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert f"audit verified rows={len(events) + 1}" in out.splitlines()[-1]


def _tamper(sql, params):
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if postgres:  # what someone with the database's superuser rights would do: triggers off
            cur.execute("SET session_replication_role = replica")
        cur.execute(sql, params)
        if postgres:
            cur.execute("SET session_replication_role = origin")


def test_a_row_changed_by_raw_sql_is_found_and_named(capsys):
    _write()
    victim = AuditEvent.objects.order_by("id")[2]
    _tamper("UPDATE audit_auditevent SET verb = %s WHERE id = %s", ["test.innocent", victim.pk])
    code, output = _verify(capsys)
    assert code == 1
    assert f"audit_event id={victim.pk}" in output.err and "被修改" in output.err


def test_a_row_deleted_by_raw_sql_is_found(capsys):
    _write()
    rows = list(AuditEvent.objects.order_by("id"))
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    code, output = _verify(capsys)
    assert code == 1 and f"id={rows[2].pk}" in output.err


def test_the_last_row_deleted_is_found_by_the_head(capsys):
    _write()
    last = AuditEvent.objects.order_by("id").last()
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    code, output = _verify(capsys)
    assert code == 1 and "链头" in output.err


def test_access_log_rows_are_chained_too():
    user, unit = _write(1)
    access_log_record(actor=user, subject=unit, action="download", classification="confidential")
    rows = list(AccessLog.objects.order_by("id"))
    assert rows[1].prev_hash == rows[0].row_hash
    assert verify_chain("access_log").ok


def test_retention_refuses_to_archive_rows_younger_than_180_days(tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from office.audit.chain import RetentionRefused, archive_chain_prefix

    _write(2)
    with pytest.raises(RetentionRefused, match="至少保存180天"):
        archive_chain_prefix("audit_event", before=timezone.now() - timedelta(days=179), directory=tmp_path)
    assert AuditEvent.objects.count() == 2


def test_rows_older_than_the_retention_period_go_to_a_file_and_the_chain_still_verifies(tmp_path, capsys):
    import json
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        _write(3)
    _write(2)  # today's rows stay
    call_command(
        "audit_archive", "--before", str(timezone.localdate() - timedelta(days=190)), "--to", str(tmp_path)
    )
    assert AuditEvent.objects.count() == 2 and AccessLog.objects.count() == 1
    files = sorted(tmp_path.glob("audit_event-*.jsonl"))
    assert len(files) == 1 and len(files[0].read_text(encoding="utf-8").splitlines()) == 3
    assert json.loads(files[0].read_text(encoding="utf-8").splitlines()[0])["prev_hash"] == GENESIS
    capsys.readouterr()
    call_command("audit_verify")
    assert "audit verified rows=3" in capsys.readouterr().out


@pytest.mark.postgres
def test_the_database_refuses_deleting_a_young_row_even_with_the_archiving_flag():
    from django.db import DatabaseError

    _write(1)
    row = AuditEvent.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT set_config('office.audit_archiving', 'on', true)")
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])
