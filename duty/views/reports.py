from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from office.files.registry import file_url
from office.files.validation import safe_filename
from office.files.views import attachment_response

from .. import access
from ..forms import LevelForm, ReportCreateForm, ReportUpdateForm, UpwardForm
from ..models import REPORT_ELEMENTS, ReportLevel, ReportStatus
from ..rendering import report_docx
from ..selectors.reports import report_for_action, report_get_for_user, report_list_for_user
from ..services import reports as services
from .common import FORM_ERRORS, duty_required


@duty_required
def report_list(request):
    status = request.GET.get("status") or ""
    level = request.GET.get("level") or ""
    qs = report_list_for_user(user=request.user, status=status or None, level=level or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "duty/report_list.html",
        {
            "page": page,
            "status": status,
            "level": level,
            "levels": ReportLevel.choices,
            "statuses": ReportStatus.choices,
        },
    )


@duty_required
def report_create(request):
    form = ReportCreateForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_receive(
                actor=request.user,
                title=form.cleaned_data["title"],
                level=form.cleaned_data["level"],
                elements=form.elements(),
                text=form.cleaned_data["text"],
                source_unit=form.cleaned_data["source_unit"],
                received_at=form.cleaned_data["received_at"],
                attachments=form.cleaned_data["attachments"],
            )
        except FORM_ERRORS as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("紧急信息已登记，报告时限开始计时。"))
            return redirect("duty:report-detail", report.pk)
    return render(request, "duty/report_form.html", {"form": form}, status=status)


def _attachment_rows(report) -> list[dict]:
    """Every attachment with the submission it came with (首报/续报N/终报) and its download link."""
    return [
        {
            "name": a.name,
            "size": a.size,
            "label": a.update.label if a.update_id else "",
            "url": file_url("duty-report-attachment", a.pk),
        }
        for a in report.attachments.all()
    ]


def _element_rows(report):
    return [
        {"key": key, "label": label, "key_fact": key_fact, "value": (report.elements or {}).get(key, "")}
        for key, label, key_fact in REPORT_ELEMENTS
    ]


@duty_required
def report_detail(request, pk):
    report = report_get_for_user(user=request.user, id=pk)
    return render(
        request,
        "duty/report_detail.html",
        {
            "report": report,
            "elements": _element_rows(report),
            "missing": services.missing_elements(report.elements),
            "update_form": ReportUpdateForm(),
            "upward_form": UpwardForm(),
            "level_form": LevelForm(initial={"level": report.level}),
            "attachments": _attachment_rows(report),
            "can": access.report_permissions(request.user, report),
            "now": timezone.now(),
        },
    )


@require_POST
@duty_required
def report_update(request, pk):
    report = report_for_action(user=request.user, id=pk, action="update")
    form = ReportUpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            update = services.report_add_update(
                actor=request.user,
                report=report,
                kind=form.cleaned_data["kind"],
                elements=form.elements(),
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data["attachments"],
                missing_reason=form.cleaned_data["missing_reason"],
            )
            messages.success(request, _("%(label)s已登记。") % {"label": update.label})
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
    else:
        messages.error(
            request, _("提交的数据有误：") + "；".join(str(e) for errs in form.errors.values() for e in errs)
        )
    return redirect("duty:report-detail", pk)


@require_POST
@duty_required
def report_upward(request, pk):
    report = report_for_action(user=request.user, id=pk, action="upward")
    form = UpwardForm(request.POST)
    if form.is_valid():
        try:
            upward = services.report_record_upward(actor=request.user, report=report, **form.cleaned_data)
            if upward.is_late:
                messages.warning(
                    request,
                    _("已记录。该报告超过时限 %(n)s 分钟，已标记为迟报。") % {"n": upward.minutes_late},
                )
            else:
                messages.success(request, _("报告记录已登记。"))
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
    else:
        messages.error(
            request, _("提交的数据有误：") + "；".join(str(e) for errs in form.errors.values() for e in errs)
        )
    return redirect("duty:report-detail", pk)


@require_POST
@duty_required
def report_level(request, pk):
    report = report_for_action(user=request.user, id=pk, action="change_level")
    form = LevelForm(request.POST)
    if form.is_valid():
        try:
            services.report_change_level(actor=request.user, report=report, level=form.cleaned_data["level"])
            messages.success(request, _("级别已调整，未完成的报告时限已重新计算。"))
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
    return redirect("duty:report-detail", pk)


def report_docx_filename(report) -> str:
    """A name a clerk recognises in the downloads folder: the report's title."""
    title = report.title.replace("/", "-").replace("\\", "-")
    return safe_filename(f"{title}.docx", default=f"urgent-report-{report.pk}.docx")


@duty_required
def report_docx_download(request, pk):
    report = report_get_for_user(user=request.user, id=pk)
    access.report_access_for_action(actor=request.user, report=report, action="docx")
    data = report_docx(report)
    response = attachment_response(
        data, filename=report_docx_filename(report), ascii_fallback=f"urgent-report-{report.pk}.docx"
    )
    return response
