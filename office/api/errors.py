"""One error body for every error the API answers, 4xx and 5xx alike:

    {"code": "not_found", "message": "未找到。", "fields": {"title": ["该字段是必填项。"]}}

``code`` is stable and machine-readable, ``message`` is for people (Chinese by default, the request's
language otherwise), ``fields`` is present only for validation errors, ``error_id`` only on a 500 (the
same id is in the log beside the traceback).

Bodies are bounded: at most ``MAX_FIELD_ERRORS`` fields (the message then says how many more there
were), ``MAX_MESSAGES_PER_FIELD`` messages each, every message cut at ``MAX_MESSAGE_CHARS``. A client
that sends 10,000 wrong keys gets 50 of them back, not 10,000.

``exception_handler`` is DRF's hook; ``error_response_for`` serves office.api.middleware for what never
reaches a DRF view (unknown routes, bodies over the limit, errors raised outside the view).
"""

import logging
import uuid

from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, UnreadablePostError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from office.errors import OfficeError, ServiceError  # noqa: F401  (re-exported for old imports)

logger = logging.getLogger("office.api")

MAX_FIELD_ERRORS = 50
MAX_MESSAGES_PER_FIELD = 5
MAX_MESSAGE_CHARS = 200
MAX_FIELD_NAME_CHARS = 100


def error_schema() -> dict:
    """The Error component, described in the language of the request that asks for the schema."""
    return {
        "type": "object",
        "description": _("所有错误响应（4xx、5xx）的统一结构。"),
        "properties": {
            "code": {
                "type": "string",
                "description": _(
                    "稳定的机器可读错误代码，如 not_found、invalid、parse_error、throttled、server_error。"
                ),
            },
            "message": {"type": "string", "description": _("面向人的错误说明（默认中文）。")},
            "fields": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": _("校验错误时，按字段列出的错误说明（最多 {max} 项）。").format(
                    max=MAX_FIELD_ERRORS
                ),
            },
            "error_id": {
                "type": "string",
                "description": _("仅 500：错误编号，与服务器日志中的记录对应。"),
            },
        },
        "required": ["code", "message"],
    }


