"""The security log's hash chain: the scheme of office/audit/chain.py (SHA-256 of the previous row's hash
and the row's canonical content, linked after commit, the head in ``AuditChain``), for a third chain named
``security_event``, registered in ``office.audit.chain.REGISTRY`` with this module's ``content_of``.
Linking, verifying (``manage.py audit_verify``, resuming after an archive) and archiving
(``manage.py audit_archive``) are the shared code of office/audit/chain.py."""

import json

from office.audit import chain as audit_chain
from office.audit.chain import ChainReport, _canonical_json, _timestamp

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
    return audit_chain.digest(prev_hash, row, CHAIN)


def verify_security_chain() -> ChainReport:
    """Walk the security log in link (seq) order from where its archive ends and recompute every hash; stop at
    the first row that breaks."""
    return audit_chain.verify_chain(CHAIN)
