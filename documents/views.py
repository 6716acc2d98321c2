"""Pages of 办文. They ask ``documents.access`` and call selectors and services; no rules of their own."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from office.errors import Forbidden, NotFound, ServiceError
from office.files.views import attachment_response

from . import access, services
from .forms import GrantReadersForm
from .models import DocStatus, DocType
from .rendering import docx_filename, render_docx
from .selectors import document_get_for_user, document_list_for_user

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return attachment_response(content, filename=filename, content_type=content_type)


def _filtered(request):
    return document_list_for_user(
        user=request.user,
        status=request.GET.get("status") or None,
        doc_type=request.GET.get("doc_type") or None,
        q=request.GET.get("q") or None,
    )


@login_required
def document_list(request):
    page = Paginator(_filtered(request), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/document_list.html",
        {
            "page": page,
            "total": page.paginator.count,
            "statuses": DocStatus.choices,
            "doc_types": DocType.choices,
            "filters": request.GET,
            "query": query.urlencode(),
        },
    )


@login_required
def document_export(request):
    """The (scoped, filtered) list as an Excel sheet; each classified row read is logged."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("公文")
    ws.append([_("发文字号"), _("标题"), _("文种"), _("状态"), _("密级"), _("成文日期"), _("发文机关")])
    for doc in _filtered(request):
        access.document_log_read(actor=request.user, document=doc, action="export", request=request)
        ws.append(
            [
                doc.number,
                doc.title,
                str(doc.get_doc_type_display()),
                str(doc.get_status_display()),
                str(doc.get_classification_display()),
                doc.issued_on,
                doc.issuing_body,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    name = _("公文列表") + f"-{timezone.localdate():%Y%m%d}.xlsx"
    return _attachment(out.getvalue(), XLSX_MIME, name)


@login_required
def document_detail(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="view")
    access.document_log_read(actor=request.user, document=doc, action="view", request=request)
    can = access.document_permissions(request.user, doc)
    return render(
        request,
        "documents/document_detail.html",
        {"doc": doc, "can": can, "grant_form": GrantReadersForm() if can["grant"] else None},
    )


@login_required
def document_download(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="download")
    access.document_log_read(actor=request.user, document=doc, action="download", request=request)
    return _attachment(render_docx(doc), DOCX_MIME, docx_filename(doc))


@login_required
@require_POST
def document_sign_off(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    try:
        services.document_sign_off(actor=request.user, document=doc, opinion=request.POST.get("opinion", ""))
    except (Forbidden, NotFound):
        raise  # the 403/404 page: not a message on the form
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签发。"))
    return redirect("documents:detail", pk=doc.pk)


@login_required
@require_POST
def document_grant_read(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="grant")
    form = GrantReadersForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("documents:detail", pk=doc.pk)
    try:
        services.document_grant_read(actor=request.user, document=doc, users=form.cleaned_data["users"])
    except (Forbidden, NotFound):
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已指定阅知人员。"))
    return redirect("documents:detail", pk=doc.pk)
