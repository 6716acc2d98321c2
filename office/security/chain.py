"""The security log's hash chain: the scheme of office/audit/chain.py (SHA-256 of the previous row's hash
and the row's canonical content, the head in ``AuditChain`` under a row lock), for a third chain named
``security_event``. ``manage.py audit_verify`` walks it after the business audit's chains."""

import hashlib
import json

from django.db import models, transaction

from office.audit.chain import GENESIS, ChainReport, _canonical_json, _timestamp

CHAIN = "security_event"


def content_of(row) -> str:
    fields = [
        CHAIN,
        _timestamp(row.created_at),
        row.kind,
        str(row.actor_id or ""),
        row.actor_label,
        str(row.subject_type_id or ""),
        row.subject_id,
        row.subject_repr,
        row.result,
        str(row.ip or ""),
        row.user_agent,
        row.path,
        _canonical_json(row.data or {}),
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def digest(prev_hash: str, row) -> str:
    return hashlib.sha256((prev_hash + content_of(row)).encode("utf-8")).hexdigest()


def security_chain_insert(row, save) -> None:
    """Link ``row`` onto the security chain and insert it with ``save()``, under the head's row lock."""
    from office.audit.models import AuditChain

    with transaction.atomic():
        AuditChain.objects.get_or_create(name=CHAIN, defaults={"last_hash": GENESIS})
        head = AuditChain.objects.select_for_update().get(name=CHAIN)
        row.prev_hash = head.last_hash
        row.row_hash = digest(head.last_hash, row)
        save()
        AuditChain.objects.filter(name=CHAIN).update(
            last_id=row.pk, last_hash=row.row_hash, rows=models.F("rows") + 1
        )


def verify_security_chain() -> ChainReport:
    """Walk the security log in id order and recompute every hash; stop at the first row that breaks."""
    from office.audit.models import AuditArchive, AuditChain

    from .models import SecurityEvent

    prev = GENESIS
    archived = AuditArchive.objects.filter(chain=CHAIN).order_by("-last_id").first()
    if archived is not None:
        prev = archived.last_hash
    count = 0
    last_id = None
    for row in SecurityEvent.objects.order_by("id").iterator(chunk_size=2000):
        if row.prev_hash != prev:
            return ChainReport(CHAIN, count, prev, row.pk, "上一条记录的哈希不符（记录被删除、插入或重排）")
        if row.row_hash != digest(prev, row):
            return ChainReport(CHAIN, count, prev, row.pk, "记录内容与其哈希不符（记录被修改）")
        prev = row.row_hash
        last_id = row.pk
        count += 1
    head = AuditChain.objects.filter(name=CHAIN).first()
    if head is not None and (
        head.last_hash != prev or head.rows != count or (head.last_id or None) != last_id
    ):
        return ChainReport(CHAIN, count, prev, None, "链头与最后一条记录不符（末尾记录被删除或链被重建）")
    return ChainReport(CHAIN, count, prev)
