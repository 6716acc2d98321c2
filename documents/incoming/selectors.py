"""Read-side queries for incoming documents (收文)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from documents.models import Document


def incoming_todo(user: Any) -> QuerySet[Any]:
    """Incoming documents awaiting this user's action (stub: real rows once the incoming models land)."""
    return Document.objects.none()


def incoming_to_read(user: Any) -> QuerySet[Any]:
    """传阅 to this user not yet read (stub)."""
    return Document.objects.none()


def incoming_done(user: Any) -> QuerySet[Any]:
    """Incoming documents this user has acted on (stub)."""
    return Document.objects.none()
