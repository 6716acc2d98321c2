"""Read-side queries for incoming documents (收文). Every query starts from ``access.incoming_scope``; the
documents home's tabs (待办 / 待阅 / 已办) call ``incoming_todo``, ``incoming_to_read`` and
``incoming_done``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from office.errors import Forbidden, NotFound, not_found
from office.files.registry import ProtectedFile
from office.org.selectors import unit_of_user
from office.org.types import Actor

from . import access
from .models import Circulation, IncomingDocument, IncomingStatus


def _base(user: Actor) -> QuerySet[IncomingDocument]:
    return access.incoming_scope(actor=user, qs=IncomingDocument.objects.all())


def incoming_list_for_user(
    *,
    user: Actor,
    status: str | None = None,
    classification: str | None = None,
    urgency: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str = "",
) -> QuerySet[IncomingDocument]:
    """The register: scoped, filtered, newest first; the rows' related names in the same query."""
    qs = _base(user).select_related("handler_unit", "handler__staff", "sender_unit")
    if status:
        qs = qs.filter(status=status)
    if classification:
        qs = qs.filter(classification=classification)
    if urgency is not None and urgency != "all":
        qs = qs.filter(urgency=urgency)
    if date_from:
        qs = qs.filter(received_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(received_at__date__lte=date_to)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(serial__icontains=q)
            | Q(their_number__icontains=q)
            | Q(issuing_body__icontains=q)
        )
    return qs.order_by("-received_at", "-id")


def incoming_get_for_user(*, user: Actor, id: Any) -> IncomingDocument:
    """One incoming document with what its page shows; 404 both for missing and not yours."""
    qs = _base(user).select_related(
        "received_by__staff",
        "checked_by__staff",
        "proposed_by__staff",
        "instruction_leader__staff",
        "handler__staff",
        "handler_unit",
        "replied_by__staff",
        "sender_unit",
    )
    qs = qs.prefetch_related(
        Prefetch(
            "circulations",
            queryset=Circulation.objects.select_related("reader__staff").order_by("order", "id"),
        )
    )
    try:
        return qs.get(pk=int(id))
    except (IncomingDocument.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


VERB_LABELS = {
    "documents.incoming_registered": _("签收登记"),
    "documents.incoming_received_via_api": _("经系统接口收文"),
    "documents.incoming_checked": _("初审通过"),
    "documents.incoming_returned": _("退回来文单位"),
    "documents.incoming_proposed": _("拟办"),
    "documents.incoming_instructed": _("领导批示"),
    "documents.incoming_assigned": _("交办"),
    "documents.incoming_circulated": _("发起传阅"),
    "documents.incoming_read": _("阅毕"),
    "documents.incoming_reader_urged": _("催阅"),
    "documents.incoming_replied": _("报送办理结果"),
    "documents.incoming_closed": _("办结"),
    "documents.incoming_archived": _("归档"),
    "documents.incoming_to_supervision": _("转督办"),
}


def incoming_history(document: IncomingDocument):
    from office.audit.selectors import audit_events_for_subject

    return audit_events_for_subject(document)


# --- the documents home's tabs -------------------------------------------------------------------


def _todo_q(user: Actor) -> Q:
    none = Q(pk__in=[])
    if not access.is_office_staff(user):
        return none
    q = none
    if access.is_clerk(user):
        q |= Q(
            status__in=(
                IncomingStatus.REGISTERED,
                IncomingStatus.CHECKED,
                IncomingStatus.INSTRUCTED,
                IncomingStatus.REPLIED,
            )
        )
    if access.can_instruct_any(user):
        q |= Q(status=IncomingStatus.PROPOSED)
    handling = Q(handler_id=getattr(user, "pk", None) or 0)
    unit = unit_of_user(user)
    if unit is not None:
        handling |= Q(handler_unit_id=unit.pk)
    q |= Q(status=IncomingStatus.ASSIGNED) & handling
    return q


def incoming_todo(user: Actor) -> QuerySet[IncomingDocument]:
    """Incoming documents waiting for this user's action: the clerks' checks, routing and closing,
    a leader's 批示, a handler's reply."""
    return _base(user).filter(_todo_q(user)).select_related("handler_unit").order_by("received_at", "id")


def incoming_to_read(user: Actor) -> QuerySet[IncomingDocument]:
    """传阅 that reached this user and is not read yet."""
    pk = getattr(user, "pk", None)
    if not access.is_office_staff(user) or pk is None:
        return IncomingDocument.objects.none()
    holding = Circulation.objects.filter(
        document=OuterRef("pk"), reader_id=pk, sent_at__isnull=False, read_at__isnull=True
    )
    return _base(user).filter(Exists(holding)).order_by("received_at", "id")


def incoming_done(user: Actor) -> QuerySet[IncomingDocument]:
    """Incoming documents this user has acted on (signed for, checked, proposed, instructed, replied, read)."""
    pk = getattr(user, "pk", None)
    if not access.is_office_staff(user) or pk is None:
        return IncomingDocument.objects.none()
    read = Circulation.objects.filter(document=OuterRef("pk"), reader_id=pk, read_at__isnull=False)
    return (
        _base(user)
        .filter(
            Q(received_by_id=pk)
            | Q(checked_by_id=pk)
            | Q(proposed_by_id=pk)
            | Q(instruction_leader_id=pk)
            | Q(replied_by_id=pk)
            | Exists(read)
        )
        .order_by("-updated_at", "-id")
    )


def incoming_for_supervision_item(*, user: Actor, item_id: int) -> IncomingDocument | None:
    """The incoming document whose 批示 became supervision item ``item_id``, if this user may see it
    (the item page links back to it; another unit, or a classified document not cleared, gets None)."""
    if not access.can_list(user):
        return None
    return _base(user).filter(supervision_item_id=item_id).only("pk", "serial", "title").first()


# --- the protected file ----------------------------------------------------------------------------


def incoming_file(*, actor: Actor, pk: Any) -> ProtectedFile:
    """The file kind ``documents-incoming``: the file of an incoming document the actor may read (a
    classified one is logged by the download view); missing and not-yours both answer NotFound."""
    doc = IncomingDocument.objects.filter(pk=pk).first()
    if doc is None or not doc.file:
        raise not_found()
    try:
        access.incoming_access_for_action(actor=actor, document=doc, action="download")
    except (Forbidden, NotFound):
        raise not_found() from None
    return ProtectedFile(
        file=doc.file,
        name=doc.file_name or "来文",
        subject=doc,
        classification=doc.classification if access.is_classified(doc) else "",
    )
