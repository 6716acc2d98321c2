from django.db.models import QuerySet

from office.org.types import Actor

from .access import access_log_access, audit_trail_access
from .models import AccessLog, AuditEvent


def audit_event_list_for_user(
    *,
    user: Actor,
    subject_type_id=None,
    subject_id=None,
    actor_id=None,
    verb=None,
    date_from=None,
    date_to=None,
) -> QuerySet[AuditEvent]:
    """The trail, filtered. Only the director, deputy directors and superusers may read it."""
    audit_trail_access(actor=user)
    qs = _filtered(
        AuditEvent.objects.select_related("actor__staff", "subject_type"),
        subject_type_id=subject_type_id,
        subject_id=subject_id,
        actor_id=actor_id,
        date_from=date_from,
        date_to=date_to,
    )
    return qs.filter(verb__startswith=verb) if verb else qs


def _filtered(qs: QuerySet, *, subject_type_id, subject_id, actor_id, date_from, date_to) -> QuerySet:
    """The filters the audit trail and the access log share (both rows name a subject and an actor)."""
    if subject_type_id:
        qs = qs.filter(subject_type_id=subject_type_id)
    if subject_id:
        qs = qs.filter(subject_id=str(subject_id))
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def audit_events_for_subject(subject) -> QuerySet[AuditEvent]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    return AuditEvent.objects.filter(subject_type=ct, subject_id=str(subject.pk)).select_related(
        "actor__staff"
    )


def access_log_list_for_user(
    *, user: Actor, subject_type_id=None, subject_id=None, actor_id=None, date_from=None, date_to=None
) -> QuerySet[AccessLog]:
    """Reads of classified objects, newest first: for the director and the 机要科 chief only."""
    access_log_access(actor=user)
    return _filtered(
        AccessLog.objects.select_related("actor__staff", "subject_type"),
        subject_type_id=subject_type_id,
        subject_id=subject_id,
        actor_id=actor_id,
        date_from=date_from,
        date_to=date_to,
    )
