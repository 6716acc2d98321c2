"""Reads of urgent reports. Office staff see all; an external unit (user or API key) only its own."""

from django.db.models import Prefetch, QuerySet

from office.errors import Forbidden, NotFound, not_found
from office.files.registry import ProtectedFile
from office.org.types import Actor

from .. import access
from ..models import ReportAttachment, ReportStatus, ReportUpdate, UpwardReport, UrgentReport


def report_list_for_user(
    *, user: Actor, status: str | None = None, level: str | None = None
) -> QuerySet[UrgentReport]:
    qs = access.report_scope(
        actor=user, qs=UrgentReport.objects.select_related("source_unit", "received_by__staff", "shift")
    )
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-received_at", "-id")


def report_get_for_user(*, user: Actor, id) -> UrgentReport:
    report = (
        report_list_for_user(user=user)
        .prefetch_related(
            Prefetch(
                "updates", queryset=ReportUpdate.objects.select_related("submitted_by__staff").order_by("seq")
            ),
            Prefetch("upward_reports", queryset=UpwardReport.objects.select_related("recorded_by__staff")),
            Prefetch("attachments", queryset=ReportAttachment.objects.select_related("update")),
            "alerts",
        )
        .filter(pk=id)
        .first()
    )
    if report is None:
        raise not_found()
    return access.report_access_for_action(actor=user, report=report, action="view")


def report_for_action(*, user: Actor, id, action: str) -> UrgentReport:
    """The report alone (no updates, upward reports or attachments read), when ``user`` may do
    ``action`` with it: what a write needs before its service locks the row and reads it again."""
    report = access.report_scope(actor=user, qs=UrgentReport.objects.all()).filter(pk=id).first()
    if report is None:
        raise not_found()
    return access.report_access_for_action(actor=user, report=report, action=action)


def report_status_for_user(*, user: Actor, id) -> UrgentReport:
    """A report as the API shows it to the unit that sent it: its unit, its updates in order and its
    attachments (three queries; the duty room's page reads more with ``report_get_for_user``)."""
    report = (
        access.report_scope(actor=user, qs=UrgentReport.objects.select_related("source_unit"))
        .prefetch_related(
            Prefetch("updates", queryset=ReportUpdate.objects.order_by("seq")),
            Prefetch("attachments", queryset=ReportAttachment.objects.select_related("update")),
        )
        .filter(pk=id)
        .first()
    )
    if report is None:
        raise not_found()
    return access.report_access_for_action(actor=user, report=report, action="view")


def report_attachment_file(*, actor: Actor, pk) -> ProtectedFile:
    """The file kind ``duty-report-attachment``: an attachment of a report the actor may see (a unit
    only its own reports'); missing and not-yours both answer NotFound."""
    attachment = ReportAttachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None:
        raise not_found()
    try:
        access.report_access_for_action(actor=actor, report=attachment.report, action="attachment")
    except (Forbidden, NotFound):
        raise not_found() from None
    return ProtectedFile(file=attachment.file, name=attachment.name, subject=attachment.report)


def reports_needing_action() -> QuerySet[UrgentReport]:
    """Open reports and reports with an upward report still owed, soonest limit first (the board)."""
    from ..services.handover import open_reports_q

    return UrgentReport.objects.filter(open_reports_q()).select_related("source_unit").order_by("received_at")


def closed_status() -> str:
    return ReportStatus.CLOSED


def late_reports_count(*, user: Actor, year: int, month: int) -> int:
    """Reports received in the month with a late phone or written report: the rows of the stats
    page's 迟报 list (the director's dashboard links there)."""
    from django.db.models import Q

    from .stats import _month_span

    if not access.can_view_duty_stats(user):
        return 0
    start, end = _month_span(year, month)
    return (
        UrgentReport.objects.filter(received_at__range=(start, end))
        .filter(Q(phone_late=True) | Q(written_late=True))
        .count()
    )
