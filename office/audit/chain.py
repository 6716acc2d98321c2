"""The tamper-evident chains of the audit trail, the classified-access log and the security log.

Each row carries ``seq`` (its place in its log), ``prev_hash`` (the hash of the row before it in the
same log) and ``row_hash`` = SHA-256(prev_hash ‖ the row's canonical content). The head of each chain
(``AuditChain``: the last linked row's id, seq and hash, and the row count) says where the next row links.

**Rows are linked after they commit, not while they are written.** ``audit_record`` (and the access and
security logs) insert a row with no link and take no shared lock, so audited transactions never queue on
one row of the whole office: on the typhoon night every report, follow-up and alarm used to wait for the
head's row lock from its first audit row to its commit, and a starved machine turned that queue into
alarms minutes late. ``chain_link`` links the committed rows that are still unlinked, in id order, under
the head's row lock in one short transaction of its own, giving each the next ``seq``: the chain is the
order of linking, and a row that commits late (a smaller id than rows already linked) simply gets a later
``seq``. The clock's sweeper links every chain after each sweep (office/clock/services/sweeper.py), so a
row is unlinked for at most one tick interval; ``audit_verify``, the archive and the backup link first.
On PostgreSQL the append-only triggers let exactly this through: an UPDATE of a row whose ``seq`` is
NULL that sets ``seq`` and the two hashes and changes nothing else.

The business audit's head also keeps ``tallies``: the rows linked so far per app (the verb's part before
its first dot). With the rows of each app not linked yet (``office.audit.selectors.audit_app_versions``)
they tell a reader whether anything of one app was written since he last looked, whatever the other apps
wrote meanwhile: the director's dashboard keeps each app's part while that pair stands still.

``audit_verify`` (``manage.py audit_verify``) walks each chain in ``seq`` order and recomputes every hash:
a row changed after the fact (an UPDATE with the PostgreSQL trigger dropped, or any write on SQLite),
a row deleted, or a row inserted by hand without rebuilding the rest is found, and the first such row
is named. The head hash is also written into every backup manifest, so a chain rebuilt from the start
by someone with database access no longer matches what the backups recorded. What the chain cannot
see: a row deleted behind the application's back in the interval before it was linked (the trigger
refuses that deletion on PostgreSQL).

Every chain is named in ``REGISTRY`` (its model, its content function); linking, verifying and archiving
are the same code for each. The security log's content is defined beside it (office/security/chain.py).
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import AuditArchive

GENESIS = "0" * 64
# The business audit's chains (audit_verify's total counts these); every chain the office keeps is in
# REGISTRY below.
CHAINS = ("audit_event", "access_log")


def _canonical_json(value) -> str:
    # Through the encoder and back, so the digest at insert equals the digest of what the database returns.
    plain = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _timestamp(value) -> str:
    from datetime import UTC

    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value else ""


def audit_event_content(row) -> str:
    fields = [
        "audit_event",
        _timestamp(row.created_at),
        str(row.actor_id or ""),
        row.actor_label,
        row.verb,
        str(row.subject_type_id or ""),
        row.subject_id,
        row.subject_repr,
        _canonical_json(row.data or {}),
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def access_log_content(row) -> str:
    fields = [
        "access_log",
        _timestamp(row.created_at),
        str(row.actor_id or ""),
        row.actor_label,
        row.action,
        str(row.subject_type_id or ""),
        row.subject_id,
        row.subject_repr,
        row.classification,
        str(row.ip or ""),
        row.user_agent,
        row.path,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class ChainSpec:
    """One hash chain: the model of its rows ("app_label.Model") and the function giving a row's hashed
    content (dotted path). Both by name, resolved on use: this module is imported before the apps are
    ready (by models' ``save``), and the security log's chain lives in an app that depends on this one."""

    model: str
    content: str


REGISTRY: dict[str, ChainSpec] = {
    "audit_event": ChainSpec("audit.AuditEvent", "office.audit.chain.audit_event_content"),
    "access_log": ChainSpec("audit.AccessLog", "office.audit.chain.access_log_content"),
    "security_event": ChainSpec("security.SecurityEvent", "office.security.chain.content_of"),
}


@cache
def _content_function(name: str) -> Callable[[object], str]:
    try:
        spec = REGISTRY[name]
    except KeyError:  # pragma: no cover - a programming error
        raise ValueError(f"no such chain: {name!r}") from None
    return import_string(spec.content)


def model_of(name: str) -> Any:  # a ChainedRow subclass with a created_at; typed loosely, found by name
    from django.apps import apps

    return apps.get_model(REGISTRY[name].model)


def content_of(row, name: str) -> str:
    """The row's fields that the hash covers, in a fixed order (its id excluded: the chain orders it).
    ``name`` is the chain (a key of ``REGISTRY``); rows of migrations' historical models work too."""
    return _content_function(name)(row)


def digest(prev_hash: str, row, name: str) -> str:
    return hashlib.sha256((prev_hash + content_of(row, name)).encode("utf-8")).hexdigest()


def chain_name(row) -> str:
    label = row._meta.label
    return next(name for name, spec in REGISTRY.items() if spec.model == label)


LINK_BATCH = 500


def verb_app(verb: str) -> str:
    """The app a verb belongs to: the part before its first dot ("duty.report_received" → "duty")."""
    return verb.partition(".")[0]


def tallied(tallies: dict | None, verbs) -> dict[str, int]:
    """``tallies`` (rows linked per app) with the rows of ``verbs`` added."""
    out = dict(tallies or {})
    for verb in verbs:
        app = verb_app(verb)
        out[app] = out.get(app, 0) + 1
    return out


def chain_link(name: str, *, batch: int = LINK_BATCH) -> int:
    """Link the committed, still unlinked rows of chain ``name`` onto it, in id order, ``batch`` rows per
    short transaction under the head's row lock; returns how many were linked. Safe to run from several
    processes at once (the head's lock serialises them; each links what the other left)."""
    from .models import AuditChain

    model = model_of(name)
    if not model._default_manager.filter(seq__isnull=True).exists():  # the usual case: one indexed look
        return 0
    linked = 0
    while True:
        with transaction.atomic():
            AuditChain.objects.get_or_create(name=name, defaults={"last_hash": GENESIS})
            head = AuditChain.objects.select_for_update().get(name=name)
            rows = list(model._default_manager.filter(seq__isnull=True).order_by("id")[:batch])
            if not rows:
                return linked
            prev, seq = head.last_hash, head.last_seq
            for row in rows:
                seq += 1
                row.seq, row.prev_hash, row.row_hash = seq, prev, digest(prev, row, name)
                prev = row.row_hash
            model._default_manager.bulk_update(rows, ["seq", "prev_hash", "row_hash"], batch_size=100)
            extra = (
                {"tallies": tallied(head.tallies, (r.verb for r in rows))} if name == "audit_event" else {}
            )
            AuditChain.objects.filter(name=name).update(
                last_id=rows[-1].pk, last_seq=seq, last_hash=prev, rows=models.F("rows") + len(rows), **extra
            )
        linked += len(rows)
        if len(rows) < batch:
            return linked


def chain_link_all() -> dict[str, int]:
    """Link every chain of ``REGISTRY`` (the sweeper after each sweep; verify, archive and backup first)."""
    return {name: chain_link(name) for name in REGISTRY}


def chain_pending(name: str) -> int:
    """Rows of chain ``name`` written but not linked yet (at most one tick's worth while a sweeper runs)."""
    return model_of(name)._default_manager.filter(seq__isnull=True).count()


@dataclass
class ChainReport:
    name: str
    rows: int
    head: str
    first_bad_id: int | None = None
    problem: str = ""
    pending: int = 0  # rows not linked yet (written since the last link): not checked, not a fault

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.problem


def _rows(model) -> Iterator:
    return model._default_manager.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)


