"""Reads of documents, always through ``access.document_scope``: lists, search, counts and exports see
only what the asker may know exists (a classified title never leaks through any of them)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from office.errors import not_found
from office.org.types import Actor

from .access import document_scope
from .models import (
    DocStatus,
    Document,
    DocumentComment,
    DocumentNumberSequence,
    DocumentReceipt,
    DocumentVersion,
    NumberGap,
    ReviewStep,
    StepStatus,
)


def document_list_for_user(
    *,
    user: Actor,
    origin: str | None = None,
    status: str | None = None,
    doc_type: str | None = None,
    q: str | None = None,
) -> QuerySet[Document]:
    qs = Document.objects.select_related("signer__staff", "created_by__staff").order_by("-created_at", "-id")
    qs = document_scope(actor=user, qs=qs)
    if origin:
        qs = qs.filter(origin=origin)
    if status:
        qs = qs.filter(status=status)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if q and q.strip():
        term = q.strip()
        qs = qs.filter(Q(title__icontains=term) | Q(number__icontains=term))
    return qs


def document_get_for_user(*, user: Actor, id: int | str) -> Document:
    """The document, or NotFound both when it is missing and when it is not the user's to know."""
    try:
        return document_list_for_user(user=user).get(pk=id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def documents_for_origin(*, origin: str, origin_ref: str) -> QuerySet[Document]:
    """Unscoped: for the originating app's own services (not for display)."""
    return Document.objects.filter(origin=origin, origin_ref=origin_ref).order_by("created_at", "id")


def reader_candidates() -> QuerySet:
    """Whom a document's readers may be chosen from: active office staff."""
    from django.contrib.auth import get_user_model

    from office.org.roles import INTERNAL_ROLES

    user_model = get_user_model()
    in_office = user_model.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=INTERNAL_ROLES
    )
    return (
        user_model.objects.filter(Exists(in_office), is_active=True)
        .select_related("staff__unit")
        .order_by("staff__unit__sort_order", "staff__name", "username")
    )


def versions_for_user(*, user: Actor, document_id: int | str) -> QuerySet[DocumentVersion]:
    """A document's versions (author, time), only for those who may see the document."""
    doc = document_get_for_user(user=user, id=document_id)
    return DocumentVersion.objects.filter(document=doc).select_related("author__staff").order_by("number")


def version_pair_for_user(
    *, user: Actor, document_id: int | str, a: int | str, b: int | str
) -> tuple[DocumentVersion, DocumentVersion]:
    """Two versions to compare; NotFound if the document is not the user's to know or a number is wrong."""
    by_number = {v.number: v for v in versions_for_user(user=user, document_id=document_id)}
    try:
        return by_number[int(a)], by_number[int(b)]
    except (KeyError, TypeError, ValueError):
        raise not_found(_("没有这个版本。")) from None


def comments_for_document(document: Document) -> list[DocumentComment]:
    """The document's comments (the caller has already been admitted to the document)."""
    return list(
        DocumentComment.objects.filter(document=document).select_related(
            "author__staff", "resolved_by__staff"
        )
    )


def steps_for_document(document: Document) -> list[ReviewStep]:
    """Every step of every round (old opinions are kept), in order."""
    return list(
        ReviewStep.objects.filter(document=document)
        .select_related("assignee__staff", "delegated_from")
        .prefetch_related("reminders")
        .order_by("round", "stage", "id")
    )


def receipts_for_document(document: Document) -> list[DocumentReceipt]:
    return list(
        DocumentReceipt.objects.filter(document=document)
        .select_related("unit", "acknowledged_by__staff")
        .order_by("unit__sort_order", "unit__id")
    )


def _doc_related(qs: QuerySet[Document]) -> QuerySet[Document]:
    return qs.select_related("signer__staff", "created_by__staff")


def my_pending_steps(*, user: Actor) -> QuerySet[ReviewStep]:
    """待办 of the chain: steps pending with ``user`` on documents they may see."""
    person = getattr(user, "pk", None)
    if not isinstance(person, int):
        return ReviewStep.objects.none()
    visible = document_scope(actor=user, qs=Document.objects.all()).values("pk")
    return (
        ReviewStep.objects.filter(assignee_id=person, status=StepStatus.PENDING, document_id__in=visible)
        .select_related("document__created_by__staff")
        .order_by("due_at", "id")
    )


def my_returned_drafts(*, user: Actor) -> QuerySet[Document]:
    """Drafts of ``user`` that the chain sent back to them."""
    returned = ReviewStep.objects.filter(
        document_id=OuterRef("pk"), returned_to_stage=0, status=StepStatus.RETURNED
    )
    person = getattr(user, "pk", None)
    return _doc_related(
        document_scope(
            actor=user,
            qs=Document.objects.filter(created_by_id=person, status=DocStatus.DRAFT).filter(Exists(returned)),
        )
    ).order_by("-updated_at", "-id")


