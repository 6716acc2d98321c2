"""批示 → supervision item: the loop from an incoming document's leader instruction to a supervision
item, through supervision's own ``item_create`` (its access rules, numbering and audit).

Supervision may import documents; documents never import supervision. Supervision registers these
functions with ``documents.incoming.services.register_supervision_bridge`` in its AppConfig.ready(), and
the incoming page calls them through that bridge. The item keeps the document's serial as its
``source_ref``; the document keeps the item's id (an integer, no foreign key).
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.incoming.models import IncomingDocument
from documents.incoming.services import (
    LinkedItem,
    incoming_link_supervision_item,
    incoming_lock_for_supervision,
)
from office.org.types import Actor

from .. import access
from ..models import Category, Source, SupervisionItem, Urgency
from .common import SupervisionError
from .items import item_create


def _leader_name(doc: IncomingDocument) -> str:
    leader = doc.instruction_leader
    if leader is None:
        return ""
    staff = getattr(leader, "staff", None)
    return (staff.name if staff else "") or leader.get_full_name() or leader.get_username()


@transaction.atomic
def item_from_incoming(*, actor: Actor, document: IncomingDocument | int) -> SupervisionItem:
    """“转督办”: a supervision item carrying the 批示 (title from the document, the instruction as the
    requirement, source 领导批示, source_ref the 收文编号, the leader, the 批示's deadline, the handler
    unit as lead unit or the handler as assignee). Doing it twice returns the same item."""
    access.item_access_for_action(actor=actor, item=None, action="create")
    # locks the document row: two clicks at once queue here, the second finds the first's item
    doc = incoming_lock_for_supervision(actor=actor, document=document)
    if doc.supervision_item_id is not None:
        existing = SupervisionItem.objects.filter(pk=doc.supervision_item_id).first()
        if existing is not None:
            return existing
    if doc.handler_unit_id is None and doc.handler_id is None:
        message = _("请先交办（指定承办单位或承办人），再转督办。")
        raise SupervisionError(message, code="invalid", fields={"lead_unit": [message]})
    item = item_create(
        actor=actor,
        title=doc.title,
        requirement=doc.instruction,
        source=Source.LEADER_INSTRUCTION,
        category=Category.OTHER,
        urgency=Urgency.URGENT if doc.urgency else Urgency.NORMAL,
        source_date=doc.instructed_on,
        source_ref=doc.serial,
        instructing_leader=_leader_name(doc),
        lead_unit=doc.handler_unit,
        assignee=None if doc.handler_unit_id else doc.handler,
        due=doc.instruction_deadline,
    )
    incoming_link_supervision_item(actor=actor, document=doc, item_id=item.pk)
    return item


def linked_item_summary(item_id: int) -> LinkedItem | None:
    """The item's number and status, for the incoming document's page (office staff see every item)."""
    item = SupervisionItem.objects.filter(pk=item_id).only("pk", "number", "status").first()
    if item is None:
        return None
    return LinkedItem(
        id=item.pk,
        number=item.number,
        status=item.status,
        status_display=str(item.get_status_display()),
        url=reverse("supervision:detail", args=[item.pk]),
    )


def can_turn_into_item(actor: Actor) -> bool:
    return access.can_create(actor)