def verify_chain(name: str) -> ChainReport:
    """Walk one chain in link (``seq``) order and recompute every hash; stop at the first row that does not
    match. Rows not linked yet are counted in ``pending``, not checked (``chain_link`` first to check them)."""
    from .models import AuditArchive, AuditChain

    model = model_of(name)
    prev = GENESIS
    archived = AuditArchive.objects.filter(chain=name).order_by("-last_seq").first()
    if archived is not None:  # the older rows are in an archive file: the table resumes after its last row
        prev = archived.last_hash
    count = 0
    # with every row archived, the head still names the last archived row
    last_id = archived.last_id if archived is not None else None
    for row in _rows(model):
        if row.prev_hash != prev:
            return ChainReport(name, count, prev, row.pk, "上一条记录的哈希不符（记录被删除、插入或重排）")
        if row.row_hash != digest(prev, row, name):
            return ChainReport(name, count, prev, row.pk, "记录内容与其哈希不符（记录被修改）")
        prev = row.row_hash
        last_id = row.pk
        count += 1
    head = AuditChain.objects.filter(name=name).first()
    if head is not None and (
        head.last_hash != prev or head.rows != count or (head.last_id or None) != last_id
    ):
        return ChainReport(name, count, prev, None, "链头与最后一条记录不符（末尾记录被删除或链被重建）")
    return ChainReport(name, count, prev, pending=chain_pending(name))


def chain_heads() -> dict[str, str]:
    """The head hash of each chain (written into backup manifests)."""
    from .models import AuditChain

    heads = dict.fromkeys(CHAINS, GENESIS)
    heads.update(dict(AuditChain.objects.values_list("name", "last_hash")))
    return heads


def rebuild_chain(model, name: str, chain_model) -> int:
    """Link every row of ``model`` in id order (used once, by the migration that added the chain)."""
    prev = GENESIS
    count = 0
    last_id = None
    for row in model.objects.order_by("id").iterator(chunk_size=2000):
        row_hash = digest(prev, row, name)
        model.objects.filter(pk=row.pk).update(prev_hash=prev, row_hash=row_hash)
        prev, last_id, count = row_hash, row.pk, count + 1
    chain_model.objects.update_or_create(
        name=name, defaults={"last_id": last_id, "last_hash": prev, "rows": count}
    )
    return count


