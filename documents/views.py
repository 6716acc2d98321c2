from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from office.errors import ServiceError
from office.org.roles import has_role

from . import services
from .models import DocStatus, DocType
from .rendering import docx_filename, render_docx
from .selectors import document_get_for_user, document_list_for_user

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def can_sign(user) -> bool:
    return has_role(user, "director")


@login_required
def document_list(request):
    qs = document_list_for_user(
        user=request.user,
        status=request.GET.get("status") or None,
        doc_type=request.GET.get("doc_type") or None,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/document_list.html",
        {"page": page, "statuses": DocStatus.choices, "doc_types": DocType.choices, "filters": request.GET},
    )


@login_required
def document_detail(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    return render(request, "documents/document_detail.html", {"doc": doc, "can_sign": can_sign(request.user)})


@login_required
def document_download(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    resp = HttpResponse(render_docx(doc), content_type=DOCX_MIME)
    from urllib.parse import quote

    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(docx_filename(doc))}"
    return resp


@login_required
@require_POST
def document_sign_off(request, pk):
    if not can_sign(request.user):
        raise PermissionDenied
    doc = document_get_for_user(user=request.user, id=pk)
    try:
        services.document_sign_off(actor=request.user, document=doc, opinion=request.POST.get("opinion", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签发。"))
    return redirect("documents:detail", pk=doc.pk)
