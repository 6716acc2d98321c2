"""Each app registers, per kind of file it stores, a resolver that asks the app's access module and
returns the file: ``register_file_kind("supervision-feedback", resolver)`` in AppConfig.ready().

A resolver is ``resolver(*, actor: Actor, pk) -> ProtectedFile`` and raises ``office.errors.NotFound`` both
when the file is missing and when the actor may not have it (existence is need-to-know)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from office.errors import not_found
from office.org.types import Actor


@dataclass(frozen=True)
class ProtectedFile:
    file: Any  # a FieldFile
    name: str  # the original (safe) name, for Content-Disposition
    subject: Any = None  # the object whose access decided it (for the classified-access log)
    classification: str = ""  # set when the read must be logged (秘密 and above)


Resolver = Callable[..., ProtectedFile]
_RESOLVERS: dict[str, Resolver] = {}


def register_file_kind(kind: str, resolver: Resolver) -> None:
    if kind in _RESOLVERS and _RESOLVERS[kind] is not resolver:
        raise ValueError(f"file kind {kind!r} is registered twice")
    _RESOLVERS[kind] = resolver


def registered_kinds() -> list[str]:
    return sorted(_RESOLVERS)


def protected_file_for_actor(*, actor: Actor, kind: str, pk: int) -> ProtectedFile:
    resolver = _RESOLVERS.get(kind)
    if resolver is None:
        raise not_found()
    found = resolver(actor=actor, pk=pk)
    if not found.file:
        raise not_found()
    return found


def file_url(kind: str, pk: int, *, request=None, api: bool = False) -> str:
    """The download address of a file: the portal's for pages; with ``api`` the API's, absolute when
    ``request`` is given (the schema declares it ``format: uri``)."""
    url = reverse("api-file" if api else "file-download", kwargs={"kind": kind, "pk": pk})
    return request.build_absolute_uri(url) if request is not None else url