def retention_days() -> int:
    """OFFICE_AUDIT_RETENTION_DAYS (default 180): never less than 180 (网络安全法 第二十一条: 不少于六个月)."""
    from office.conf import office_setting

    return max(MIN_RETENTION_DAYS, int(office_setting("OFFICE_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)))


MIN_RETENTION_DAYS = 180


class RetentionRefused(ValueError):
    pass


def archive_chain_prefix(name: str, *, before, directory) -> "AuditArchive | None":
    """Move the rows of chain ``name`` created before ``before`` (a prefix of the chain, in seq order) to a
    JSON-lines file in ``directory`` and delete them; record an ``AuditArchive`` with the file's checksum
    and the last archived row's hash (where the chain in the table now resumes). Refuses a cut-off inside
    the retention period; the database refuses it too (each log's PostgreSQL trigger lets a deletion
    through only under ``office.audit_archiving`` and only of rows older than 180 days). Any chain of
    ``REGISTRY``; ``None`` when it has no row older than the cut-off."""
    from datetime import timedelta
    from pathlib import Path

    from django.utils import timezone

    from .models import AuditArchive, AuditChain

    limit = timezone.now() - timedelta(days=retention_days())
    if before > limit:
        raise RetentionRefused(
            f"审计记录至少保存{retention_days()}天：只能归档{timezone.localtime(limit):%Y-%m-%d %H:%M}以前的记录。"
        )
    model = model_of(name)
    chain_link(name)  # the prefix is of the chain: rows written and not yet linked are linked first
    with transaction.atomic():
        head = AuditChain.objects.select_for_update().filter(name=name).first()
        if head is None:  # no row was ever written to this chain
            return None
        rows = []
        for row in _rows(model):
            if row.created_at >= before:
                break
            rows.append(row)
        if not rows:
            return None
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
        path = directory / f"{name}-{rows[0].pk}-{rows[-1].pk}-{stamp}.jsonl"
        sha = hashlib.sha256()
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                line = json.dumps(
                    {
                        "id": row.pk,
                        "seq": row.seq,
                        "prev_hash": row.prev_hash,
                        "row_hash": row.row_hash,
                        "content": content_of(row, name),
                    },
                    ensure_ascii=False,
                )
                out.write(line + "\n")
                sha.update((line + "\n").encode("utf-8"))
        archive = AuditArchive.objects.create(
            chain=name,
            first_id=rows[0].pk,
            last_id=rows[-1].pk,
            last_seq=rows[-1].seq,
            rows=len(rows),
            first_prev_hash=rows[0].prev_hash,
            last_hash=rows[-1].row_hash,
            cutoff=before,
            file_name=str(path),
            file_sha256=sha.hexdigest(),
        )
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT set_config('office.audit_archiving', 'on', true)")
        model._default_manager.filter(seq__lte=rows[-1].seq)._raw_delete(model._default_manager.db)
        AuditChain.objects.filter(pk=head.pk).update(rows=models.F("rows") - len(rows))
        return archive


@dataclass
class ArchiveReport:
    chain: str
    file_name: str
    rows: int
    problem: str = ""  # empty: the file is intact and links to the chain
    missing: bool = False  # moved off-site: nothing to check here

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_archives() -> list[ArchiveReport]:
    """Re-read every archive file still on this machine: its SHA-256 must be the one recorded, each line
    must hash to its ``row_hash`` and link to the line before, the first to the previous archive's last
    hash (or the genesis), the last to the hash where the table resumes. A file moved off-site is
    reported as missing, not as broken."""
    from pathlib import Path

    from .models import AuditArchive

    reports: list[ArchiveReport] = []
    previous: dict[str, str] = {}
    for archive in AuditArchive.objects.order_by("chain", "last_seq"):
        name = archive.chain
        expected_prev = previous.get(name, GENESIS)
        previous[name] = archive.last_hash
        path = Path(archive.file_name)
        if not path.exists():
            reports.append(ArchiveReport(name, archive.file_name, archive.rows, missing=True))
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != archive.file_sha256:
            reports.append(
                ArchiveReport(
                    name, archive.file_name, archive.rows, "归档文件的校验值与记录不符（文件被修改）"
                )
            )
            continue
        prev, count, problem = archive.first_prev_hash, 0, ""
        if prev != expected_prev:
            problem = "归档文件与上一份归档不衔接（中间的记录缺失）"
        for line in data.decode("utf-8").splitlines():
            if problem:
                break
            row = json.loads(line)
            if row["prev_hash"] != prev:
                problem = f"归档记录 id={row['id']} 的上一条哈希不符"
            elif row["row_hash"] != hashlib.sha256((prev + row["content"]).encode("utf-8")).hexdigest():
                problem = f"归档记录 id={row['id']} 的内容与其哈希不符"
            prev = row["row_hash"]
            count += 1
        if not problem and (prev != archive.last_hash or count != archive.rows):
            problem = "归档文件的末尾哈希或行数与记录不符"
        reports.append(ArchiveReport(name, archive.file_name, count, problem))
    return reports
