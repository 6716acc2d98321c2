from django.contrib.auth import get_user_model

from office.errors import OfficeError
from office.org.types import Actor


class ResearchError(OfficeError):
    """A rule of 政研 was broken (code invalid / conflict / forbidden / not_found)."""


def acting_user(actor: Actor):
    """The actor as a user to write into a foreign key (None for the system or an API key)."""
    return actor if isinstance(actor, get_user_model()) and actor.pk else None


def invalid(field: str, message: str) -> ResearchError:
    return ResearchError(message, code="invalid", fields={field: [message]})


def id_or_none(value):
    pk = getattr(value, "pk", value)
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None
