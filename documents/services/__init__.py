"""Writes of official documents, split by sub-domain: ``core`` (create, submit, sign-off, issue,
readers), ``drafting`` (versions, optimistic lock, comments), ``chain`` (核稿 / 会签 / 签发, return,
delegate, deadlines, 催办), ``registration`` (numbers and explained gaps) and ``distribution``
(publish, receipts, archive). Other apps import from here.

Each service asks ``documents.access`` first, so no interface can skip who may do it. Apps that
originate documents register a sign-off hook by their ``origin`` in their ``AppConfig.ready()``; the hook
runs in the sign-off transaction of a person's sign-off. This package never imports those apps.
"""

from .chain import (
    STEP_DUE,
    chain_configure,
    document_send_for_sign_off,
    return_targets,
    step_approve,
    step_delegate,
    step_due_at,
    step_remind,
    step_return,
)
from .common import SIGN_OFF_HOOKS, DocumentError, register_sign_off_hook
from .core import (
    document_create,
    document_grant_read,
    document_issue_directly,
    document_sign_off,
    document_submit_for_review,
)
from .distribution import document_archive, document_publish, receipt_acknowledge
from .drafting import DraftConflict, comment_add, comment_resolve, document_save_text, paragraphs
from .registration import document_register_number, document_withdraw, format_number, next_number

# the registry under its former name (tests check what AppConfig.ready() wired)
_SIGN_OFF_HOOKS = SIGN_OFF_HOOKS

__all__ = [
    "SIGN_OFF_HOOKS",
    "STEP_DUE",
    "DocumentError",
    "DraftConflict",
    "chain_configure",
    "comment_add",
    "comment_resolve",
    "document_archive",
    "document_create",
    "document_grant_read",
    "document_issue_directly",
    "document_publish",
    "document_register_number",
    "document_save_text",
    "document_send_for_sign_off",
    "document_sign_off",
    "document_submit_for_review",
    "document_withdraw",
    "format_number",
    "next_number",
    "paragraphs",
    "receipt_acknowledge",
    "register_sign_off_hook",
    "return_targets",
    "step_approve",
    "step_delegate",
    "step_due_at",
    "step_remind",
    "step_return",
]