def _short(text, limit: int = MAX_MESSAGE_CHARS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message(detail) -> str:
    """The text of one error detail, with the few messages that reach clients in English or wrongly
    translated replaced by the office's own (Django's zh_Hans says "empty string" for a NUL byte)."""
    code = getattr(detail, "code", None)
    if code == "null_characters_not_allowed":
        return _("不能包含空字符（NUL，\\x00）。")
    if code == "surrogate_characters_not_allowed":
        return _("不能包含代理字符（无效的 Unicode 字符）。")
    if code == "null" and str(detail) == "No data provided":  # DRF's serializer, not translatable
        return _("未提供数据：请求体为空或为 null。")
    return _short(detail)


def _flatten(detail, prefix: str = ""):
    """Yield ``(field, [messages])`` for a DRF error detail of any shape: nested serializers become
    ``parent.child``, list items ``items.0``."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}{_short(key, MAX_FIELD_NAME_CHARS)}"
            if isinstance(value, dict):
                yield from _flatten(value, f"{name}.")
            elif isinstance(value, list):
                msgs = []
                for index, v in enumerate(value):
                    if isinstance(v, dict | list):
                        yield from _flatten(v, f"{name}.{index}.")
                    else:
                        msgs.append(v)
                if msgs:
                    yield name, msgs
            else:
                yield name, [value]
    elif isinstance(detail, list):
        msgs = [v for v in detail if not isinstance(v, dict | list)]
        if msgs:
            yield (prefix.rstrip(".") or "non_field_errors"), msgs
        for index, v in enumerate(detail):
            if isinstance(v, dict | list):
                yield from _flatten(v, f"{prefix}{index}.")
    else:
        yield (prefix.rstrip(".") or "non_field_errors"), [detail]


def bounded_fields(detail) -> tuple[dict[str, list[str]], int]:
    """The fields of an error detail, at most MAX_FIELD_ERRORS of them, and how many were left out."""
    fields: dict[str, list[str]] = {}
    left_out = 0
    for name, msgs in _flatten(detail):
        if name in fields:
            fields[name].extend(_message(m) for m in msgs)
            fields[name] = fields[name][:MAX_MESSAGES_PER_FIELD]
        elif len(fields) < MAX_FIELD_ERRORS:
            fields[name] = [_message(m) for m in msgs[:MAX_MESSAGES_PER_FIELD]]
        else:
            left_out += 1
    return fields, left_out


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": _short(message, 2 * MAX_MESSAGE_CHARS)}
    if fields:
        body["fields"], _left_out = bounded_fields(fields)
    return body


def _validation_body(detail) -> dict:
    fields, left_out = bounded_fields(detail)
    message = _("提交的数据有误，请检查后重试。")
    if left_out:
        message += _("（只列出前 {shown} 项，另有 {more} 项错误）").format(shown=len(fields), more=left_out)
    body = {"code": "invalid", "message": message}
    if fields:
        body["fields"] = fields
    return body


def _parse_error_message(exc: exceptions.ParseError) -> str:
    """DRF's own parsers say "JSON parse error - Expecting value…" in English whatever the language;
    office.api.parsers raise Chinese messages (code "parse_error" with the ``office`` flag)."""
    if getattr(exc, "office", False):
        return str(exc.detail)
    text = str(exc.detail)
    if text.startswith("JSON parse error"):
        return _("请求体不是有效的 JSON。")
    if text.startswith("Multipart form parse error"):
        return _("multipart/form-data 表单无法解析。")
    return _("请求体无法解析。")


def new_error_id() -> str:
    return uuid.uuid4().hex[:12]


def server_error_body(error_id: str) -> dict:
    message = _("服务器内部错误，请稍后再试。如需报告，请提供错误编号 {error_id}。").format(error_id=error_id)
    return {"code": "server_error", "message": message, "error_id": error_id}


def _server_error(exc, request) -> tuple[int, dict]:
    from office.web.connection_retry import note_exception

    note_exception(request, exc)  # a cut connection: the request may be run once more (when safe)
    error_id = new_error_id()
    method = getattr(request, "method", "")
    path = getattr(request, "path", "")
    logger.error(
        "API server error %s on %s %s", error_id, method, path, exc_info=(type(exc), exc, exc.__traceback__)
    )
    return 500, server_error_body(error_id)


def plain_error(exc, request) -> tuple[int, dict] | None:
    """Status and body for what is not a DRF exception (or None when it is one)."""
    if isinstance(exc, OfficeError):
        return exc.status_code, error_body(exc.code, exc.message, exc.fields)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return 400, _validation_body(detail)
    if isinstance(exc, exceptions.APIException):
        return None
    if isinstance(exc, Http404):
        return 404, error_body("not_found", _("未找到。"))
    if isinstance(exc, PermissionDenied):
        return 403, error_body("permission_denied", _("您没有执行该操作的权限。"))
    if isinstance(exc, RequestDataTooBig):
        return 413, error_body("too_large", _("请求体过大。"))
    if isinstance(exc, SuspiciousOperation):
        # TooManyFieldsSent, TooManyFilesSent, a bad multipart header, a disallowed host …
        return 400, error_body("bad_request", _("请求无效：{reason}").format(reason=_suspicious_reason(exc)))
    if isinstance(exc, BadRequest | UnreadablePostError):
        return 400, error_body("bad_request", _("请求无效，无法读取。"))
    return _server_error(exc, request)


def _suspicious_reason(exc) -> str:
    name = type(exc).__name__
    if name == "TooManyFieldsSent":
        return _("表单字段过多。")
    if name == "TooManyFilesSent":
        return _("上传的文件过多。")
    if name == "DisallowedHost":
        return _("主机名不在允许之列。")
    return _("请求内容可疑，已拒绝。")


def exception_handler(exc, context):
    request = context.get("request")
    plain = plain_error(exc, request)
    if plain is not None:
        set_rollback()
        status, body = plain
        return Response(body, status=status)

    response = drf_exception_handler(exc, context)  # status, WWW-Authenticate, Retry-After, rollback
    if response is None:  # an APIException always has a response; kept for safety
        set_rollback()
        status, body = _server_error(exc, request)
        return Response(body, status=status)
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        response.data = error_body("parse_error", _parse_error_message(exc))
    elif isinstance(exc, exceptions.Throttled):
        wait = exc.wait
        if wait is None:
            message = _("请求过于频繁，请稍后再试。")
        else:
            message = _("请求过于频繁，请在 {wait} 秒后再试。").format(wait=int(wait))
        response.data = error_body("throttled", message)
    else:
        detail = getattr(exc, "detail", None)
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        response.data = error_body(str(code), _message(detail) if detail is not None else str(exc))
    return response


def error_response_for(exc, request):
    """A JSON response (Django's, no DRF renderer needed) for an exception outside a DRF view."""
    from django.http import JsonResponse

    plain = plain_error(exc, request)
    if plain is None:  # a DRF exception raised outside a DRF view
        detail = getattr(exc, "detail", None)
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        plain = exc.status_code, error_body(str(code), _message(detail))
    status, body = plain
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document every error status an operation can answer, each
    with the Error body. Runs in the request's language, so the descriptions follow ``?lang=``.

    - 400 where the operation takes query parameters or a body, and on unsafe methods (a bad value is
      named in ``fields``);
    - 401, 403, 404, 406 (an ``Accept`` the API cannot serve), 429 and 500 everywhere;
    - 409 and 413 on unsafe methods (a state conflict; a body over the limit, refused before parsing);
    - 415 where the operation takes a body (a media type it does not list);
    - 422 where the operation takes ``Idempotency-Key`` (office/api/idempotency.py).
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = error_schema()
    ref = {"$ref": "#/components/schemas/Error"}
    descriptions = {
        "400": _("请求有误：请求体或查询参数不合要求，fields 中指明出错的字段或参数"),
        "401": _("未认证（缺少或无效的 API 密钥/会话）"),
        "403": _("无权限"),
        "404": _("不存在或不属于本单位"),
        "406": _("无法按 Accept 请求头给出的格式响应（本接口只返回 JSON）"),
        "409": _("与当前状态冲突"),
        "413": _("请求体或上传的文件过大"),
        "415": _("不支持的请求体类型"),
        "429": _("请求过于频繁，请按 Retry-After 等待后重试"),
        "500": _("服务器内部错误（响应中带错误编号，便于与日志对照）"),
    }
    retry_after = {
        "Retry-After": {
            "schema": {"type": "integer", "minimum": 0},
            "description": _("需要等待的秒数"),
        }
    }
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
            has_body = "requestBody" in operation
            wanted = ["401", "403", "404", "406", "429", "500"]
            unsafe = method in {"post", "put", "patch", "delete"}
            if has_query or has_body or unsafe:  # a service may refuse a transition as invalid
                wanted.append("400")
            if unsafe:
                wanted += ["409", "413"]
            if has_body:
                wanted.append("415")
            for code in sorted(wanted):
                response = {
                    "description": descriptions[code],
                    "content": {"application/json": {"schema": ref}},
                }
                if code == "429":
                    response["headers"] = retry_after
                responses.setdefault(code, response)
    from .idempotency import add_idempotency_responses  # 422 and Idempotent-Replayed where it applies

    return add_idempotency_responses(result)
