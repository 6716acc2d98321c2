"""Everything under /api/ answers JSON in the one error shape, including what never reaches a DRF view.

Before routing (so before anything reads the body):

- a URL longer than ``OFFICE_API_MAX_URL_LENGTH`` characters (path and query) answers 414 ``uri_too_long``;
- a body whose Content-Length is over the limit answers 413 ``too_large``: DATA_UPLOAD_MAX_MEMORY_SIZE for
  JSON and forms; for multipart uploads ``max_upload_bytes()`` (OFFICE_UPLOAD_MAX_MB) plus
  ``UPLOAD_OVERHEAD_BYTES`` for the other fields and a file slightly over the limit, which the service
  then refuses by name;
- a JSON body nested deeper than office.api.parsers.MAX_JSON_DEPTH answers 400 ``parse_error`` (Python's
  json would raise RecursionError), whatever parser classes the view names.

After: an exception a view did not handle answers JSON (a 500 with an error id that is also logged), and an
error response that is not JSON (Django's 404 page for an unknown route, its 405, 400, 500 pages) is
replaced by the JSON body of its status, keeping its headers.

Placed right after SecurityMiddleware and WhiteNoise, so its early answers still get the security headers.
"""

from django.conf import settings
from django.http import JsonResponse, UnreadablePostError
from django.utils import translation
from django.utils.translation import gettext as _

from office.conf import office_setting
from office.files.validation import max_upload_bytes

from .errors import error_body, error_response_for, logger, new_error_id, server_error_body
from .parsers import json_too_deep, too_deep_error

API_PREFIX = "/api/"
UPLOAD_OVERHEAD_BYTES = 5 * 1024 * 1024
_KEPT_OUT = {"content-type", "content-length"}


def _json(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f}"


def body_limit(content_type: str) -> int | None:
    """Largest body accepted for a content type, in bytes (None: no limit)."""
    if content_type.lower().lstrip().startswith("multipart/"):
        return max_upload_bytes() + UPLOAD_OVERHEAD_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _is_json_type(content_type: str) -> bool:
    main = content_type.split(";", 1)[0].strip().lower()
    return main == "application/json" or main.endswith("+json")


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        with translation.override(translation.get_language_from_request(request)):
            refusal = self.refuse_early(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json_type(response.get("Content-Type", "")):
            with translation.override(translation.get_language_from_request(request)):
                response = self.as_json(request, response)
        return response

    def process_exception(self, request, exception):
        if not request.path_info.startswith(API_PREFIX):
            return None
        with translation.override(translation.get_language_from_request(request)):
            return error_response_for(exception, request)

    def refuse_early(self, request):
        query = request.META.get("QUERY_STRING", "")
        length = len(request.path) + (len(query) + 1 if query else 0)
        limit = int(office_setting("OFFICE_API_MAX_URL_LENGTH", 4096))
        if length > limit:
            message = _("请求的地址过长（{length} 个字符），上限为 {limit} 个字符。").format(
                length=length, limit=limit
            )
            return _json(error_body("uri_too_long", message), 414)

        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0  # Django reads no body then either
        content_type = request.META.get("CONTENT_TYPE", "")
        limit = body_limit(content_type)
        if limit is not None and size > limit:
            if content_type.lower().lstrip().startswith("multipart/"):
                message = _("请求体过大（{size} MB）：一次请求上传的内容合计不能超过 {limit} MB。")
            else:
                message = _("请求体过大（{size} MB），上限为 {limit} MB。")
            return _json(error_body("too_large", message.format(size=_mb(size), limit=_mb(limit))), 413)

        if size and _is_json_type(content_type):
            try:
                body = request.body
            except (UnreadablePostError, OSError):
                return None  # the view's parser meets the same and answers it
            if request.encoding and request.encoding.lower().replace("-", "") not in ("utf8", "ascii"):
                try:
                    body = body.decode(request.encoding).encode()
                except (LookupError, UnicodeDecodeError):
                    return None  # the parser names the bad encoding
            if json_too_deep(body):
                return _json(error_body("parse_error", str(too_deep_error().detail)), 400)
            request.office_json_depth_checked = True
        return None

    def as_json(self, request, response):
        status = response.status_code
        if status == 404:
            body = error_body("not_found", _("请求的接口不存在，请对照 /api/schema/ 检查地址。"))
        elif status == 405:
            body = error_body(
                "method_not_allowed", _("此接口不接受 {method} 方法。").format(method=request.method[:20])
            )
        elif status == 400:
            body = error_body("bad_request", _("请求无效。"))
        elif status == 403:
            body = error_body("permission_denied", _("您没有执行该操作的权限。"))
        elif status == 413:
            body = error_body("too_large", _("请求体过大。"))
        elif status >= 500:
            # raised outside any view (a middleware): django.request has logged the traceback just before
            error_id = new_error_id()
            logger.error(
                "API server error %s on %s %s (HTTP %s)", error_id, request.method, request.path, status
            )
            body = server_error_body(error_id)
        else:
            body = error_body("error", _("请求失败（HTTP {status}）。").format(status=status))
        replaced = _json(body, status)
        for name, value in response.items():
            if name.lower() not in _KEPT_OUT:
                replaced[name] = value
        replaced.cookies = response.cookies
        return replaced
