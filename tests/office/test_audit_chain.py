"""The tamper-evident audit: every row of the trail and of the access log is chained by hash, and
``manage.py audit_verify`` finds a row changed, deleted or inserted behind the application's back."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from office.audit.chain import GENESIS, chain_link, chain_link_all, verify_chain
from office.audit.models import AccessLog, AuditChain, AuditEvent
from office.audit.services import access_log_record, audit_record
from office.org.models import Role
from tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db


def _write(n=5, *, link=True):
    """``n`` audit rows and one access-log row, then linked as the sweeper links them within a tick."""
    user = make_user(Role.DIRECTOR)
    unit = UnitFactory()
    with transaction.atomic():
        for i in range(n):
            audit_record(actor=user, verb="test.changed", subject=unit, data={"i": i, "名": "甲", "f": 1.5})
    access_log_record(actor=user, subject=unit, action="view", classification="secret")
    if link:
        chain_link_all()
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
    chain_link("access_log")
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
    # the archiving is itself in the security log: who ran it, the cut-off, each file and its checksum
    from office.security.models import SecurityEvent

    logged = SecurityEvent.objects.get(kind="audit_archived")
    assert logged.result == "success" and logged.actor_label.startswith("manage.py audit_archive")
    archived = {a["chain"]: a for a in logged.data["archived"]}
    assert archived["audit_event"]["rows"] == 3 and archived["audit_event"]["file"].endswith(files[0].name)
    assert archived["access_log"]["rows"] == 1 and len(archived["audit_event"]["sha256"]) == 64


def test_a_refused_archiving_is_logged_as_a_failure_with_its_reason(tmp_path):
    from datetime import timedelta

    from django.core.management.base import CommandError
    from django.utils import timezone

    from office.security.models import SecurityEvent

    _write(2)
    with pytest.raises(CommandError, match="至少保存180天"):
        call_command(
            "audit_archive", "--before", str(timezone.localdate() - timedelta(days=10)), "--to", str(tmp_path)
        )
    logged = SecurityEvent.objects.get(kind="audit_archived")
    assert logged.result == "failure" and "至少保存180天" in logged.data["refused"]
    assert AuditEvent.objects.count() == 2 and not list(tmp_path.iterdir())


@pytest.mark.postgres
def test_the_database_refuses_deleting_a_young_row_even_with_the_archiving_flag():
    from django.db import DatabaseError

    _write(1)
    row = AuditEvent.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT set_config('office.audit_archiving', 'on', true)")
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])


# --- linked after commit: audited writes never queue on the chain's head -------------------------------


def test_a_row_is_written_unlinked_and_the_chainer_links_it_in_id_order():
    _write(3, link=False)
    rows = list(AuditEvent.objects.order_by("id"))
    assert [(r.seq, r.prev_hash, r.row_hash) for r in rows] == [(None, "", "")] * 3
    assert not AuditChain.objects.filter(name="audit_event", rows__gt=0).exists()  # the head was not taken
    report = verify_chain("audit_event")
    assert report.ok and report.rows == 0 and report.pending == 3

    assert chain_link("audit_event") == 3
    rows = list(AuditEvent.objects.order_by("id"))
    head = AuditChain.objects.get(name="audit_event")
    assert [r.seq for r in rows] == [1, 2, 3] and rows[0].prev_hash == GENESIS
    assert (head.last_seq, head.last_id, head.last_hash, head.rows) == (3, rows[-1].pk, rows[-1].row_hash, 3)
    assert chain_link("audit_event") == 0  # nothing left: linking twice changes nothing
    report = verify_chain("audit_event")
    assert report.ok and report.rows == 3 and report.pending == 0


def test_a_row_that_commits_after_later_ids_were_linked_goes_after_them_and_verifies():
    """A transaction that took its id early and commits late: its row joins the chain where it is linked,
    so the chain's order (seq) is no longer the id order — and verification walks the chain's order."""
    user, unit = _write(2)
    top = AuditEvent.objects.order_by("-id").first().pk
    AuditEvent(id=top + 100, actor=user, verb="test.later_id", data={}).save(force_insert=True)
    chain_link("audit_event")
    AuditEvent(id=top + 50, actor=user, verb="test.earlier_id_committed_late", data={}).save(
        force_insert=True
    )
    chain_link("audit_event")
    by_seq = list(AuditEvent.objects.order_by("seq").values_list("id", flat=True))
    assert by_seq[-2:] == [top + 100, top + 50]
    assert by_seq != sorted(by_seq)
    assert verify_chain("audit_event").ok


def test_the_sweeper_links_what_was_written_since_its_last_sweep(settings):
    from office.clock.services.sweeper import clock_sweep_once

    settings.OFFICE_CLOCK_TICK_FANOUT = 0
    _write(2, link=False)
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 2
    clock_sweep_once()
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert not AccessLog.objects.filter(seq__isnull=True).exists()
    assert verify_chain("audit_event").ok and verify_chain("access_log").ok


def test_audit_verify_links_first_so_a_row_committed_a_moment_ago_is_checked(capsys):
    _write(2, link=False)
    call_command("audit_verify")
    assert "audit_event: 2 rows" in capsys.readouterr().out


@pytest.mark.postgres
def test_the_database_lets_through_only_the_link_of_an_unlinked_row():
    from django.db import DatabaseError

    _write(1, link=False)
    row = AuditEvent.objects.get()

    def refused(sql, params):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(sql, params)

    refused("UPDATE audit_auditevent SET verb = 'x' WHERE id = %s", [row.pk])  # content, unlinked
    refused("UPDATE audit_auditevent SET seq = 7, verb = 'x' WHERE id = %s", [row.pk])  # link + content
    chain_link_all()
    refused("UPDATE audit_auditevent SET seq = NULL, row_hash = '' WHERE id = %s", [row.pk])  # unlink
    refused("UPDATE audit_auditevent SET row_hash = %s WHERE id = %s", ["0" * 64, row.pk])  # re-link
    assert AccessLog.objects.filter(seq__isnull=False).exists()
    refused("UPDATE audit_accesslog SET seq = 99 WHERE seq IS NOT NULL", [])
    row.refresh_from_db()
    assert row.seq == 1 and verify_chain("audit_event").ok


@pytest.mark.postgres
def test_an_audited_write_does_not_wait_for_another_transaction_still_open(transactional_db):
    """Two services at once, each writing the trail in its own transaction: the second commits while the
    first is still open (before, it waited on the chain head's row lock until the first committed)."""
    import threading
    import time

    from django.db import connections

    user, unit = make_user(Role.DIRECTOR), UnitFactory()
    written, release, errors = threading.Event(), threading.Event(), []

    def slow_service():
        try:
            with transaction.atomic():
                audit_record(actor=user, verb="test.slow", subject=unit)
                written.set()
                release.wait(timeout=30)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    slow = threading.Thread(target=slow_service)
    slow.start()
    try:
        assert written.wait(timeout=30)
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '3s'")  # waiting would fail, not hang
            audit_record(actor=user, verb="test.quick", subject=unit)
        assert time.monotonic() - started < 2
        assert list(AuditEvent.objects.values_list("verb", flat=True)) == ["test.quick"]  # slow: not yet
        assert chain_link("audit_event") == 1  # the sweeper links what has committed
    finally:
        release.set()
        slow.join(timeout=30)
    assert not errors
    chain_link_all()
    # the slow one took the smaller id but committed later: it is linked after the quick one
    assert [e.verb for e in AuditEvent.objects.order_by("seq")] == ["test.quick", "test.slow"]
    assert [e.verb for e in AuditEvent.objects.order_by("id")] == ["test.slow", "test.quick"]
    assert verify_chain("audit_event").ok


def test_metrics_show_the_rows_waiting_to_be_linked(client):
    """What an operator watches: rows written and not linked yet (growing means the sweeper's link fails)."""
    from office.security.models import SecurityEvent

    _write(2, link=False)  # two audit rows, one access-log row, and the security log's rows of the set-up
    waiting = sum(m.objects.filter(seq__isnull=True).count() for m in (AuditEvent, AccessLog, SecurityEvent))
    assert waiting >= 3
    assert f"office_audit_rows_unlinked {waiting}.0" in client.get("/metrics").content.decode()
    chain_link_all()
    assert "office_audit_rows_unlinked 0.0" in client.get("/metrics").content.decode()


def test_each_apps_version_moves_with_its_own_commits_and_links_and_never_comes_back():
    """The pair (rows linked, rows not linked yet) of one app: a commit of that app moves it at once, the
    link moves it again, another app's writes leave it alone, and it never returns to a pair it had (a
    reader who finds the same pair twice knows nothing of that app was written in between)."""
    from office.audit.selectors import audit_app_versions

    user = make_user(Role.DIRECTOR)
    unit = UnitFactory()

    def write(verb):
        with transaction.atomic():
            audit_record(actor=user, verb=verb, subject=unit)

    chain_link("audit_event")
    seen = [audit_app_versions()]
    write("duty.report_received")
    seen.append(audit_app_versions())
    write("supervision.item_created")
    seen.append(audit_app_versions())
    chain_link("audit_event")
    seen.append(audit_app_versions())
    write("duty.report_followup")
    seen.append(audit_app_versions())

    duty = [v.get("duty", (0, 0)) for v in seen]
    supervision = [v.get("supervision", (0, 0)) for v in seen]
    assert duty == [(0, 0), (0, 1), (0, 1), (1, 0), (1, 1)]
    assert supervision == [(0, 0), (0, 0), (0, 1), (1, 0), (1, 0)]
    # the head's tallies are the rows linked per app, as counted from the rows themselves
    head = AuditChain.objects.get(name="audit_event")
    linked = {}
    for verb in AuditEvent.objects.filter(seq__isnull=False).values_list("verb", flat=True):
        linked[verb.partition(".")[0]] = linked.get(verb.partition(".")[0], 0) + 1
    assert head.tallies == linked and head.tallies["duty"] == 1 and head.tallies["supervision"] == 1


def test_a_row_of_an_app_committed_late_with_an_earlier_id_still_moves_that_apps_version():
    from office.audit.selectors import audit_app_versions

    user, unit = _write(2)
    top = AuditEvent.objects.order_by("-id").first().pk
    AuditEvent(id=top + 100, actor=user, verb="duty.later_id", data={}).save(force_insert=True)
    chain_link("audit_event")
    before = audit_app_versions()["duty"]
    AuditEvent(id=top + 50, actor=user, verb="duty.earlier_id_committed_late", data={}).save(
        force_insert=True
    )
    assert audit_app_versions()["duty"] == (before[0], before[1] + 1)
    chain_link("audit_event")
    assert audit_app_versions()["duty"] == (before[0] + 1, 0)


def test_the_migration_counts_the_rows_already_linked_per_app_and_leaves_the_unlinked_out():
    """0009 fills the head's tallies of a database that had linked rows before the tallies existed: what
    linking would have counted, per app; a row not linked yet is left for the linking that counts it."""
    from django.apps import apps as current_apps
    from django.db.migrations.executor import MigrationExecutor

    user = make_user(Role.DIRECTOR)
    unit = UnitFactory()
    for verb in ("duty.report_received", "duty.report_followup", "supervision.item_created"):
        with transaction.atomic():
            audit_record(actor=user, verb=verb, subject=unit)
    chain_link("audit_event")
    counted = AuditChain.objects.get(name="audit_event").tallies
    with transaction.atomic():
        audit_record(actor=user, verb="meetings.meeting_created", subject=unit)  # not linked yet
    AuditChain.objects.filter(name="audit_event").update(tallies={})  # as before the field existed

    migration = MigrationExecutor(connection).loader.get_migration("audit", "0009_chain_tallies_per_app")
    fill = next(op for op in migration.operations if op.__class__.__name__ == "RunPython").code
    fill(current_apps, None)

    tallies = AuditChain.objects.get(name="audit_event").tallies
    assert tallies == counted
    assert tallies["duty"] == 2 and tallies["supervision"] == 1 and "meetings" not in tallies
    chain_link("audit_event")  # linking goes on from the backfilled count
    assert AuditChain.objects.get(name="audit_event").tallies["meetings"] == 1
