"""Reads of urgent reports. Office staff see all; an external unit (user or API key) only its own."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from office.org.roles import is_internal
from office.org.selectors import unit_of_user

from ..models import ReportStatus, ReportUpdate, UpwardReport, UrgentReport


def report_list_for_user(
    *, user, status: str | None = None, level: str | None = None
) -> QuerySet[UrgentReport]:
    qs = UrgentReport.objects.select_related("source_unit", "received_by__staff", "shift")
    if not is_internal(user):
        unit = unit_of_user(user)
        qs = qs.filter(source_unit=unit) if unit is not None else qs.none()
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-received_at", "-id")


def report_get_for_user(*, user, id) -> UrgentReport:
    report = (
        report_list_for_user(user=user)
        .prefetch_related(
            Prefetch(
                "updates", queryset=ReportUpdate.objects.select_related("submitted_by__staff").order_by("seq")
            ),
            Prefetch("upward_reports", queryset=UpwardReport.objects.select_related("recorded_by__staff")),
            "attachments",
            "alerts",
        )
        .filter(pk=id)
        .first()
    )
    if report is None:
        raise Http404
    return report


def reports_needing_action() -> QuerySet[UrgentReport]:
    """Open reports and reports with an upward report still owed, soonest limit first (the board)."""
    from ..services.handover import open_reports_q

    return UrgentReport.objects.filter(open_reports_q()).select_related("source_unit").order_by("received_at")


def closed_status() -> str:
    return ReportStatus.CLOSED
