"""The stored answers of the API's ``Idempotency-Key`` (office/api/idempotency.py holds the HTTP side).

A key is claimed by inserting its row inside the transaction that also runs the view's service; the row
gets the answer before that transaction commits. So a committed row always has its answer, and a write
exists exactly when its key's row does. Two requests racing with one key meet at the unique constraint
(principal, key): the second insert waits for the first transaction and then fails, and its transaction
(which has written nothing yet) is rolled back whole.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from office.conf import office_setting

from .models import IdempotencyKey

DEFAULT_HOURS = 24


def idempotency_hours() -> float:
    """How long a key is remembered (``OFFICE_API_IDEMPOTENCY_HOURS``, 24 by default)."""
    return float(office_setting("OFFICE_API_IDEMPOTENCY_HOURS", DEFAULT_HOURS))


def idempotency_cutoff(*, now: datetime | None = None) -> datetime:
    """Rows created before this moment have expired: their key is new again."""
    return (now or timezone.now()) - timedelta(hours=idempotency_hours())


@dataclass(frozen=True)
class Claim:
    row: IdempotencyKey
    created: bool  # True: this request holds the key and runs; False: ``row`` is the earlier answer


def idempotency_claim(
    *, principal: str, principal_label: str, key: str, method: str, path: str, fingerprint: str
) -> Claim:
    """Within the caller's transaction: the caller's earlier row for ``key`` if one is still in force,
    else a new row without an answer yet (which the caller fills with ``idempotency_record`` before it
    commits). An expired row is deleted first. Raises IntegrityError when another transaction inserted
    the same key meanwhile (the caller must then roll back and read the winner's answer)."""
    if not connection.in_atomic_block:
        raise RuntimeError("idempotency_claim must run inside the transaction of the request's write")
    earlier = IdempotencyKey.objects.filter(principal=principal, key=key).first()
    if earlier is not None and earlier.created_at >= idempotency_cutoff():
        return Claim(row=earlier, created=False)
    if earlier is not None:  # expired: the key is new again (one read, not a read and a delete, when not)
        earlier.delete()
    row = IdempotencyKey.objects.create(
        principal=principal,
        principal_label=principal_label[:200],
        key=key,
        method=method,
        path=path[:4096],
        fingerprint=fingerprint,
    )
    return Claim(row=row, created=True)


def idempotency_record(*, row: IdempotencyKey, status_code: int, body: str) -> IdempotencyKey:
    """Store the answer of the request that claimed ``row`` (in the same transaction)."""
    row.status_code = status_code
    row.body = body
    row.save(update_fields=["status_code", "body"])
    return row


def idempotency_stored(*, principal: str, key: str) -> IdempotencyKey | None:
    """The committed answer for a key still in force (what the loser of a race answers), or None."""
    return IdempotencyKey.objects.filter(
        principal=principal, key=key, created_at__gte=idempotency_cutoff(), status_code__isnull=False
    ).first()


@transaction.atomic
def idempotency_purge(*, now: datetime | None = None) -> int:
    """Delete the keys that have expired; returns how many. Run by beat (office.api.idempotency_purge)."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=idempotency_cutoff(now=now)).delete()
    return deleted
