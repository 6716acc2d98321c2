"""The ranking's summary (``RankingMonth``): per unit and month of submission, the counts the ranking and
the timeliness table sum, kept right by the services in the transaction of each change.

What changes a count: a report's first submission (report_sign), a stage ending late (report_to_approval,
report_approve, report_send_upward, bulletin_publish), the clock marking an open stage late
(stage_mark_late), an adoption or an instruction (adoption_record). Each of these calls ``bucket_lock``
before it locks the report and ``bucket_refresh`` after saving it. The refresh recounts its one bucket (a
unit's month: tens of reports) from the reports and adoptions, so the row is right whatever changed, and
``ranking_rebuild`` (``manage.py information_rebuild_ranking``) recounts every bucket after a bulk import.

Lock order, everywhere (these services and the clock's handler): the bucket row, then the report row.
The bucket's row lock serialises the recounts of one unit's month (under READ COMMITTED the second
recount, run after the first transaction commits, sees its change); taking it before the report means
that no transaction holding a report waits for a bucket, so no two wait for each other through a report
and a bucket (the clock's batch of timers included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import ADOPTION_LEVELS, Adoption, AdoptionKind, InfoReport, RankingMonth

Key = tuple[int, dt.date]  # (unit id, first day of the month)

# the reports' counts and the adoptions' counts of a bucket, as aggregates; their names are RankingMonth's
REPORT_COUNTS = {
    "submitted": Count("pk"),
    "submit_late": Count("pk", filter=Q(submit_late=True)),
    "edit_late": Count("pk", filter=Q(edit_late=True)),
    "approve_late": Count("pk", filter=Q(approve_late=True)),
    "send_late": Count("pk", filter=Q(send_late=True)),
}
ADOPTION_COUNTS = {
    "adopted": Count("report", distinct=True, filter=Q(kind__in=ADOPTION_LEVELS)),
    **{kind: Count("pk", filter=Q(kind=kind)) for kind in AdoptionKind.values},
}
COUNT_FIELDS = (*REPORT_COUNTS, *ADOPTION_COUNTS)


def month_of(at: dt.datetime) -> dt.date:
    """The bucket's month of a moment: its first day, in local time (the periods' own boundaries)."""
    return timezone.localtime(at).date().replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(month.year, month.month, 1))
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, timezone.make_aware(dt.datetime(following.year, following.month, 1))


def bucket_key(report: InfoReport, *, submitting_at: dt.datetime | None = None) -> Key | None:
    """The report's bucket: its unit and month of submission (``submitting_at`` for a report being
    submitted now); None for a report never submitted (it counts nowhere yet)."""
    at = report.submitted_at or submitting_at
    return None if at is None else (report.unit_id, month_of(at))


def _locked(key: Key) -> RankingMonth:
    unit_id, month = key
    row = RankingMonth.objects.select_for_update().filter(unit_id=unit_id, month=month).first()
    if row is None:
        # a concurrent first insert of the same bucket waits for that one, then does nothing
        RankingMonth.objects.bulk_create([RankingMonth(unit_id=unit_id, month=month)], ignore_conflicts=True)
        row = RankingMonth.objects.select_for_update().get(unit_id=unit_id, month=month)
    return row


def bucket_lock(reports: Iterable[InfoReport], *, submitting_at: dt.datetime | None = None) -> None:
    """Lock the reports' buckets (in one order) before their reports are locked: see the lock order above.
    The report may be a stale copy: its unit and month of submission do not change once submitted."""
    keys = {bucket_key(r, submitting_at=submitting_at) for r in reports}
    for key in sorted(k for k in keys if k is not None):
        _locked(key)


def bucket_counts(key: Key) -> dict[str, int]:
    """A bucket's counts, recounted from its reports and their adoptions (two small aggregates on the
    (unit, submitted_at) index)."""
    unit_id, month = key
    start, end = month_bounds(month)
    counts = InfoReport.objects.filter(
        unit_id=unit_id, submitted_at__gte=start, submitted_at__lt=end
    ).aggregate(**REPORT_COUNTS)
    counts.update(
        Adoption.objects.filter(
            report__unit_id=unit_id, report__submitted_at__gte=start, report__submitted_at__lt=end
        ).aggregate(**ADOPTION_COUNTS)
    )
    return {name: counts[name] or 0 for name in COUNT_FIELDS}


def bucket_refresh(report: InfoReport) -> None:
    """After a change to ``report`` (saved): its bucket recounted, in the caller's transaction."""
    key = bucket_key(report)
    if key is None:
        return
    row = _locked(key)
    counts = bucket_counts(key)
    if any(getattr(row, name) != value for name, value in counts.items()):
        for name, value in counts.items():
            setattr(row, name, value)
        row.save(update_fields=list(counts))


def ranking_recount() -> dict[Key, dict[str, int]]:
    """Every bucket recounted from every submitted report and adoption (two grouped queries): what the
    summary must equal, and what the rebuild writes."""
    out: dict[Key, dict[str, int]] = {}
    reports = (
        InfoReport.objects.filter(submitted_at__isnull=False)
        .annotate(m=TruncMonth("submitted_at"))
        .order_by()
        .values("unit_id", "m")
        .annotate(**REPORT_COUNTS)
    )
    for r in reports:
        out[(r["unit_id"], r["m"].date())] = {name: r.get(name, 0) or 0 for name in COUNT_FIELDS}
    adoptions = (
        Adoption.objects.filter(report__submitted_at__isnull=False)
        .annotate(m=TruncMonth("report__submitted_at"))
        .order_by()
        .values("report__unit_id", "m")
        .annotate(**ADOPTION_COUNTS)
    )
    for a in adoptions:
        counts = out[(a["report__unit_id"], a["m"].date())]
        counts.update({name: a[name] or 0 for name in ADOPTION_COUNTS})
    return out


@transaction.atomic
def ranking_rebuild() -> int:
    """Replace every summary row by a recount (after reports were imported in bulk, or to repair). Returns
    the number of buckets."""
    RankingMonth.objects.all().delete()
    rows = [
        RankingMonth(unit_id=unit_id, month=month, **counts)
        for (unit_id, month), counts in sorted(ranking_recount().items())
    ]
    RankingMonth.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
