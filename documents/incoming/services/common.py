"""Helpers shared by the incoming services: the error type, row lock and access, audit, who is told."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.errors import ServiceError, not_found
from office.org.types import Actor

from .. import access
from ..models import (
    IncomingDocument,
)

DUE_TIMER_KIND = "documents.incoming_due"


class IncomingError(ServiceError):
    """A rule of incoming documents was broken; the message is for a clerk."""


def invalid(field: str, message: str) -> IncomingError:
    return IncomingError(message, code="invalid", fields={field: [message]})


def person(actor: Actor):
    return actor if isinstance(actor, get_user_model()) and actor.pk else None


def locked(document: IncomingDocument | int) -> IncomingDocument:
    pk = document.pk if isinstance(document, IncomingDocument) else document
    try:
        return IncomingDocument.objects.select_for_update().get(pk=pk)
    except IncomingDocument.DoesNotExist:
        raise not_found(_("未找到该收文，或您无权查看。")) from None


def checked(*, actor: Actor, document: IncomingDocument | int, action: str) -> IncomingDocument:
    """Lock first (a fresh read), then ask access on the row itself."""
    doc = locked(document)
    access.incoming_access_for_action(actor=actor, document=doc, action=action)
    return doc


def guard(doc: IncomingDocument, allowed: Iterable[str], message: str) -> None:
    if doc.status not in allowed:
        raise IncomingError(message, code="conflict")


def audit(actor: Actor, verb: str, doc: IncomingDocument, **data: Any) -> None:
    audit_record(
        actor=actor,
        verb=f"documents.incoming_{verb}",
        subject=doc,
        data={"serial": doc.serial, "status": doc.status, **data},
    )


def text(value: str | None) -> str:
    return (value or "").strip()


def clerks() -> list:
    """The people who sign for and route incoming documents (for notifications)."""
    from office.org.roles import INCOMING_CLERK_ROLES

    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            staff__unit__code__in=access.clerk_unit_codes(),
            groups__name__in=INCOMING_CLERK_ROLES,
        )
        .distinct()
        .order_by("pk")
    )


def leaders() -> list:
    from office.org.roles import DOCUMENT_INSTRUCTING_ROLES

    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=DOCUMENT_INSTRUCTING_ROLES)
        .distinct()
        .order_by("pk")
    )
