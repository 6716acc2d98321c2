"""Reads of documents, scoped by who asks: office staff see all; an external unit (user or API key)
sees published documents addressed to it or to all units."""

from django.db.models import Q, QuerySet
from django.http import Http404

from office.org.roles import is_internal
from office.org.selectors import unit_of_user

from .models import DocStatus, Document


def document_list_for_user(
    *, user, origin: str | None = None, status: str | None = None, doc_type: str | None = None
) -> QuerySet[Document]:
    qs = Document.objects.select_related("signer__staff", "created_by__staff").order_by("-created_at", "-id")
    if not is_internal(user):
        unit = unit_of_user(user)
        if unit is None:
            return qs.none()
        qs = qs.filter(status=DocStatus.PUBLISHED).filter(Q(to_all_units=True) | Q(recipient_units=unit))
        qs = qs.distinct()
    if origin:
        qs = qs.filter(origin=origin)
    if status:
        qs = qs.filter(status=status)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    return qs


def document_get_for_user(*, user, id) -> Document:
    try:
        return document_list_for_user(user=user).get(pk=id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def documents_for_origin(*, origin: str, origin_ref: str) -> QuerySet[Document]:
    return Document.objects.filter(origin=origin, origin_ref=origin_ref).order_by("created_at", "id")
