"""The duty room's gauges on /metrics (registered in DutyConfig.ready()): what an operator watches on a
typhoon night beside the clock's own (timers due, tick lag, queue depth)."""

from django.db.models import Q
from django.utils import timezone

from .models import ReportStatus, UrgentReport


def open_urgent_reports() -> int:
    return UrgentReport.objects.filter(status=ReportStatus.OPEN).count()


def urgent_reports_overdue() -> int:
    """Open reports past a reporting limit (phone or written) that has not been met: alarms in force."""
    now = timezone.now()
    return (
        UrgentReport.objects.filter(status=ReportStatus.OPEN)
        .filter(
            Q(phone_due_at__lt=now, phone_reported_at__isnull=True)
            | Q(written_due_at__lt=now, written_reported_at__isnull=True)
        )
        .count()
    )
