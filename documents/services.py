"""Writes of official documents: create (with a number), review, sign-off, publish, naming readers.

Each service asks ``documents.access`` first, so no interface can skip who may do it.

Apps that originate documents (supervision's notices and circulars) register a sign-off hook by
their ``origin``; the hook runs in the sign-off transaction. This module never imports those apps.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from office.audit.services import audit_record
from office.errors import ServiceError
from office.org.types import Actor

from . import access
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


def _person(actor: Actor):
    """The actor as a user to write into a foreign key (None for the system or an API key)."""
    return actor if isinstance(actor, get_user_model()) and actor.pk else None


def _grant_view(user, doc: Document) -> None:
    if user is not None:
        assign_perm(f"documents.{access.VIEW_PERMISSION}", user, doc)


@transaction.atomic
def document_create(
    *,
    actor: Actor,
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
    """A draft; with ``numbering_prefix`` it takes the next number of that prefix for this year. The
    drafter may read it whatever its 密级."""
    access.document_create_access(actor=actor)
    if doc_type not in DocType.values:
        raise DocumentError(_("文种不正确。"), code="invalid")
    if classification not in Classification.values:
        raise DocumentError(_("密级不正确。"), code="invalid")
    now = timezone.localtime()
    drafter = _person(actor)
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
        created_by=drafter,
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
    _grant_view(drafter, doc)
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
def document_submit_for_review(*, actor: Actor, document: Document) -> Document:
    access.document_access_for_action(actor=actor, document=document, action="submit")
    return _submit(actor=actor, document=document)


def _submit(*, actor: Actor, document: Document) -> Document:
    doc = _locked(document)
    if doc.status != DocStatus.DRAFT:
        raise DocumentError(_("只有草稿可以送审。"))
    doc.status = DocStatus.IN_REVIEW
    doc.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, verb="documents.document_submitted", subject=doc, data={"number": doc.number})
    return doc


@transaction.atomic
def document_sign_off(*, actor: Actor, document: Document, opinion: str) -> Document:
    """The signer's sign-off (签发): opinion, name and date; then the origin's hooks run. Only a
    signer who may see the document signs it; the system never signs here."""
    access.document_access_for_action(actor=actor, document=document, action="sign_off")
    return _sign_off(actor=actor, document=document, opinion=opinion)


def _sign_off(*, actor: Actor, document: Document, opinion: str) -> Document:
    doc = _locked(document)
    if doc.status != DocStatus.IN_REVIEW:
        raise DocumentError(_("该公文不在待签发状态。"))
    if not (opinion or "").strip():
        raise DocumentError(
            _("请填写签发意见。"), code="invalid", fields={"opinion": [_("请填写签发意见。")]}
        )
    doc.status = DocStatus.SIGNED
    doc.signer = _person(actor)
    doc.signed_at = timezone.now()
    doc.sign_opinion = opinion.strip()
    doc.issued_on = timezone.localdate()
    doc.save(update_fields=["status", "signer", "signed_at", "sign_opinion", "issued_on", "updated_at"])
    # the signer keeps reading what they signed even if their clearance changes later
    _grant_view(doc.signer, doc)
    audit_record(
        actor=actor, verb="documents.document_signed", subject=doc, data={"opinion": doc.sign_opinion}
    )
    for hook in _SIGN_OFF_HOOKS.get(doc.origin, []):
        hook(doc)
    doc.refresh_from_db()
    return doc


@transaction.atomic
def document_publish(*, actor: Actor, document: Document) -> Document:
    """印发: the signed document goes out to its recipients."""
    access.document_access_for_action(actor=actor, document=document, action="publish")
    return _publish(actor=actor, document=document)


def _publish(*, actor: Actor, document: Document) -> Document:
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
def document_issue_directly(*, actor: Actor, document: Document, opinion: str) -> Document:
    """Review, sign-off and publication in one step, for documents the rules let the office send at
    once (a supervision notice on a missed deadline): the system (``actor=None``) or a signer. Every
    stage is still written to the trail."""
    access.document_access_for_action(actor=actor, document=document, action="issue_directly")
    doc = _submit(actor=actor, document=document)
    doc = _sign_off(actor=actor, document=doc, opinion=opinion)
    return _publish(actor=actor, document=doc)


@transaction.atomic
def document_grant_read(*, actor: Actor, document: Document, users: Iterable) -> Document:
    """Name readers of a document (need-to-know): each gets ``documents.view_document`` on it."""
    access.document_access_for_action(actor=actor, document=document, action="grant")
    users = list(users)
    if not users:
        raise DocumentError(_("请选择阅知人员。"), code="invalid", fields={"users": [_("请选择阅知人员。")]})
    refused = [u for u in users if not access.grantable_reader(u)]
    if refused:
        message = _("只能指定机关工作人员为阅知人员。")
        raise DocumentError(message, code="invalid", fields={"users": [message]})
    doc = _locked(document)
    for user in users:
        _grant_view(user, doc)
    audit_record(
        actor=actor,
        verb="documents.document_readers_granted",
        subject=doc,
        data={"users": [u.get_username() for u in users], "classification": doc.classification},
    )
    return doc
