"""发文字号: a signed document takes the next number of its type's register for the year of signing
(e.g. 市委办发〔2026〕12号). Numbers are never reused: a registered document that is withdrawn leaves a
``NumberGap`` with the reason, and the register lists every gap explained."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.types import Actor

from .. import access, conf
from ..models import DocStatus, Document, DocumentNumberSequence, NumberGap, ReviewStep, StepStatus
from .common import DocumentError, locked, person


def format_number(prefix: str, year: int, seq: int) -> str:
    """GB/T 9704: year in 〔〕, no leading zeros, no 第 — e.g. 督〔2026〕15号."""
    return f"{prefix}〔{year}〕{int(seq)}号"


def next_number(*, prefix: str, year: int) -> int:
    """The next value of the (prefix, year) counter, taken under a row lock. Inside the caller's
    transaction the lock is held until it commits (the number and what carries it commit together);
    called alone it commits at once (a number is never handed out twice, whatever happens next)."""
    try:
        with transaction.atomic():
            DocumentNumberSequence.objects.get_or_create(prefix=prefix, year=year)
    except IntegrityError:  # another transaction created the row first; it exists now
        pass
    with transaction.atomic():
        seq = DocumentNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
        seq.last_value += 1
        seq.save(update_fields=["last_value"])
        return seq.last_value


@transaction.atomic
def document_register_number(*, actor: Actor, document: Document) -> Document:
    """登记: the signed document's number from its type's register (``DOCUMENTS_NUMBER_PREFIXES``) — or
    the register its drafting app named (``document_create(register_prefix=…)``) — for the year it was
    signed. A document numbered already keeps its number."""
    access.document_access_for_action(actor=actor, document=document, action="register")
    doc = locked(document)
    if doc.status != DocStatus.SIGNED:
        raise DocumentError(_("公文签发后、印发前才能登记发文字号。"))
    if doc.seq:
        return doc
    prefix = doc.prefix or conf.number_prefix(doc.doc_type)
    year = timezone.localtime(doc.signed_at or timezone.now()).year
    doc.prefix, doc.year = prefix, year
    doc.seq = next_number(prefix=prefix, year=year)
    doc.number = format_number(prefix, year, doc.seq)
    doc.save(update_fields=["prefix", "year", "seq", "number", "updated_at"])
    audit_record(actor=actor, verb="documents.number_registered", subject=doc, data={"number": doc.number})
    return doc


@transaction.atomic
def document_withdraw(*, actor: Actor, document: Document, reason: str) -> Document:
    """撤回 a signed, unpublished document: its number (if any) becomes an explained gap, never reused;
    the document goes back to the drafter as a draft, its chain ready to run again in a new round."""
    from .chain import _copy_into_round, current_round

    access.document_access_for_action(actor=actor, document=document, action="withdraw")
    doc = locked(document)
    if doc.status != DocStatus.SIGNED:
        raise DocumentError(_("只有已签发、尚未印发的公文可以撤回。"))
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("请填写撤回原因。"), code="invalid", fields={"reason": [_("请填写撤回原因。")]})
    old_number = doc.number
    if doc.seq and doc.year:
        NumberGap.objects.create(
            prefix=doc.prefix, year=doc.year, seq=doc.seq, reason=reason, recorded_by=person(actor)
        )
    doc.number, doc.prefix, doc.year, doc.seq = "", "", None, None
    doc.status = DocStatus.DRAFT
    doc.signer, doc.signed_at, doc.sign_opinion, doc.signed_without_review = None, None, "", False
    doc.save(
        update_fields=[
            "number",
            "prefix",
            "year",
            "seq",
            "status",
            "signer",
            "signed_at",
            "sign_opinion",
            "signed_without_review",
            "updated_at",
        ]
    )
    if ReviewStep.objects.filter(document=doc).exists():
        rnd = current_round(doc)
        ReviewStep.objects.filter(document=doc, status=StepStatus.WAITING).update(status=StepStatus.CANCELLED)
        _copy_into_round(doc, from_stage=1, new_round=rnd + 1)
    audit_record(
        actor=actor,
        verb="documents.document_withdrawn",
        subject=doc,
        data={"number": old_number, "reason": reason},
    )
    return doc
