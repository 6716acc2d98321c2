"""Retention of the security log (issue 17, 网络安全法 第二十一条): rows are kept at least 180 days;
``manage.py audit_archive`` moves older ones to a JSON-lines file (its SHA-256 and the last archived row's
hash recorded in ``AuditArchive``), deletes exactly those, refuses a cut-off inside the retention period,
and ``audit_verify`` still walks the security chain from where the archive ends."""

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from office.audit.chain import GENESIS, RetentionRefused, archive_chain_prefix, chain_link
from office.audit.models import AuditArchive
from office.security.chain import CHAIN, verify_security_chain
from office.security.models import EventKind, SecurityEvent
from office.security.services import security_event_record

pytestmark = pytest.mark.django_db


def _log(n: int, label: str) -> list[SecurityEvent]:
    """``n`` rows written, then linked as the sweeper links them within a tick (read back linked)."""
    rows = [security_event_record(EventKind.LOGIN_FAILED, actor_label=f"{label}-{i}") for i in range(n)]
    chain_link(CHAIN)
    return [SecurityEvent.objects.get(pk=row.pk) for row in rows]


def _log_days_ago(days: int, n: int, label: str) -> list[SecurityEvent]:
    with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
        return _log(n, label)


def _archive(days_ago: int, directory: Path) -> None:
    call_command(
        "audit_archive",
        "--before",
        str(timezone.localdate() - timedelta(days=days_ago)),
        "--to",
        str(directory),
    )


