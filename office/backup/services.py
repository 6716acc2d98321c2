"""Backup and restore of the whole office: the database, the uploaded files, and a manifest.

``backup_create`` writes one folder ``office-backup-<YYYYmmdd-HHMMSS>/`` holding
- the database: SQLite's online backup API (a consistent copy while the office runs) on the embedded
  default, ``pg_dump`` in custom format on PostgreSQL, taken in the same snapshot as the row counts;
- ``files.tar``: the uploaded files (MEDIA_ROOT);
- ``manifest.json``: time, database vendor, row counts per table, the audit chains' head hashes and a
  SHA-256 of every file. With ``OFFICE_BACKUP_KEY`` set (32 bytes, base64) each file is encrypted
  with AES-256-GCM before it is written (the manifest's checksums are of the encrypted files).

``backup_restore`` refuses a backup whose checksums fail, then rebuilds the database (replacing the
SQLite file, or ``pg_restore --clean`` into the configured PostgreSQL database) and the file store.
Timers are rows of the database: a deadline that fell due while the office was down fires once, at
the first sweep after the restore.

Rotation keeps the newest ``OFFICE_BACKUP_KEEP_DAILY`` (14) backups of distinct days and the newest
``OFFICE_BACKUP_KEEP_WEEKLY`` (8) of distinct ISO weeks; the rest are removed.
"""

import base64
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from office.conf import office_setting

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(RuntimeError):
    pass


def backup_dir() -> Path:
    return Path(office_setting("OFFICE_BACKUP_DIR", str(settings.VAR_DIR / "backups")))


def _key() -> bytes | None:
    raw = office_setting("OFFICE_BACKUP_KEY", "") or ""
    if not raw:
        return None
    key = base64.b64decode(raw)
    if len(key) != 32:
        raise BackupError("OFFICE_BACKUP_KEY 应为 32 字节密钥的 base64 编码（AES-256）。")
    return key


def _seal(data: bytes, key: bytes | None) -> bytes:
    if key is None:
        return data
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    return b"OFFICEAES1" + nonce + AESGCM(key).encrypt(nonce, data, None)


def _open(data: bytes, key: bytes | None) -> bytes:
    if not data.startswith(b"OFFICEAES1"):
        return data
    if key is None:
        raise BackupError("备份已加密：请设置 OFFICE_BACKUP_KEY 后再恢复。")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce, body = data[10:22], data[22:]
    try:
        return AESGCM(key).decrypt(nonce, body, None)
    except InvalidTag as exc:
        raise BackupError("备份解密失败：密钥不对或文件被改动。") from exc


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed})


def _row_counts(cursor) -> dict[str, int]:
    existing = set(connection.introspection.table_names(cursor))
    counts = {}
    for table in _tables():
        if table in existing:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def _chain_heads(cursor) -> dict[str, str]:
    try:
        cursor.execute("SELECT name, last_hash FROM audit_auditchain")
        return {name: head for name, head in cursor.fetchall()}
    except Exception:
        return {}


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args() -> list[str]:
    db = settings.DATABASES["default"]
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def _dump_database(work: Path) -> tuple[str, dict, dict]:
    """The database into ``work``: (file name, row counts, chain heads), all of one consistent moment."""
    vendor = connection.vendor
    if vendor == "sqlite":
        target = work / "db.sqlite3"
        source_path = settings.DATABASES["default"]["NAME"]
        src = sqlite3.connect(str(source_path))
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)  # the online backup API: a consistent copy while others write
        finally:
            src.close()
        cur = dst.cursor()
        existing = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {
            t: cur.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _tables() if t in existing
        }
        heads = (
            dict(cur.execute("SELECT name, last_hash FROM audit_auditchain").fetchall())
            if ("audit_auditchain" in existing)
            else {}
        )
        dst.close()
        return target.name, counts, heads
    if vendor == "postgresql":
        target = work / "db.pgdump"
        # One snapshot for the dump, the counts and the chain heads.
        with transaction.atomic(), connection.cursor() as pgcur:
            pgcur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            pgcur.execute("SELECT pg_export_snapshot()")
            snapshot = pgcur.fetchone()[0]
            name = settings.DATABASES["default"]["NAME"]
            proc = subprocess.run(
                ["pg_dump", *_pg_args(), "-Fc", f"--snapshot={snapshot}", "-f", str(target), name],
                env=_pg_env(),
                capture_output=True,
                text=True,
                timeout=3600,
            )
            if proc.returncode != 0:
                raise BackupError(f"pg_dump 失败：{proc.stderr.strip()[:500]}")
            counts = _row_counts(pgcur)
            heads = _chain_heads(pgcur)
        return target.name, counts, heads
    raise BackupError(f"不支持的数据库：{vendor}")


