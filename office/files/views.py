"""The one download view of every uploaded file. It asks the owning app's resolver (its access
module), logs reads of classified objects, and answers with the file as an attachment — or, when
``OFFICE_FILES_ACCEL_REDIRECT`` names nginx's internal location, with ``X-Accel-Redirect``.

The same view is mounted at /files/… for the portal (session) and /api/v1/files/… for other offices'
systems (API key); on the portal a stranger is sent to sign in and a refusal is the 404 page."""

import mimetypes
import os
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from office.audit.services import access_log_record
from office.conf import office_setting
from office.errors import NotFound
from office.security.services import security_download

from .registry import ProtectedFile, protected_file_for_actor


def content_disposition(name: str, *, ascii_fallback: str = "") -> str:
    """``attachment`` with the original name: an ASCII fallback for old clients, the real name (UTF-8)
    in ``filename*``. An all-Chinese name falls back to ``download.<ext>``."""
    stem, ext = os.path.splitext(name)

    def ascii_only(text: str) -> str:
        return "".join(ch for ch in text.encode("ascii", "ignore").decode() if ch not in '"\\').strip()

    fallback = ascii_only(ascii_fallback) or (ascii_only(stem) or "download") + ascii_only(ext)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def attachment_response(
    content: bytes, *, filename: str, content_type: str | None = None, ascii_fallback: str = ""
) -> HttpResponse:
    """A file the application generates (a .docx, an Excel ledger), answered like a stored one: as an
    attachment with its name, never sniffed, never cached by a shared proxy."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    resp = HttpResponse(content, content_type=content_type)
    resp["Content-Disposition"] = content_disposition(filename, ascii_fallback=ascii_fallback)
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    return resp


def file_response(found: ProtectedFile) -> HttpResponse:
    stored = found.file.name
    content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
    accel = office_setting("OFFICE_FILES_ACCEL_REDIRECT", "")
    if accel:
        resp = HttpResponse(content_type=content_type)
        resp["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(stored)
    else:
        try:
            handle = found.file.open("rb")
        except FileNotFoundError:
            raise NotFound() from None
        resp = FileResponse(handle, content_type=content_type)
    resp["Content-Disposition"] = content_disposition(found.name)
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    return resp


class FileDownload(APIView):
    # One view, two mounts: /files/… (portal, session) and /api/v1/files/… (API key or session).

    permission_classes: list = []

    def get_authenticators(self):
        # An API key opens the API mount only; on the portal a key is no sign-in.
        if self.request is not None and not self.request.path.startswith("/api/"):
            return [SessionAuthentication()]
        return super().get_authenticators()

    @extend_schema(
        summary=gettext_lazy("下载附件（仅本单位可见的附件）"),
        description=gettext_lazy(
            "按附件所属业务的权限检查后下载；外部单位只能下载本单位的附件，其他单位的附件答 404。"
        ),
        tags=[gettext_lazy("附件")],
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("文件（按其本身的类型）")
            )
        },
    )
    def get(self, request, kind: str, pk: int):
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        found = protected_file_for_actor(actor=request.user, kind=kind, pk=pk)
        if found.classification:
            access_log_record(
                actor=request.user,
                subject=found.subject,
                action="download",
                request=request,
                classification=found.classification,
            )
        security_download(request, found)  # the security log (office/security): every download
        return file_response(found)

    def handle_exception(self, exc):
        if self.request.path.startswith("/api/"):
            return super().handle_exception(exc)
        # The portal: a stranger signs in first; a refusal is the portal's own 404 page.
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())
        if isinstance(exc, NotFound | Http404):
            raise Http404 from exc
        return super().handle_exception(exc)
