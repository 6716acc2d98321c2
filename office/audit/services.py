"""``audit_record`` is the one way every app writes the audit trail."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from office.org.types import Actor

from .models import AuditEvent


class AuditOutsideTransactionError(RuntimeError):
    pass


def audit_record(
    *, actor: Actor, verb: str, subject=None, data: dict | None = None, actor_label: str = ""
) -> AuditEvent:
    """Write one audit event inside the caller's transaction.

    ``actor`` is a user, or None for the system (give ``actor_label``, e.g. "时钟" or an API key's
    unit). It must be called inside ``transaction.atomic`` so that the event and the change it
    records commit or roll back together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransactionError("audit_record must run inside the service's transaction")
    user = actor if isinstance(actor, get_user_model()) else None
    if user is None and not actor_label:
        actor_label = str(actor) if actor is not None else "系统"
    event = AuditEvent(actor=user, actor_label=actor_label[:100], verb=verb, data=data or {})
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        event.subject_id = str(subject.pk)
        event.subject_repr = str(subject)[:255]
    event.save(force_insert=True)
    return event


ACCESS_ACTIONS = ("view", "download", "export")


def access_log_record(*, actor: Actor, subject, action: str, request=None, classification: str = ""):
    """Write one row of the classified-access log (a read needs no surrounding transaction)."""
    from .models import AccessLog

    if action not in ACCESS_ACTIONS:
        raise ValueError(f"unknown access action {action!r}")
    user = actor if isinstance(actor, get_user_model()) else None
    row = AccessLog(
        actor=user,
        actor_label=("" if user else str(actor or "系统"))[:100],
        action=action,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        subject_id=str(subject.pk),
        subject_repr=str(subject)[:255],
        classification=classification,
    )
    if request is not None:
        from django.conf import settings

        # the client's address as the TLS proxy saw it, only when one is declared in front of us
        behind_proxy = settings.SECURE_PROXY_SSL_HEADER is not None
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if behind_proxy else ""
        row.ip = (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")) or None
        row.user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
        row.path = request.path[:255]
    row.save(force_insert=True)
    return row
