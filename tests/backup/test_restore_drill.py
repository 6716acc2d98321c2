"""The restore drill (等保 数据备份恢复): back up a working office, wipe it, restore it, and find the same
row counts, the same files, the audit chain verifying, and a deadline that fell due while the office
was down firing exactly once. Each step runs ``manage.py`` in a subprocess, as an operator would, on a
file-backed SQLite database and on a scratch PostgreSQL database."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

POPULATE = r"""
from datetime import timedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from office.audit.services import audit_record
from office.clock.models import ClockState
from office.clock.services import timer_schedule
from office.org.models import Unit, UnitKind

unit = Unit.objects.create(code="drill", name="演练单位", kind=UnitKind.DEPARTMENT)
with transaction.atomic():
    for i in range(20):
        audit_record(actor=None, actor_label="演练", verb="drill.step", subject=unit, data={"i": i})
    state, _ = ClockState.objects.get_or_create(pk=1)
    timer_schedule(subject=state, kind="clock.probe", step=424242, due_at=timezone.now() + timedelta(seconds=1))
default_storage.save("drill/现场照片.txt", ContentFile("现场情况".encode()))
"""

CHECK_TIMER = r"""
from office.clock.models import Timer
t = Timer.objects.get(kind="clock.probe", step=424242)
print(f"fired={t.fired_at is not None} attempts={t.attempts}")
"""


def _manage(env, *args, input_text=None):
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        input=input_text,
    )
    assert proc.returncode == 0, f"manage.py {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _drill(env, wipe, tmp_path):
    backups = tmp_path / "backups"
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "shell", "-c", POPULATE)
    _manage(env, "backup", "--to", str(backups))
    [backup] = sorted(backups.glob("office-backup-*"))
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["row_counts"]["audit_auditevent"] >= 20
    assert manifest["audit_chain_heads"]["audit_event"] != "0" * 64

    # A tampered backup is refused.
    broken = tmp_path / "broken"
    shutil.copytree(backup, broken)
    with (broken / manifest["files_archive"]).open("ab") as f:
        f.write(b"x")
    proc = subprocess.run(
        [sys.executable, "manage.py", "restore", str(broken), "--yes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0 and "校验失败" in proc.stderr

    wipe()  # the office is gone: database and files
    media = Path(env["MEDIA_ROOT"])
    shutil.rmtree(media, ignore_errors=True)

    out = _manage(env, "restore", str(backup), "--yes")
    assert "audit verified rows=" in out
    counts = json.loads(
        _manage(
            env,
            "shell",
            "-c",
            "import json\nfrom django.db import connection\nfrom office.backup.services import _row_counts\n"
            "print(json.dumps(_row_counts(connection.cursor())))",
        )
        .strip()
        .splitlines()[-1]
    )
    assert counts == manifest["row_counts"]
    assert (media / "drill" / "现场照片.txt").read_text(encoding="utf-8") == "现场情况"
    # The deadline fell due while the office was down: the first sweep fires it, the second does not again.
    _manage(env, "clock_sweeper", "--once")
    _manage(env, "clock_sweeper", "--once")
    assert "fired=True attempts=1" in _manage(env, "shell", "-c", CHECK_TIMER)


def _env(tmp_path, **extra):
    env = {
        **os.environ,
        "OFFICE_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_BROKER_URL": "filesystem://",
        "OFFICE_CLOCK_FAST_PATH_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def test_restore_drill_on_sqlite(tmp_path):
    env = _env(tmp_path)
    db = tmp_path / "var" / "office.sqlite3"

    def wipe():
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)

    _drill(env, wipe, tmp_path)


@pytest.mark.postgres
def test_restore_drill_on_postgresql(tmp_path):
    from django.conf import settings

    db = settings.DATABASES["default"]
    host, port, user = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432, db.get("USER") or "postgres"
    name = f"office_drill_{os.getpid()}"
    psql = [
        "psql",
        "-h",
        str(host),
        "-p",
        str(port),
        "-U",
        user,
        "-d",
        "postgres",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
    ]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}"'], check=True, capture_output=True)
    subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    env = _env(tmp_path, DATABASE_URL=f"postgres://{user}@{host}:{port}/{name}")

    def wipe():
        subprocess.run([*psql, f'DROP DATABASE "{name}" WITH (FORCE)'], check=True, capture_output=True)
        subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True, capture_output=True)

    try:
        _drill(env, wipe, tmp_path)
    finally:
        subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], capture_output=True)
