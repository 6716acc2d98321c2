"""Monthly statistics of the duty room: reports received, on-time rates of phone and written reports,
late reports with minutes late, handovers acknowledged late; per officer and per source."""

import calendar
from datetime import date, datetime, time

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from office.errors import not_found
from office.org.types import Actor

from .. import access
from ..models import Handover, UrgentReport


def _month_span(year: int, month: int):
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last, time.max))
    return start, end


def _rate(on_time: int, due: int):
    return round(100 * on_time / due, 1) if due else None


def _annotations(now) -> dict:
    return {
        "received": Count("id"),
        "phone_due": Count("id", filter=Q(phone_reported_at__isnull=False) | Q(phone_due_at__lt=now)),
        "phone_on_time": Count("id", filter=Q(phone_reported_at__isnull=False, phone_late=False)),
        "phone_late_n": Count("id", filter=Q(phone_late=True)),
        "phone_overdue": Count("id", filter=Q(phone_reported_at__isnull=True, phone_due_at__lt=now)),
        "written_due": Count("id", filter=Q(written_reported_at__isnull=False) | Q(written_due_at__lt=now)),
        "written_on_time": Count("id", filter=Q(written_reported_at__isnull=False, written_late=False)),
        "written_late_n": Count("id", filter=Q(written_late=True)),
        "written_overdue": Count("id", filter=Q(written_reported_at__isnull=True, written_due_at__lt=now)),
        "minutes_late": Sum("phone_minutes_late") + Sum("written_minutes_late"),
    }


def _finish(row: dict) -> dict:
    row["phone_rate"] = _rate(row["phone_on_time"], row["phone_due"])
    row["written_rate"] = _rate(row["written_on_time"], row["written_due"])
    row["minutes_late"] = row["minutes_late"] or 0
    return row


def duty_stats_for_user(*, user: Actor, year: int, month: int) -> dict:
    if not access.can_view_duty_stats(user):
        raise not_found()
    start, end = _month_span(year, month)
    now = timezone.now()
    reports = UrgentReport.objects.filter(received_at__range=(start, end))
    ann = _annotations(now)
    totals = _finish(reports.aggregate(**ann))
    per_officer = [
        {**_finish(row), "name": row["duty_officer__staff__name"] or _("（无人在班）")}
        for row in reports.values("duty_officer", "duty_officer__staff__name")
        .annotate(**ann)
        .order_by("-received")
    ]
    per_source = [
        {**_finish(row), "name": row["source_unit__name"] or _("值班室直接接报")}
        for row in reports.values("source_unit", "source_unit__name").annotate(**ann).order_by("-received")
    ]
    late = list(
        reports.filter(Q(phone_late=True) | Q(written_late=True))
        .select_related("source_unit", "duty_officer__staff")
        .order_by("received_at")
    )
    handovers = Handover.objects.filter(to_shift__starts_at__range=(start, end))
    late_handovers = list(
        handovers.filter(acknowledged_late=True).select_related("to_shift", "incoming_officer__staff")
    )
    from datetime import timedelta

    from .. import conf
    from ..models import HandoverStatus, RosterStatus, Shift

    # Shifts whose start passed the acknowledgement limit without an acknowledged handover.
    unacknowledged = (
        Shift.objects.filter(
            roster__status=RosterStatus.PUBLISHED,
            starts_at__range=(start, min(end, now - timedelta(minutes=conf.handover_ack_minutes()))),
        )
        .exclude(handover_in__status=HandoverStatus.ACKNOWLEDGED)
        .count()
    )
    return {
        "unacknowledged_shifts": unacknowledged,
        "year": year,
        "month": month,
        "totals": totals,
        "per_officer": per_officer,
        "per_source": per_source,
        "late_reports": late,
        "handovers": handovers.count(),
        "late_handovers": late_handovers,
    }
