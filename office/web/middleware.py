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


class OfficeLocaleMiddleware:
    """The office's pages are in Chinese unless the person chose English with the language switch (its
    cookie): a browser's Accept-Language does not change them. The API (under /api/) still answers
    other systems in the language they ask for."""

    def __init__(self, get_response):
        from django.middleware.locale import LocaleMiddleware

        self.inner = LocaleMiddleware(get_response)
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            from django.conf import settings
            from django.utils.translation import check_for_language

            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if not (chosen and check_for_language(chosen)):
                chosen = settings.LANGUAGE_CODE
            # LocaleMiddleware reads the cookie first and the header only without one: give it the choice.
            request.META["HTTP_ACCEPT_LANGUAGE"] = chosen
        return self.inner(request)
