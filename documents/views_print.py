"""The printed forms of a document beside its .docx: the PDF made by LibreOffice from the same .docx.

A view of its own (the other document pages live in ``documents.views``); it asks ``documents.access``
exactly as the .docx download does, and logs the read the same way."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from office.files.views import attachment_response

from . import access
from .pdf import PdfUnavailable, docx_to_pdf, pdf_filename
from .rendering import docx_filename, render_docx
from .selectors import document_get_for_user


@login_required
def document_pdf(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="download")
    try:
        pdf = docx_to_pdf(render_docx(doc))
    except PdfUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("documents:detail", pk=doc.pk)
    access.document_log_read(actor=request.user, document=doc, action="download", request=request)
    return attachment_response(pdf, filename=pdf_filename(docx_filename(doc)), content_type="application/pdf")
