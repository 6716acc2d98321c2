"""What every documents service shares: the error, the sign-off hook registry, the actor as a person,
view grants and the row lock."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from guardian.shortcuts import assign_perm

from office.errors import ServiceError
from office.org.types import Actor

from .. import access
from ..models import Document


class DocumentError(ServiceError):
    pass


SIGN_OFF_HOOKS: dict[str, list[Callable[[Document], None]]] = {}


def register_sign_off_hook(origin: str, fn: Callable[[Document], None]) -> None:
    """``fn(document)`` runs inside the sign-off transaction of every document of ``origin`` signed by a
    person (never for a document the system issues directly). Register from ``AppConfig.ready()``."""
    hooks = SIGN_OFF_HOOKS.setdefault(origin, [])
    if fn not in hooks:
        hooks.append(fn)


def person(actor: Actor):
    """The actor as a user to write into a foreign key (None for the system or an API key)."""
    return actor if isinstance(actor, get_user_model()) and actor.pk else None


def grant_view(user, doc: Document) -> None:
    if user is not None:
        assign_perm(f"documents.{access.VIEW_PERMISSION}", user, doc)


def locked(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


def display_name(user) -> str:
    staff = getattr(user, "staff", None) if user is not None else None
    if staff is not None and staff.name:
        return staff.name
    return user.get_username() if user is not None else "系统"
