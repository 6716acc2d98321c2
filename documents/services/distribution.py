"""After registration: 印发 (publish) with one receipt per recipient unit, the units' 签收 (through the
page or their system's API), and 归档."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.notifications.services import notify_units
from office.org.models import Unit
from office.org.selectors import unit_of_user
from office.org.types import Actor

from .. import access
from ..models import DocStatus, Document, DocumentReceipt
from .common import DocumentError, locked, person


def recipient_units_of(doc: Document) -> list[Unit]:
    if doc.to_all_units:
        return list(Unit.objects.external().active().order_by("sort_order", "id"))
    return list(doc.recipient_units.order_by("sort_order", "id"))


@transaction.atomic
def document_publish(*, actor: Actor, document: Document) -> Document:
    """印发: the signed (and numbered) document goes out to its recipient units."""
    access.document_access_for_action(actor=actor, document=document, action="publish")
    return publish(actor=actor, document=document)


def publish(*, actor: Actor, document: Document) -> Document:
    doc = locked(document)
    if doc.status == DocStatus.PUBLISHED:
        return doc
    if doc.status != DocStatus.SIGNED:
        raise DocumentError(_("公文签发后才能印发。"))
    if not doc.number:
        raise DocumentError(_("请先登记发文字号再印发。"))
    now = timezone.now()
    doc.status = DocStatus.PUBLISHED
    doc.published_at = now
    if not doc.printed_on:
        doc.printed_on = timezone.localdate()
    doc.save(update_fields=["status", "published_at", "printed_on", "updated_at"])
    units = recipient_units_of(doc)
    DocumentReceipt.objects.bulk_create(
        [DocumentReceipt(document=doc, unit=u, delivered_at=now) for u in units], ignore_conflicts=True
    )
    audit_record(
        actor=actor,
        verb="documents.document_published",
        subject=doc,
        data={"number": doc.number, "units": [u.code for u in units]},
    )
    # A document another app drafted (a supervision notice) is delivered by that app, which knows what
    # to say; notifying here too would deliver it twice.
    if units and not doc.origin:
        notify_units(
            units=units,
            subject=doc,
            step="published",
            title=_("请签收公文 {number}：{title}").format(number=doc.number, title=doc.title),
            url=f"/documents/{doc.pk}/",
            level="urgent" if doc.urgency else "info",
        )
    return doc


@transaction.atomic
def receipt_acknowledge(
    *, actor: Actor, document: Document, via: str = DocumentReceipt.Channel.PAGE
) -> DocumentReceipt:
    """签收 by the receiving unit (its user on the page, or its system with the unit's key). Twice is
    harmless: the first acknowledgement stands."""
    access.document_access_for_action(actor=actor, document=document, action="acknowledge")
    unit = unit_of_user(actor)
    receipt = DocumentReceipt.objects.select_for_update().get(document=document, unit=unit)
    if receipt.acknowledged_at:
        return receipt
    receipt.acknowledged_at = timezone.now()
    receipt.acknowledged_by = person(actor)
    receipt.acknowledged_via = via
    receipt.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_via"])
    audit_record(
        actor=actor,
        verb="documents.receipt_acknowledged",
        subject=document,
        data={"unit": unit.code if unit else "", "via": via},
    )
    return receipt


@transaction.atomic
def document_archive(*, actor: Actor, document: Document) -> Document:
    """归档 a published document."""
    access.document_access_for_action(actor=actor, document=document, action="archive")
    doc = locked(document)
    if doc.status == DocStatus.ARCHIVED:
        return doc
    if doc.status != DocStatus.PUBLISHED:
        raise DocumentError(_("公文印发后才能归档。"))
    doc.status = DocStatus.ARCHIVED
    doc.archived_at = timezone.now()
    doc.save(update_fields=["status", "archived_at", "updated_at"])
    audit_record(actor=actor, verb="documents.document_archived", subject=doc, data={"number": doc.number})
    return doc
