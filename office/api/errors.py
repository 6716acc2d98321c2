"""One error body for every 4xx of the API:

    {"code": "not_found", "message": "未找到。", "fields": {"title": ["该字段是必填项。"]}}

``code`` is stable and machine-readable, ``message`` is for people (Chinese by default, the request's
language otherwise), ``fields`` is present only for validation errors.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from office.errors import OfficeError, ServiceError  # noqa: F401  (re-exported for old imports)

ERROR_SCHEMA = {
    "type": "object",
    "description": "所有 4xx 响应的统一错误结构。",
    "properties": {
        "code": {
            "type": "string",
            "description": "稳定的机器可读错误代码，如 not_found、invalid、conflict。",
        },
        "message": {"type": "string", "description": "面向人的错误说明（默认中文）。"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "校验错误时，按字段列出的错误说明。",
        },
    },
    "required": ["code", "message"],
}


def _flatten(detail) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list):
                msgs = []
                for v in value:
                    if isinstance(v, dict):
                        for sub, m in _flatten(v).items():
                            out[f"{key}.{sub}"] = m
                    else:
                        msgs.append(str(v))
                if msgs:
                    out[key] = msgs
            else:
                out[key] = [str(value)]
    elif isinstance(detail, list):
        out["non_field_errors"] = [str(v) for v in detail]
    return out


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return body


def exception_handler(exc, context):
    if isinstance(exc, OfficeError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(fields)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        response.data = error_body("invalid", _("提交的数据有误，请检查后重试。"), fields)
    else:
        detail = getattr(exc, "detail", None)
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        response.data = error_body(str(code), str(detail) if detail is not None else str(exc))
    return response


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document every error status an operation can answer, each
    with the Error body. Runs in the request's language, so the descriptions follow ``?lang=``.

    - 400 where the operation takes query parameters or a body, and on unsafe methods (a bad value is
      named in ``fields``);
    - 401, 403, 404, 406 (an ``Accept`` the API cannot serve), 429 and 500 everywhere;
    - 409 and 413 on unsafe methods (a state conflict; a body over the limit, refused before parsing);
    - 415 where the operation takes a body (a media type it does not list).
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
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
    return result
