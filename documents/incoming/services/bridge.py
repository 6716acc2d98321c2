"""转督办: the bridge supervision registers from its AppConfig.ready() (documents never import it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from office.org.types import Actor

from ..models import (
    IncomingDocument,
)
from .common import (
    IncomingError,
    audit,
    checked,
)


@dataclass(frozen=True)
class LinkedItem:
    """What the incoming page shows of the supervision item its 批示 became."""

    id: int
    number: str
    status: str
    status_display: str
    url: str


@dataclass
class SupervisionBridge:
    create: Callable[..., Any]  # create(*, actor, document) -> item (idempotent)
    summary: Callable[[int], LinkedItem | None]
    allowed: Callable[[Actor], bool]  # may this person register a supervision item at all


_BRIDGE: list[SupervisionBridge] = []


def register_supervision_bridge(
    *,
    create: Callable[..., Any],
    summary: Callable[[int], LinkedItem | None],
    allowed: Callable[[Actor], bool],
) -> None:
    """Supervision registers, from its AppConfig.ready(), how a 批示 becomes an item and how the item
    reads back. Documents never import supervision."""
    _BRIDGE[:] = [SupervisionBridge(create=create, summary=summary, allowed=allowed)]


def supervision_bridge() -> SupervisionBridge | None:
    return _BRIDGE[0] if _BRIDGE else None


def incoming_to_supervision(*, actor: Actor, document: IncomingDocument | int):
    """“转督办”: the 批示 becomes a supervision item through supervision's own service."""
    bridge = supervision_bridge()
    if bridge is None:
        raise IncomingError(_("督查督办模块未启用，不能转督办。"), code="conflict")
    return bridge.create(actor=actor, document=document)


@transaction.atomic
def incoming_lock_for_supervision(*, actor: Actor, document: IncomingDocument | int) -> IncomingDocument:
    """The document locked for supervision's “转督办”, once it carries a leader's 批示."""
    doc = checked(actor=actor, document=document, action="to_supervision")
    if not doc.instruction:
        raise IncomingError(_("领导批示后才能转督办。"), code="conflict")
    if doc.instruction_leader_id:
        doc = IncomingDocument.objects.select_related(
            "instruction_leader__staff", "handler_unit", "handler"
        ).get(pk=doc.pk)
    return doc


@transaction.atomic
def incoming_link_supervision_item(
    *, actor: Actor, document: IncomingDocument | int, item_id: int
) -> IncomingDocument:
    """Record the supervision item a 批示 became (called by supervision's service, in its transaction).
    A document links one item: a second link is refused."""
    doc = checked(actor=actor, document=document, action="to_supervision")
    if doc.supervision_item_id is not None and doc.supervision_item_id != item_id:
        raise IncomingError(_("该来文已转督办。"), code="conflict")
    if doc.supervision_item_id is None:
        doc.supervision_item_id = item_id
        doc.save(update_fields=["supervision_item_id", "updated_at"])
        audit(actor, "to_supervision", doc, item_id=item_id)
    return doc