def _tar_files(work: Path) -> str:
    target = work / "files.tar"
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w") as tar:
        if media.exists():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(media)))
    return target.name


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def backup_create(*, directory: Path | None = None) -> BackupResult:
    directory = Path(directory or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = directory / f"office-backup-{stamp}"
    key = _key()
    work = Path(tempfile.mkdtemp(dir=directory, prefix=".incomplete-"))
    try:
        from office.audit.chain import chain_link_all

        chain_link_all()  # the heads the manifest records cover every audit row written so far
        db_file, counts, heads = _dump_database(work)
        files_tar = _tar_files(work)
        checksums = {}
        for name in (db_file, files_tar):
            path = work / name
            if key is not None:
                path.write_bytes(_seal(path.read_bytes(), key))
            checksums[name] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database_file": db_file,
            "files_archive": files_tar,
            "encrypted": key is not None,
            "row_counts": counts,
            "audit_chain_heads": heads,
            "checksums": checksums,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(work, final)  # a backup folder exists only once it is complete
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupResult(final, manifest)


def backup_verify(path: Path) -> dict:
    """The manifest of the backup at ``path`` once every checksum matches; else BackupError."""
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"不是有效的备份（缺少或无法读取 {MANIFEST}）：{path}") from exc
    for name, expected in manifest.get("checksums", {}).items():
        file = path / name
        if not file.exists():
            raise BackupError(f"备份缺少文件：{name}")
        if _sha256(file) != expected:
            raise BackupError(f"备份文件校验失败：{name}（文件已损坏或被改动），拒绝恢复。")
    return manifest


def backup_restore(path: Path) -> dict:
    """Rebuild the database and the file store from the backup at ``path`` (checksums checked first)."""
    path = Path(path)
    manifest = backup_verify(path)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"备份来自 {manifest['vendor']}，当前数据库是 {connection.vendor}。")
    key = _key()
    db_bytes = _open((path / manifest["database_file"]).read_bytes(), key)
    files_bytes = _open((path / manifest["files_archive"]).read_bytes(), key)
    connections.close_all()
    if connection.vendor == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        tmp = target.with_suffix(".restoring")
        tmp.write_bytes(db_bytes)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        os.replace(tmp, target)
    else:
        with tempfile.NamedTemporaryFile(suffix=".pgdump") as dump:
            dump.write(db_bytes)
            dump.flush()
            name = settings.DATABASES["default"]["NAME"]
            proc = subprocess.run(
                ["pg_restore", *_pg_args(), "--clean", "--if-exists", "--no-owner", "-d", name, dump.name],
                env=_pg_env(),
                capture_output=True,
                text=True,
                timeout=3600,
            )
            if proc.returncode != 0:
                raise BackupError(f"pg_restore 失败：{proc.stderr.strip()[:500]}")
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(files_bytes), mode="r") as tar:
        tar.extractall(media, filter="data")
    return manifest


def backup_rotate(*, directory: Path | None = None) -> list[Path]:
    """Remove backups beyond the newest per day (``OFFICE_BACKUP_KEEP_DAILY``) and per ISO week
    (``OFFICE_BACKUP_KEEP_WEEKLY``); returns what was removed."""
    import datetime as dt

    directory = Path(directory or backup_dir())
    daily = int(office_setting("OFFICE_BACKUP_KEEP_DAILY", 14))
    weekly = int(office_setting("OFFICE_BACKUP_KEEP_WEEKLY", 8))
    backups = sorted((p for p in directory.glob("office-backup-*") if (p / MANIFEST).exists()), reverse=True)
    keep: set[Path] = set()
    days: set = set()
    weeks: set = set()
    for p in backups:
        when = dt.datetime.strptime(p.name.removeprefix("office-backup-"), "%Y%m%d-%H%M%S")
        day, week = when.date(), when.isocalendar()[:2]
        if day not in days and len(days) < daily:
            days.add(day)
            keep.add(p)
        if week not in weeks and len(weeks) < weekly:
            weeks.add(week)
            keep.add(p)
    removed = [p for p in backups if p not in keep]
    for p in removed:
        shutil.rmtree(p)
    return removed
