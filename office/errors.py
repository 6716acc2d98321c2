"""The one error layer of the office's rules. Services raise these; the API's exception handler turns
them into the JSON error body with the status of their code, and the page views into a Chinese message
on the form (or, left uncaught, the error page of that status).

Codes and statuses: invalid 400, forbidden 403, not_found 404, conflict 409, too_large 413,
throttled 429, unavailable 503 (a tool the office depends on, such as LibreOffice, is
missing or failed). ``NotFound`` is also an ``Http404`` and ``Forbidden`` also a ``PermissionDenied``, so a
page view that does not catch them answers the portal's 404/403 page, never a 500.

Services never import from ``office.api`` and never raise ``Http404`` themselves.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

STATUS_BY_CODE = {
    "invalid": 400,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "too_large": 413,
    "throttled": 429,
    "unavailable": 503,
}


class OfficeError(Exception):
    """A rule of the office was broken; ``message`` is for a clerk (already translated)."""

    code = "conflict"

    def __init__(self, message: str = "", *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            if code not in STATUS_BY_CODE:
                raise ValueError(f"unknown error code {code!r}")
            self.code = code
        self.fields = fields

    @property
    def status_code(self) -> int:
        return STATUS_BY_CODE[self.code]


# Kept under the name the apps already use for their own error types.
ServiceError = OfficeError


class Invalid(OfficeError):
    code = "invalid"


class Conflict(OfficeError):
    code = "conflict"


class TooLarge(OfficeError):
    code = "too_large"


class Unavailable(OfficeError):
    """Not the request's fault: a tool it needs is missing or failed; try again later."""

    code = "unavailable"


class Forbidden(OfficeError, PermissionDenied):
    """The actor may not do this, and the object's existence is no secret to them."""

    code = "forbidden"


class NotFound(OfficeError, Http404):
    """Missing, or not the actor's to know about: both answer alike."""

    code = "not_found"


def not_found(message: str = "") -> NotFound:
    from django.utils.translation import gettext as _

    return NotFound(message or _("未找到，或您无权查看。"))


def forbidden(message: str = "") -> Forbidden:
    from django.utils.translation import gettext as _

    return Forbidden(message or _("您没有执行此操作的权限。"))
