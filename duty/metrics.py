"""The duty room's gauges on /metrics (registered in DutyConfig.ready()): what an operator watches on a
typhoon night beside the clock's own (timers due and overdue, tick lag, seconds since the last sweep,
queue depth)."""

from django.db.models import Q
from django.utils import timezone

from .models import ReportStatus, UrgentReport


def open_urgent_reports() -> int:
    return UrgentReport.objects.filter(status=ReportStatus.OPEN).count()


def urgent_reports_overdue() -> int:
    """Reports past a reporting limit (phone or written) that has not been met: alarms in force. A final
    report closes a report but does not discharge the upward reports still owed, so closed reports count
    too (read through the partial index of the reports needing action)."""
    now = timezone.now()
    return UrgentReport.objects.filter(
        Q(phone_due_at__lt=now, phone_reported_at__isnull=True)
        | Q(written_due_at__lt=now, written_reported_at__isnull=True)
    ).count()
