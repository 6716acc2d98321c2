"""Pages of 信息报送: thin — check the input's shape, ask the access module (the rules the services
enforce), call one selector or service, render. A broken rule comes back as the Chinese message (on the
form, or a redirect with the message); a refusal is the portal's 403/404 page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents.pdf import PdfUnavailable, docx_to_pdf, pdf_filename
from office.errors import Forbidden, NotFound, ServiceError
from office.files.registry import file_url
from office.files.views import attachment_response
from office.web.forms import service_error_to_form

from . import access, forms, selectors
from .models import STAGE_FIELDS, InfoStatus, Outlet, Stage
from .rendering import RANKING_COLUMNS, issue_docx_bytes, issue_layout, ranking_rows, ranking_xlsx
from .services import bulletin as bulletin_services
from .services import feedback as feedback_services
from .services import reports as report_services

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fail(request, exc: ServiceError, to: str):
    if isinstance(exc, Forbidden | NotFound):
        raise exc
    messages.error(request, str(exc))
    return redirect(to)


def _require(predicate, request, message):
    if not predicate(request.user):
        raise Forbidden(message)


@login_required
@require_GET
def report_list(request):
    _require(access.can_list, request, _("只有办公室和各单位的信息员可以使用信息报送。"))
    status = request.GET.get("status", "")
    if status not in InfoStatus.values:
        status = ""
    reports = selectors.report_list_for_user(user=request.user, status=status)[:200]
    return render(
        request,
        "information/report_list.html",
        {
            "reports": reports,
            "status": status,
            "statuses": InfoStatus.choices,
            "can_draft": access.can_draft(request.user),
            "can_inbox": access.can_inbox(request.user),
            "can_approvals": access.can_approvals(request.user),
            "can_papers": access.can_view_office_papers(request.user),
        },
    )


def _urgent_choices(request):
    unit = access.actor_unit(request.user)
    return list(report_services.linkable_urgent_reports(unit=unit)[:20]) if unit is not None else []


@login_required
def report_new(request):
    _require(access.can_draft, request, _("只有所属单位的人员可以起草信息。"))
    bound = request.method == "POST"
    form = forms.ReportForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        urgent_reports=_urgent_choices(request),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = report_services.report_create(
                actor=request.user,
                info_type=d["info_type"],
                title=d["title"],
                text=d["text"],
                facts_at=d["facts_at"],
                urgent_report_id=d["urgent_report"],
                attachments=request.FILES.getlist("attachments"),
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("信息草稿已保存。"))
            return redirect(report.get_absolute_url())
    return render(
        request,
        "information/report_form.html",
        {"form": form, "heading": _("起草信息")},
        status=400 if form.errors else 200,
    )


def _stages(report):
    rows = []
    for stage, (due, done, late) in STAGE_FIELDS.items():
        rows.append(
            {
                "label": Stage(stage).label,
                "due": getattr(report, due),
                "done": getattr(report, done),
                "late": getattr(report, late),
            }
        )
    return rows


@login_required
@require_GET
def report_detail(request, pk):
    report = selectors.report_get_for_user(user=request.user, id=pk)
    can = access.report_permissions(request.user, report)
    return render(
        request,
        "information/report_detail.html",
        {
            "r": report,
            "can": can,
            "stages": _stages(report),
            "versions": selectors.versions_with_diff(report),
            "attachments": [
                {"name": a.name, "url": file_url("information-attachment", a.pk)}
                for a in report.attachments.all()
            ],
            "adoptions": report.adoptions.all(),
            "outlets": Outlet.choices,
            "adoption_form": forms.AdoptionForm(),
        },
    )


@login_required
def report_edit(request, pk):
    report = selectors.report_get_for_user(user=request.user, id=pk)
    office_edit = report.status == InfoStatus.RECEIVED
    access.report_access_for_action(
        actor=request.user, report=report, action="edit" if office_edit else "edit_draft"
    )
    bound = request.method == "POST"
    if office_edit:
        form = forms.EditForm(
            request.POST if bound else None,
            initial={"title": report.title, "text": report.text, "version": report.version},
        )
    else:
        form = forms.ReportForm(
            request.POST if bound else None,
            request.FILES if bound else None,
            urgent_reports=_urgent_choices(request),
            initial={
                "info_type": report.info_type,
                "title": report.title,
                "text": report.text,
                "facts_at": timezone.localtime(report.facts_at),
                "urgent_report": report.urgent_report_id,
                "version": report.version,
            },
        )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if office_edit:
                report_services.report_edit(
                    actor=request.user,
                    report=report,
                    title=d["title"],
                    text=d["text"],
                    note=d["note"],
                    version=d["version"],
                )
            else:
                report_services.report_update_draft(
                    actor=request.user,
                    report=report,
                    info_type=d["info_type"],
                    title=d["title"],
                    text=d["text"],
                    facts_at=d["facts_at"],
                    urgent_report_id=d["urgent_report"],
                    attachments=request.FILES.getlist("attachments"),
                    version=d["version"],
                )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(report.get_absolute_url())
    return render(
        request,
        "information/report_form.html",
        {"form": form, "r": report, "heading": _("编辑信息") if office_edit else _("修改草稿")},
        status=400 if form.errors else 200,
    )


ACTIONS = {
    "ask_sign": (report_services.report_ask_sign, _("已提交单位负责人签发。")),
    "sign": (report_services.report_sign, _("已签发报送。")),
    "receive": (report_services.report_receive, _("已接收。")),
    "approve": (report_services.report_approve, _("已审批同意。")),
    "send": (report_services.report_send_upward, _("已报送上级。")),
}


@login_required
@require_POST
def report_act(request, pk):
    report = selectors.report_get_for_user(user=request.user, id=pk)
    action = request.POST.get("action", "")
    to = report.get_absolute_url()
    try:
        if action in ACTIONS:
            service, done = ACTIONS[action]
            service(actor=request.user, report=report)
        elif action == "to_approval":
            report_services.report_to_approval(
                actor=request.user, report=report, outlet=request.POST.get("outlet", "")
            )
            done = _("已送领导审批。")
        elif action == "return":
            report_services.report_return(
                actor=request.user, report=report, reason=request.POST.get("reason", "")
            )
            done = _("已退回。")
        else:
            messages.error(request, _("未知的操作。"))
            return redirect(to)
    except ServiceError as exc:
        return _fail(request, exc, to)
    messages.success(request, done)
    return redirect(to)


@login_required
@require_POST
def report_adopt(request, pk):
    report = selectors.report_get_for_user(user=request.user, id=pk)
    to = report.get_absolute_url()
    form = forms.AdoptionForm(request.POST)
    if not form.is_valid():
        access.report_access_for_action(actor=request.user, report=report, action="adopt")
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(to)
    d = form.cleaned_data
    try:
        feedback_services.adoption_record(
            actor=request.user,
            report=report,
            kind=d["kind"],
            adopted_on=d["adopted_on"],
            leader=d["leader"],
            text=d["text"],
        )
    except ServiceError as exc:
        return _fail(request, exc, to)
    messages.success(request, _("已登记采用情况。"))
    return redirect(to)


@login_required
@require_GET
def inbox(request):
    _require(access.can_inbox, request, _("只有信息科人员可以查看待办信息。"))
    return render(request, "information/inbox.html", {"boxes": selectors.inbox_for_user(user=request.user)})


@login_required
@require_GET
def approvals(request):
    _require(access.can_approvals, request, _("只有分管副主任或主任可以审批信息。"))
    return render(
        request, "information/approvals.html", {"reports": selectors.approvals_for_user(user=request.user)}
    )


@login_required
def bulletins(request):
    _require(access.can_view_office_papers, request, _("信息刊物仅限办公室干部职工查阅。"))
    if request.method == "POST":
        _require(access.can_inbox, request, _("只有信息科人员可以编发刊物。"))
        try:
            issue = bulletin_services.bulletin_publish(
                actor=request.user,
                kind=request.POST.get("kind", ""),
                report_ids=[i for i in request.POST.getlist("reports") if i.isdigit()],
                title=request.POST.get("title", ""),
            )
        except ServiceError as exc:
            return _fail(request, exc, "information:bulletins")
        messages.success(request, _("已刊发 %(issue)s。") % {"issue": issue})
        return redirect("information:bulletin", pk=issue.pk)
    return render(
        request,
        "information/bulletin_list.html",
        {
            "issues": selectors.bulletin_list(user=request.user)[:100],
            "candidates": selectors.bulletin_candidates(user=request.user)
            if access.can_inbox(request.user)
            else [],
            "kinds": forms.BULLETIN_CHOICES,
        },
    )


def _issue(request, pk):
    issue = selectors.bulletin_get(user=request.user, id=pk)
    return issue, list(issue.reports.select_related("unit").order_by("pk"))


@login_required
@require_GET
def bulletin_detail(request, pk):
    issue, reports = _issue(request, pk)
    return render(request, "information/bulletin_detail.html", {"issue": issue, "reports": reports})


@login_required
@require_GET
def bulletin_docx(request, pk):
    issue, reports = _issue(request, pk)
    layout = issue_layout(issue, reports)
    return attachment_response(
        issue_docx_bytes(issue, reports), filename=f"{layout.filename}.docx", content_type=DOCX_MIME
    )


@login_required
@require_GET
def bulletin_pdf(request, pk):
    issue, reports = _issue(request, pk)
    layout = issue_layout(issue, reports)
    try:
        pdf = docx_to_pdf(issue_docx_bytes(issue, reports))
    except PdfUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("information:bulletin", pk=issue.pk)
    return attachment_response(
        pdf, filename=pdf_filename(f"{layout.filename}.docx"), content_type="application/pdf"
    )


def _period(request):
    return selectors.period_parse(
        request.GET.get("period"), request.GET.get("year"), request.GET.get("number")
    )


RANKING_PAGE_SIZE = 100


@login_required
@require_GET
def ranking(request):
    _require(access.can_view_office_papers, request, _("排名仅限办公室干部职工查阅。"))
    period = _period(request)
    by = "author" if request.GET.get("by") == "author" else "unit"
    rows = selectors.ranking(period=period, by=by)
    # one page of the table (the ranks are the whole ranking's): a year by author can be thousands of rows
    page = Paginator(rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "information/ranking.html",
        {
            "period": period,
            "by": by,
            "rows": page.object_list,
            "cells": ranking_rows(list(page.object_list)),
            "page": page,
            "querystring": query.urlencode(),
            "columns": RANKING_COLUMNS if by == "unit" else ("撰稿人", *RANKING_COLUMNS[1:]),
            "timeliness": selectors.timeliness_table(period=period),
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "months": range(1, 13),
            "quarters": range(1, 5),
        },
    )


@login_required
@require_GET
def ranking_export(request):
    _require(access.can_view_office_papers, request, _("排名仅限办公室干部职工查阅。"))
    period = _period(request)
    rows = selectors.ranking(period=period, by="unit")
    return attachment_response(
        ranking_xlsx(rows, period), filename=f"信息报送排名-{period.label}.xlsx", content_type=XLSX_MIME
    )
