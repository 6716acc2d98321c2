"""Writes of official documents: create (with a number), review, sign-off, publish, naming readers.

Each service asks ``documents.access`` first, so no interface can skip who may do it.

Apps that originate documents (supervision's notices and circulars) register a sign-off hook by
their ``origin``; the hook runs in the sign-off transaction. This module never imports those apps.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.types import Actor
from office.risks.hooks import risk_event

from .. import access
from ..models import (
    Classification,
    DocStatus,
    DocType,
    Document,
    DocumentVersion,
    ReviewStep,
    StepKind,
    StepStatus,
    default_direction,
)
from .common import SIGN_OFF_HOOKS, DocumentError, grant_view, locked, person
from .registration import format_number, next_number


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
    register_prefix: str = "",
    copy_to: str = "",
    classification: str = Classification.INTERNAL,
    recipient_units: Iterable = (),
    to_all_units: bool = False,
    urgency: str = "",
    direction: str | None = None,
) -> Document:
    """A draft; with ``numbering_prefix`` it takes the next number of that prefix for this year at once
    (numbered drafts of old); with ``register_prefix`` it only names the register its number will come
    from when it is registered after sign-off (an app's own register, e.g. 督办通). The drafter may read
    it whatever its 密级."""
    access.document_create_access(actor=actor)
    if doc_type not in DocType.values:
        raise DocumentError(_("文种不正确。"), code="invalid")
    if classification not in Classification.values:
        raise DocumentError(_("密级不正确。"), code="invalid")
    now = timezone.localtime()
    drafter = person(actor)
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
        urgency=urgency,
        direction=direction or default_direction(doc_type),
        created_by=drafter,
        issued_on=now.date(),
    )
    if register_prefix and not numbering_prefix:
        doc.prefix = register_prefix
    if numbering_prefix:
        doc.prefix, doc.year = numbering_prefix, now.year
        doc.seq = next_number(prefix=numbering_prefix, year=now.year)
        doc.number = format_number(numbering_prefix, now.year, doc.seq)
    doc.full_clean()
    doc.save()
    if recipient_units:
        doc.recipient_units.set(list(recipient_units))
    grant_view(drafter, doc)
    # the first version: every save of the text is one (documents.services.drafting)
    DocumentVersion.objects.create(
        document=doc, number=1, title=doc.title, title_lines=doc.title_lines, body=doc.body, author=drafter
    )
    audit_record(
        actor=actor,
        verb="documents.document_created",
        subject=doc,
        data={"doc_type": doc_type, "number": doc.number, "origin": origin},
    )
    return doc


@transaction.atomic
def document_submit_for_review(
    *, actor: Actor, document: Document, override_reason: str = "", require_chain: bool = False
) -> Document:
    """送审. A document with a review chain goes into it (the proofreader runs first:
    ``documents.services.chain.document_submit``); one without (a document another app drafts for
    a single signer) simply waits for sign-off."""
    access.document_access_for_action(actor=actor, document=document, action="submit")
    if ReviewStep.objects.filter(document=document).exists():
        from .chain import chain_submit

        return chain_submit(actor=actor, document=document, override_reason=override_reason)
    if require_chain:  # the drafting pages always go through a chain
        raise DocumentError(_("请先设置审核流程。"), code="invalid")
    return _submit(actor=actor, document=document)


def _submit(*, actor: Actor, document: Document) -> Document:
    doc = locked(document)
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
    pending = (
        ReviewStep.objects.filter(document=document, kind=StepKind.SIGN_OFF, status=StepStatus.PENDING)
        .select_related("document")
        .first()
    )
    if pending is not None:  # a document with a chain is signed by approving its 签发 step
        from .chain import step_approve

        step_approve(actor=actor, step=pending, opinion=opinion)
        return Document.objects.get(pk=document.pk)
    access.document_access_for_action(actor=actor, document=document, action="sign_off")
    if ReviewStep.objects.filter(
        document=document, status__in=(StepStatus.WAITING, StepStatus.PENDING)
    ).exists():
        raise DocumentError(_("该公文尚在审核流程中，须待签发环节签发。"))
    return sign_off(actor=actor, document=document, opinion=opinion)


def sign_off(*, actor: Actor, document: Document, opinion: str, run_hooks: bool = True) -> Document:
    """Write the signer, opinion and date; flag a sign-off no 核稿 approved; run the origin's hooks
    (only for a person's sign-off: ``run_hooks=False`` when the system issues directly)."""
    doc = locked(document)
    if doc.status != DocStatus.IN_REVIEW:
        raise DocumentError(_("该公文不在待签发状态。"))
    if not (opinion or "").strip():
        raise DocumentError(
            _("请填写签发意见。"), code="invalid", fields={"opinion": [_("请填写签发意见。")]}
        )
    doc.status = DocStatus.SIGNED
    doc.signer = person(actor)
    doc.signed_at = timezone.now()
    doc.sign_opinion = opinion.strip()
    doc.issued_on = timezone.localdate()
    doc.signed_without_review = not ReviewStep.objects.filter(
        document=doc, kind=StepKind.REVIEW, status=StepStatus.APPROVED
    ).exists()
    doc.save(
        update_fields=[
            "status",
            "signer",
            "signed_at",
            "sign_opinion",
            "issued_on",
            "signed_without_review",
            "updated_at",
        ]
    )
    # the signer keeps reading what they signed even if their clearance changes later
    grant_view(doc.signer, doc)
    audit_record(
        actor=actor,
        verb="documents.document_signed",
        subject=doc,
        data={"opinion": doc.sign_opinion, "without_review": doc.signed_without_review},
    )
    if not run_hooks or person(actor) is None:
        return doc
    if doc.signed_without_review:  # 岗位风险排查: signed with no 核稿 approved
        risk_event(
            "document_unreviewed",
            doc,
            _("《%(title)s》未经核稿即签发") % {"title": doc.title},
            doc.signed_at,
            responsible=doc.created_by,
            label=doc.title,
        )
    for hook in SIGN_OFF_HOOKS.get(doc.origin, []):
        hook(doc)
    doc.refresh_from_db()
    return doc


@transaction.atomic
def document_issue_directly(*, actor: Actor, document: Document, opinion: str) -> Document:
    """Review, sign-off and publication in one step, for documents the rules let the office send at
    once: the system (``actor=None``) or a signer. Every stage is still written to the trail, but no
    person signed, so the origin's sign-off hooks do NOT run (the caller delivers what it issued)."""
    from .distribution import publish

    access.document_access_for_action(actor=actor, document=document, action="issue_directly")
    doc = _submit(actor=actor, document=document)
    doc = sign_off(actor=actor, document=doc, opinion=opinion, run_hooks=False)
    return publish(actor=actor, document=doc)


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
    doc = locked(document)
    for user in users:
        grant_view(user, doc)
    audit_record(
        actor=actor,
        verb="documents.document_readers_granted",
        subject=doc,
        data={"users": [u.get_username() for u in users], "classification": doc.classification},
    )
    return doc
