"""The tamper-evident chain of the audit trail and the classified-access log.

Each row carries ``prev_hash`` (the previous row's hash in the same log) and ``row_hash`` =
SHA-256(prev_hash ‖ the row's canonical content). The head of each chain (``AuditChain``: the last
row's id and hash, and the row count) is updated in the same transaction as the insert, under a row
lock, so two transactions never chain onto the same predecessor: the chain is the commit order.

``audit_verify`` (``manage.py audit_verify``) walks each chain in id order and recomputes every hash:
a row changed after the fact (an UPDATE with the PostgreSQL trigger dropped, or any write on SQLite),
a row deleted, or a row inserted by hand without rebuilding the rest is found, and the first such row
is named. The head hash is also written into every backup manifest, so a chain rebuilt from the start
by someone with database access no longer matches what the backups recorded.

The cost: audited transactions queue on the head row from their first audit row to their commit
(short: services write the trail at their end). That is the price of an order nobody can dispute.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

GENESIS = "0" * 64
CHAINS = ("audit_event", "access_log")


def _canonical_json(value) -> str:
    # Through the encoder and back, so the digest at insert equals the digest of what the database returns.
    plain = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _timestamp(value) -> str:
    from datetime import UTC

    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value else ""


def content_of(row, name: str) -> str:
    """The row's fields that the hash covers, in a fixed order (its id excluded: the chain orders it).
    ``name`` is the chain ("audit_event" or "access_log"); rows of migrations' historical models work too."""
    if name == "audit_event":
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
    elif name == "access_log":
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
    else:  # pragma: no cover - a programming error
        raise ValueError(f"no such chain: {name!r}")
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def digest(prev_hash: str, row, name: str) -> str:
    return hashlib.sha256((prev_hash + content_of(row, name)).encode("utf-8")).hexdigest()


def chain_name(row) -> str:
    from .models import AuditEvent

    return "audit_event" if isinstance(row, AuditEvent) else "access_log"


def chain_insert(row, save) -> None:
    """Link ``row`` onto its chain and insert it with ``save()`` — all under the head's row lock."""
    from .models import AuditChain

    with transaction.atomic():
        name = chain_name(row)
        AuditChain.objects.get_or_create(name=name, defaults={"last_hash": GENESIS})
        head = AuditChain.objects.select_for_update().get(name=name)
        row.prev_hash = head.last_hash
        row.row_hash = digest(head.last_hash, row, name)
        save()
        AuditChain.objects.filter(name=name).update(
            last_id=row.pk, last_hash=row.row_hash, rows=models.F("rows") + 1
        )


@dataclass
class ChainReport:
    name: str
    rows: int
    head: str
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.problem


def _rows(model) -> Iterator:
    return model.objects.order_by("id").iterator(chunk_size=2000)


def verify_chain(name: str) -> ChainReport:
    """Walk one chain in id order and recompute every hash; stop at the first row that does not match."""
    from .models import AccessLog, AuditChain, AuditEvent

    model = AuditEvent if name == "audit_event" else AccessLog
    prev = GENESIS
    count = 0
    last_id = None
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
    return ChainReport(name, count, prev)


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