def _verify(capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        call_command("audit_verify")
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    out = capsys.readouterr()
    return code, out.out, out.err


def _logged():
    """The rows these tests wrote (each run of audit_archive adds its own row, tested in
    tests/office/test_audit_chain.py)."""
    return SecurityEvent.objects.exclude(kind="audit_archived")


def test_archiving_the_security_log_refuses_a_cut_off_inside_the_180_days(tmp_path):
    rows = _log_days_ago(179, 2, "recent")
    with pytest.raises(RetentionRefused, match="至少保存180天"):
        archive_chain_prefix(CHAIN, before=timezone.now() - timedelta(days=179), directory=tmp_path)
    with pytest.raises(CommandError, match="至少保存180天"):
        _archive(179, tmp_path)
    assert list(_logged().order_by("id").values_list("id", flat=True)) == [r.pk for r in rows]
    assert not AuditArchive.objects.filter(chain=CHAIN).exists()
    assert not list(tmp_path.iterdir())


def test_a_longer_retention_setting_refuses_older_cut_offs_and_a_shorter_one_cannot_go_under_180(
    tmp_path, settings
):
    _log_days_ago(300, 1, "old")
    settings.OFFICE_AUDIT_RETENTION_DAYS = 365
    with pytest.raises(RetentionRefused, match="至少保存365天"):
        archive_chain_prefix(CHAIN, before=timezone.now() - timedelta(days=200), directory=tmp_path)
    settings.OFFICE_AUDIT_RETENTION_DAYS = 30  # the law's minimum still holds
    with pytest.raises(RetentionRefused, match="至少保存180天"):
        archive_chain_prefix(CHAIN, before=timezone.now() - timedelta(days=100), directory=tmp_path)
    assert _logged().count() == 1


def test_security_rows_older_than_the_retention_period_go_to_a_file_and_audit_verify_still_passes(
    tmp_path, capsys
):
    old = _log_days_ago(200, 3, "old")
    young = _log(2, "young")
    _archive(190, tmp_path)

    # exactly the old rows are gone, the young ones stay
    assert list(_logged().order_by("id").values_list("id", flat=True)) == [r.pk for r in young]
    files = list(tmp_path.glob(f"{CHAIN}-*.jsonl"))
    assert len(files) == 1
    lines = files[0].read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [r.pk for r in old]
    assert [r["seq"] for r in records] == [r.seq for r in old]
    assert records[0]["prev_hash"] == GENESIS and records[-1]["row_hash"] == old[-1].row_hash
    assert "old-0" in records[0]["content"]

    archive = AuditArchive.objects.get(chain=CHAIN)
    assert (archive.first_id, archive.last_id, archive.last_seq, archive.rows) == (
        old[0].pk,
        old[-1].pk,
        old[-1].seq,
        3,
    )
    assert archive.last_hash == old[-1].row_hash == young[0].prev_hash
    assert archive.file_sha256 == hashlib.sha256(files[0].read_bytes()).hexdigest()

    code, out, err = _verify(capsys)
    assert code == 0, err
    # the young rows and the archiving's own row, linked after them
    logged = SecurityEvent.objects.get(kind="audit_archived")
    assert logged.prev_hash == young[-1].row_hash
    assert f"{CHAIN}: 3 rows, head {logged.row_hash}" in out
    # the chain goes on after the archive
    more = _log(1, "after")
    assert more[0].prev_hash == logged.row_hash and verify_security_chain().ok


def test_a_second_archive_resumes_where_the_first_ended(tmp_path, capsys):
    _log_days_ago(260, 2, "older")
    middle = _log_days_ago(200, 2, "old")
    young = _log(1, "young")
    _archive(250, tmp_path)
    _archive(190, tmp_path)
    assert list(_logged().values_list("id", flat=True)) == [young[0].pk]
    archives = list(AuditArchive.objects.filter(chain=CHAIN).order_by("last_seq"))
    assert [a.rows for a in archives] == [2, 2]
    assert archives[1].first_prev_hash == archives[0].last_hash
    assert archives[1].last_hash == middle[-1].row_hash
    code, _out, err = _verify(capsys)
    assert code == 0, err


def test_a_row_deleted_behind_the_archive_s_back_is_still_found(tmp_path, capsys):
    _log_days_ago(200, 2, "old")
    young = _log(3, "young")
    _archive(190, tmp_path)
    # the first row after the archive is where verification resumes: removing it breaks the link
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if postgres:  # what someone with the database's superuser rights would do: triggers off
            cur.execute("SET session_replication_role = replica")
        cur.execute("DELETE FROM security_securityevent WHERE id = %s", [young[0].pk])
        if postgres:
            cur.execute("SET session_replication_role = origin")
    code, _out, err = _verify(capsys)
    assert code == 1
    assert f"{CHAIN} id={young[1].pk}" in err


def test_nothing_to_archive_when_no_row_is_old_enough_or_the_log_is_empty(tmp_path, capsys):
    assert (
        archive_chain_prefix(CHAIN, before=timezone.now() - timedelta(days=190), directory=tmp_path) is None
    )
    _log(1, "young")
    _archive(190, tmp_path)
    assert f"{CHAIN}: nothing older than" in capsys.readouterr().out
    assert _logged().count() == 1 and not AuditArchive.objects.exists()


@pytest.mark.postgres
def test_the_archive_deletes_old_security_rows_through_the_postgresql_trigger(tmp_path, capsys):
    test_security_rows_older_than_the_retention_period_go_to_a_file_and_audit_verify_still_passes(
        tmp_path, capsys
    )


@pytest.mark.postgres
def test_postgresql_refuses_deleting_a_young_security_row_even_with_the_archiving_flag():
    from django.db import DatabaseError

    row = _log_days_ago(179, 1, "recent")[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT set_config('office.audit_archiving', 'on', true)")
        cur.execute("DELETE FROM security_securityevent WHERE id = %s", [row.pk])
    assert SecurityEvent.objects.filter(pk=row.pk).exists()


@pytest.mark.postgres
def test_postgresql_refuses_deleting_an_old_security_row_without_the_archiving_flag():
    from django.db import DatabaseError

    row = _log_days_ago(200, 1, "old")[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM security_securityevent WHERE id = %s", [row.pk])
    assert SecurityEvent.objects.filter(pk=row.pk).exists()


def test_audit_verify_re_reads_the_archive_files_and_finds_one_changed(tmp_path, capsys):
    # the archive's checksum is recorded; a file edited afterwards (a line's content changed, its
    # checksum recomputed by nobody) makes audit_verify fail naming the file
    _log_days_ago(200, 3, "old")
    _log(1, "young")
    _archive(190, tmp_path)
    archive = AuditArchive.objects.get(chain=CHAIN)
    code, out, err = _verify(capsys)
    assert code == 0, err
    assert f"archive {archive.file_name}: 3 rows intact" in out
    path = Path(archive.file_name)
    path.write_text(path.read_text(encoding="utf-8").replace("old-1", "old-X"), encoding="utf-8")
    code, _out, err = _verify(capsys)
    assert code == 1
    assert archive.file_name in err and "校验值与记录不符" in err


def test_an_archive_file_rewritten_with_a_fresh_checksum_is_still_found_by_its_hashes(tmp_path, capsys):
    # someone who also updates the recorded checksum is caught by the chain inside the file
    _log_days_ago(200, 3, "old")
    _archive(190, tmp_path)
    archive = AuditArchive.objects.get(chain=CHAIN)
    path = Path(archive.file_name)
    path.write_text(path.read_text(encoding="utf-8").replace("old-1", "old-X"), encoding="utf-8")
    AuditArchive.objects.filter(pk=archive.pk).update(
        file_sha256=hashlib.sha256(path.read_bytes()).hexdigest()
    )
    code, _out, err = _verify(capsys)
    assert code == 1 and "内容与其哈希不符" in err


def test_an_archive_moved_off_site_is_named_but_does_not_fail_the_check(tmp_path, capsys):
    _log_days_ago(200, 2, "old")
    _archive(190, tmp_path)
    archive = AuditArchive.objects.get(chain=CHAIN)
    Path(archive.file_name).unlink()
    code, out, err = _verify(capsys)
    assert code == 0, err
    assert "not on this machine" in out