def documents_to_handle(*, user: Actor) -> QuerySet[Document]:
    """For the 文书 (clerk roles): signed documents to number and publish."""
    from . import access

    if not access.can_register(user):
        return Document.objects.none()
    return _doc_related(
        document_scope(actor=user, qs=Document.objects.filter(status=DocStatus.SIGNED))
    ).order_by("signed_at", "id")


def receipts_to_acknowledge(*, user: Actor) -> QuerySet[DocumentReceipt]:
    """待阅 of a receiving unit: published documents delivered to it, not yet acknowledged."""
    from office.org.selectors import unit_of_user

    unit = unit_of_user(user)
    if unit is None:
        return DocumentReceipt.objects.none()
    visible = document_scope(actor=user, qs=Document.objects.all()).values("pk")
    return (
        DocumentReceipt.objects.filter(unit=unit, acknowledged_at__isnull=True, document_id__in=visible)
        .select_related("document", "unit")
        .order_by("-delivered_at", "id")
    )


def my_done_documents(*, user: Actor) -> QuerySet[Document]:
    """已办: documents on which ``user`` acted in the chain (approved, returned, delegated)."""
    person = getattr(user, "pk", None)
    acted = ReviewStep.objects.filter(
        document_id=OuterRef("pk"),
        assignee_id=person,
        status__in=(StepStatus.APPROVED, StepStatus.RETURNED, StepStatus.DELEGATED),
    )
    return _doc_related(document_scope(actor=user, qs=Document.objects.filter(Exists(acted)))).order_by(
        "-updated_at", "-id"
    )


def my_drafts(*, user: Actor) -> QuerySet[Document]:
    """草稿: the user's own drafts."""
    person = getattr(user, "pk", None)
    return _doc_related(
        document_scope(actor=user, qs=Document.objects.filter(created_by_id=person, status=DocStatus.DRAFT))
    ).order_by("-updated_at", "-id")


def number_register(*, prefix: str, year: int) -> dict:
    """One register (机关代字, year): every number handed out with its document or its explained gap;
    a number with neither is listed as unexplained (it should never happen)."""
    last = (
        DocumentNumberSequence.objects.filter(prefix=prefix, year=year)
        .values_list("last_value", flat=True)
        .first()
        or 0
    )
    docs = {
        d.seq: d
        for d in Document.objects.filter(prefix=prefix, year=year, seq__isnull=False).only(
            "pk", "seq", "number", "title", "classification", "status", "signed_at"
        )
    }
    gaps = {
        g.seq: g
        for g in NumberGap.objects.filter(prefix=prefix, year=year).select_related("recorded_by__staff")
    }
    rows = []
    for seq in range(1, last + 1):
        rows.append(
            {
                "seq": seq,
                "number": format_register_number(prefix, year, seq),
                "document": docs.get(seq),
                "gap": gaps.get(seq),
            }
        )
    return {"prefix": prefix, "year": year, "last": last, "rows": rows}


def format_register_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{int(seq)}号"


def registers() -> list[tuple[str, int]]:
    """Every (prefix, year) register that has handed out a number."""
    return list(DocumentNumberSequence.objects.order_by("-year", "prefix").values_list("prefix", "year"))


def outgoing_for_unit(*, user: Actor, acknowledged: bool | None = None) -> QuerySet[Document]:
    """Published (or archived) documents addressed to the caller's unit, each with that unit's receipt
    (``my_receipts``): a fixed number of queries for any number of documents."""
    from django.db.models import Prefetch

    from office.org.selectors import unit_of_user

    unit = unit_of_user(user)
    if unit is None:
        return Document.objects.none()
    qs = document_scope(actor=user, qs=Document.objects.all()).order_by("-published_at", "-id")
    mine = DocumentReceipt.objects.filter(unit=unit).select_related("unit")
    if acknowledged is not None:
        acked = DocumentReceipt.objects.filter(
            document_id=OuterRef("pk"), unit=unit, acknowledged_at__isnull=False
        )
        qs = qs.filter(Exists(acked)) if acknowledged else qs.exclude(Exists(acked))
    return qs.prefetch_related(Prefetch("receipts", queryset=mine, to_attr="my_receipts"))


def outgoing_get_for_unit(*, user: Actor, id: int | str) -> Document:
    try:
        return outgoing_for_unit(user=user).get(pk=id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise not_found(_("未找到该公文，或该公文不是发给本单位的。")) from None


def steps_past_limit(*, user: Actor, now=None) -> QuerySet[ReviewStep]:
    """Pending steps of the chain past their limit, on documents the asker may see (the director's
    dashboard): longest waiting first."""
    from django.utils import timezone

    now = now or timezone.now()
    visible = document_scope(actor=user, qs=Document.objects.all()).values("pk")
    return (
        ReviewStep.objects.filter(status=StepStatus.PENDING, due_at__lt=now, document_id__in=visible)
        .select_related("document", "assignee__staff")
        .order_by("due_at", "id")
    )
