"""Reading the security log and the business audit trail for the audit administrator's page."""

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from office.audit.models import AuditEvent
from office.errors import Forbidden

from .access import can_read_security_log
from .models import SecurityEvent


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def _day_end(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.max))


def _filtered(qs: QuerySet, *, q: str, kind_field: str, kind: str, date_from, date_to) -> QuerySet:
    if q:
        qs = qs.filter(
            Q(actor__username__icontains=q)
            | Q(actor__staff__name__icontains=q)
            | Q(actor_label__icontains=q)
            | Q(subject_repr__icontains=q)
        )
    if kind:
        qs = qs.filter(**{kind_field: kind})
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(created_at__lte=_day_end(date_to))
    return qs


def log_search(
    *, actor, log: str = "security", q: str = "", kind: str = "", date_from=None, date_to=None
) -> QuerySet:
    """The rows of one log (``security`` or ``audit``) matching the filters, newest first; only the
    audit administrator may search (anyone else: Forbidden)."""
    if not can_read_security_log(actor):
        raise Forbidden()
    if log == "audit":
        qs = AuditEvent.objects.select_related("actor__staff", "subject_type")
        return _filtered(
            qs, q=q, kind_field="verb__icontains", kind=kind, date_from=date_from, date_to=date_to
        )
    rows = SecurityEvent.objects.select_related("actor__staff", "subject_type")
    return _filtered(rows, q=q, kind_field="kind", kind=kind, date_from=date_from, date_to=date_to)
