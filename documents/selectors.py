"""Reads of documents, always through ``access.document_scope``: lists, search, counts and exports see
only what the asker may know exists (a classified title never leaks through any of them)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from office.errors import not_found
from office.org.types import Actor

from .access import document_scope
from .models import Document


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
