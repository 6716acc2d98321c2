"""Page views answer an office rule error they did not catch with its status and its message (a
Chinese sentence), never a 500. The API has its own handler (office.api.errors)."""

from django.shortcuts import render
from django.utils.html import escape

from office.errors import OfficeError


class OfficeErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OfficeError) or request.path.startswith("/api/"):
            return None
        if exception.code in ("not_found", "forbidden"):
            return None  # Http404 / PermissionDenied subclasses: Django's 404 and 403 pages
        if getattr(request, "htmx", False):
            from django.http import HttpResponse

            html = f'<div class="alert alert-danger py-1 small mb-0">✖ {escape(exception.message)}</div>'
            return HttpResponse(html, status=200)
        return render(
            request,
            "error.html",
            {"message": exception.message, "code": exception.code},
            status=exception.status_code,
        )
