from datetime import UTC, datetime, timedelta

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
    app=None,
    date_from=None,
    date_to=None,
) -> QuerySet[AuditEvent]:
    """The trail, filtered, newest first. Only the director, deputy directors and superusers may read it.

    ``verb`` is a registered verb (exact) or a prefix; ``app`` one of the registry's apps (its verbs).
    """
    from . import verbs

    audit_trail_access(actor=user)
    qs = _filtered(
        AuditEvent.objects.select_related("actor__staff", "subject_type"),
        subject_type_id=subject_type_id,
        subject_id=subject_id,
        actor_id=actor_id,
        date_from=date_from,
        date_to=date_to,
    )
    if app:
        codes = verbs.app_verb_codes(app)
        qs = qs.filter(verb__in=codes) if codes else qs.filter(verb__startswith=f"{app}.")
    if verb:
        qs = qs.filter(verb=verb) if verbs.verb_of(verb) else qs.filter(verb__startswith=verb)
    return qs


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def audit_event_page(qs: QuerySet[AuditEvent], *, before=None, size: int = 50) -> tuple[list, str]:
    """One page of the trail read off the (created_at, id) index: the rows older than the cursor
    ``before`` ("<unix microseconds>-<id>"), and the cursor of the next page ("" at the end). No COUNT
    and no OFFSET: the cost of a page does not grow with the table."""
    import datetime as dt

    from django.db.models import Q

    if before:
        try:
            micros, pk = (int(p) for p in str(before).split("-", 1))
            at = _EPOCH + dt.timedelta(microseconds=micros)  # exact: no float on the way
        except (TypeError, ValueError, OverflowError, OSError):
            at = None
        if at is not None:
            qs = qs.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    rows = list(qs.order_by("-created_at", "-id")[: size + 1])
    cursor = ""
    if len(rows) > size:
        last = rows[size - 1]
        cursor = f"{(last.created_at - _EPOCH) // dt.timedelta(microseconds=1)}-{last.pk}"
    return rows[:size], cursor


def _filtered(qs: QuerySet, *, subject_type_id, subject_id, actor_id, date_from, date_to) -> QuerySet:
    """The filters the audit trail and the access log share (both rows name a subject and an actor)."""
    if subject_type_id:
        qs = qs.filter(subject_type_id=subject_type_id)
    if subject_id:
        qs = qs.filter(subject_id=str(subject_id))
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    # Whole local days as a range on the indexed column (``created_at__date`` would read every row).
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return qs


def _day_start(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.min))


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


def audit_app_versions() -> dict[str, tuple[int, int]]:
    """For each app that has written to the audit trail: (its rows linked onto the chain, its rows
    committed and not linked yet). The pair moves with every commit of that app (a new unlinked row) and
    with every link (the first number grows by what the second loses), and at no other time: a reader
    who finds the same pair twice knows nothing of that app was written in between, whichever order
    transactions commit in. Two queries (the head; the unlinked rows, counted per verb on their index)."""
    from django.db.models import Count

    from .chain import verb_app
    from .models import AuditChain

    linked = AuditChain.objects.filter(name="audit_event").values_list("tallies", flat=True).first() or {}
    unlinked: dict[str, int] = {}
    for verb, n in (
        AuditEvent.objects.filter(seq__isnull=True).order_by().values_list("verb").annotate(n=Count("id"))
    ):
        app = verb_app(verb)
        unlinked[app] = unlinked.get(app, 0) + n
    return {app: (int(linked.get(app, 0)), unlinked.get(app, 0)) for app in sorted({*linked, *unlinked})}
