"""Writes of official documents: create (with a number), review, sign-off, publish.

Apps that originate documents (supervision's notices and circulars) register a sign-off hook by
their ``origin``; the hook runs in the sign-off transaction. This module never imports those apps.
"""

from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.errors import ServiceError

from .models import Classification, DocStatus, DocType, Document, DocumentNumberSequence


class DocumentError(ServiceError):
    pass


_SIGN_OFF_HOOKS: dict[str, list[Callable[[Document], None]]] = {}


def register_sign_off_hook(origin: str, fn: Callable[[Document], None]) -> None:
    """``fn(document)`` runs inside the sign-off transaction of every document of ``origin``."""
    hooks = _SIGN_OFF_HOOKS.setdefault(origin, [])
    if fn not in hooks:
        hooks.append(fn)


def format_number(prefix: str, year: int, seq: int) -> str:
    """GB/T 9704: year in 〔〕, no leading zeros, no 第 — e.g. 督〔2026〕15号."""
    return f"{prefix}〔{year}〕{int(seq)}号"


def next_number(*, prefix: str, year: int) -> int:
    """The next value of the (prefix, year) counter, taken under a row lock (call inside a transaction)."""
    try:
        with transaction.atomic():
            DocumentNumberSequence.objects.get_or_create(prefix=prefix, year=year)
    except IntegrityError:  # another transaction created the row first; it exists now
        pass
    seq = DocumentNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return seq.last_value


@transaction.atomic
def document_create(
    *,
    actor,
    doc_type: str,
    title: str,
    body: str,
    main_recipients: str,
    issuing_body: str,
    origin: str = "",
    origin_ref: str = "",
    numbering_prefix: str | None = None,
    copy_to: str = "",
    classification: str = Classification.INTERNAL,
    recipient_units: Iterable = (),
    to_all_units: bool = False,
) -> Document:
    """A draft; with ``numbering_prefix`` it takes the next number of that prefix for this year."""
    if doc_type not in DocType.values:
        raise DocumentError(_("文种不正确。"), code="invalid")
    now = timezone.localtime()
    doc = Document(
        doc_type=doc_type,
        title=title,
        body=body,
        main_recipients=main_recipients,
        copy_to=copy_to,
        issuing_body=issuing_body,
        origin=origin,
        origin_ref=origin_ref,
        classification=classification,
        to_all_units=to_all_units,
        created_by=actor if getattr(actor, "pk", None) and hasattr(actor, "staff") else None,
        issued_on=now.date(),
    )
    if numbering_prefix:
        doc.prefix, doc.year = numbering_prefix, now.year
        doc.seq = next_number(prefix=numbering_prefix, year=now.year)
        doc.number = format_number(numbering_prefix, now.year, doc.seq)
    doc.full_clean()
    doc.save()
    if recipient_units:
        doc.recipient_units.set(list(recipient_units))
    audit_record(
        actor=actor,
        verb="documents.document_created",
        subject=doc,
        data={"doc_type": doc_type, "number": doc.number, "origin": origin},
    )
    return doc


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


@transaction.atomic
def document_submit_for_review(*, actor, document: Document) -> Document:
    doc = _locked(document)
    if doc.status != DocStatus.DRAFT:
        raise DocumentError(_("只有草稿可以送审。"))
    doc.status = DocStatus.IN_REVIEW
    doc.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, verb="documents.document_submitted", subject=doc, data={"number": doc.number})
    return doc


@transaction.atomic
def document_sign_off(*, actor, document: Document, opinion: str) -> Document:
    """The signer's sign-off (签发): opinion, name and date; then the origin's hooks run."""
    doc = _locked(document)
    if doc.status != DocStatus.IN_REVIEW:
        raise DocumentError(_("该公文不在待签发状态。"))
    if not (opinion or "").strip():
        raise DocumentError(
            _("请填写签发意见。"), code="invalid", fields={"opinion": [_("请填写签发意见。")]}
        )
    doc.status = DocStatus.SIGNED
    doc.signer = actor if getattr(actor, "pk", None) and hasattr(actor, "staff") else None
    doc.signed_at = timezone.now()
    doc.sign_opinion = opinion.strip()
    doc.issued_on = timezone.localdate()
    doc.save(update_fields=["status", "signer", "signed_at", "sign_opinion", "issued_on", "updated_at"])
    audit_record(
        actor=actor, verb="documents.document_signed", subject=doc, data={"opinion": doc.sign_opinion}
    )
    for hook in _SIGN_OFF_HOOKS.get(doc.origin, []):
        hook(doc)
    doc.refresh_from_db()
    return doc


@transaction.atomic
def document_publish(*, actor, document: Document) -> Document:
    """印发: the signed document goes out to its recipients."""
    doc = _locked(document)
    if doc.status == DocStatus.PUBLISHED:
        return doc
    if doc.status != DocStatus.SIGNED:
        raise DocumentError(_("公文签发后才能印发。"))
    doc.status = DocStatus.PUBLISHED
    doc.published_at = timezone.now()
    doc.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, verb="documents.document_published", subject=doc, data={"number": doc.number})
    return doc


@transaction.atomic
def document_issue_directly(*, actor, document: Document, opinion: str) -> Document:
    """Review, sign-off and publication in one step, for documents the rules let the office send at
    once (a supervision notice on a missed deadline). Every stage is still written to the trail."""
    doc = document_submit_for_review(actor=actor, document=document)
    doc = document_sign_off(actor=actor, document=doc, opinion=opinion)
    return document_publish(actor=actor, document=doc)
