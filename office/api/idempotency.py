"""``Idempotency-Key`` on the API's POSTs: a client that lost an answer (a timeout, a reset connection, a
502 from a restarting worker) sends the same request again with the same key and gets the first answer
again instead of a second write. As Stripe's API and the IETF draft "The Idempotency-Key HTTP Header
Field" describe it:

- the key is 1 to 100 printable ASCII characters, chosen by the client (a UUID is usual); another value
  answers 400 ``idempotency_key_invalid``;
- keys belong to the caller: a unit (whichever of its API keys sends it) or a signed-in person. Two units
  may use the same key;
- the first request with a key runs; its answer (status and JSON body) is stored with the request's
  fingerprint (method, path, query, and the body: JSON canonicalised, a form's fields with each file's
  name, size and SHA-256), in the same transaction as the write. A 5xx is never stored: the transaction
  rolls back and a retry runs again;
- a repeat with the same fingerprint answers the stored status and body with ``Idempotent-Replayed:
  true`` and writes nothing; with another fingerprint it answers 422 ``idempotency_key_reused``;
- a repeat arriving while the first still runs waits for it at the unique constraint (principal, key),
  then rolls back and answers the first one's stored answer. Should that answer not be readable, it
  answers 409 ``idempotency_key_in_progress`` with ``Retry-After``;
- keys expire after ``OFFICE_API_IDEMPOTENCY_HOURS`` (24): an expired key is new again, and beat purges
  the rows (office.api.tasks).

A POST view opts in with ``@idempotent`` under its ``@extend_schema``; the decorator also documents the
header and ``Idempotent-Replayed`` on the operation. A request without the header runs as before.
"""

import functools
import hashlib
import json
import re
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from office.org.principals import UnitPrincipal

from . import services

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 100
# printable ASCII (0x20-0x7E), not starting or ending with a space (HTTP would strip it)
KEY_PATTERN = r"^[!-~]([ -~]{0,98}[!-~])?$"
_KEY = re.compile(KEY_PATTERN)
RETRY_AFTER_SECONDS = 1

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name=HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    type={"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
    description=gettext_lazy(
        "幂等键（可选）：1 至 100 个可打印 ASCII 字符，由调用方生成（如 UUID）。请求超时或连接中断后，"
        "用同一幂等键重发同一请求，只会写入一次：重发得到第一次的状态码和响应体，并带响应头 "
        "Idempotent-Replayed: true。同一幂等键用于不同的请求返回 422。幂等键按调用单位（或登录用户）分别计，"
        "默认 24 小时内有效。"
    ),
)
REPLAYED_DESCRIPTION = gettext_lazy("仅当本响应是按幂等键重放的第一次请求的响应时出现，值为 true。")
IDEMPOTENT_REPLAYED_PARAMETER = OpenApiParameter(
    name=REPLAYED_HEADER,
    location=OpenApiParameter.HEADER,
    response=True,
    type={"type": "string", "enum": ["true"]},
    description=REPLAYED_DESCRIPTION,
)


class IdempotencyKeyInvalid(exceptions.APIException):
    status_code = 400
    default_code = "idempotency_key_invalid"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"


class IdempotencyKeyInProgress(exceptions.APIException):
    status_code = 409
    default_code = "idempotency_key_in_progress"
    wait = RETRY_AFTER_SECONDS  # DRF's handler turns it into Retry-After


def key_is_valid(value: str) -> bool:
    return _KEY.fullmatch(value) is not None  # fullmatch: "$" alone would let a final newline through


def principal_of(user) -> tuple[str, str] | None:
    """Whose keys these are: the unit behind an API key (any of its keys), or the signed-in person."""
    if isinstance(user, UnitPrincipal):
        return f"unit:{user.unit.pk}", user.unit.name
    if user is not None and user.is_authenticated and user.pk is not None:
        return f"user:{user.pk}", user.get_username()
    return None


def _file_digest(upload: UploadedFile) -> dict[str, Any]:
    sha = hashlib.sha256()
    for chunk in upload.chunks():  # from the start
        sha.update(chunk)
    upload.seek(0)  # the view reads it again
    return {"file": upload.name, "size": upload.size, "sha256": sha.hexdigest()}


def _canonical_value(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return _file_digest(value)
    return value


def request_fingerprint(request) -> str:
    """SHA-256 of the method, the path, the query and the body. Reading the body parses it: a body the
    view could not read raises here as it would there (a 400 or 415, never stored)."""
    data = request.data
    if isinstance(data, QueryDict):  # a form, multipart with its files merged in
        body: dict[str, Any] = {
            "form": {name: [_canonical_value(v) for v in values] for name, values in sorted(data.lists())}
        }
    else:
        body = {"json": data}
    query = sorted(request.query_params.lists())
    text = json.dumps(
        {"method": request.method, "path": request.path, "query": query, "body": body},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _storable(response) -> bool:
    return isinstance(response, Response) and (
        200 <= response.status_code < 300 or 400 <= response.status_code < 500
    )


def _rendered(response: Response) -> str:
    # as the JSON renderer sends it (compact, UTF-8), so that a replay is the same bytes
    return JSONRenderer().render(response.data).decode()


def _replay(row, fingerprint: str) -> HttpResponse:
    if row.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _("同一幂等键已用于另一请求：请为新的请求另生成一个幂等键（Idempotency-Key）。")
        )
    response = HttpResponse(row.body, status=row.status_code, content_type="application/json")
    response[REPLAYED_HEADER] = "true"
    return response


def _respond(view, handler, request, args, kwargs):
    """The view's answer, its exceptions answered as DRF would. A savepoint: a view that raises leaves
    nothing behind, as its service's own transaction would."""
    try:
        with transaction.atomic():
            return handler(view, request, *args, **kwargs)
    except Exception as exc:
        return view.handle_exception(exc)


class _LostRace(Exception):
    pass


def _once(view, handler, request, args, kwargs, *, principal: tuple[str, str], key: str):
    fingerprint = request_fingerprint(request)
    who, label = principal
    try:
        with transaction.atomic():
            try:
                claim = services.idempotency_claim(
                    principal=who,
                    principal_label=label,
                    key=key,
                    method=request.method,
                    path=request.path,
                    fingerprint=fingerprint,
                )
            except IntegrityError:
                raise _LostRace from None  # leaves the block: the transaction rolls back whole
            if not claim.created:
                return _replay(claim.row, fingerprint)
            response = _respond(view, handler, request, args, kwargs)
            if getattr(response, "status_code", 500) >= 500:
                transaction.set_rollback(True)  # neither the write nor the key: a retry runs again
            elif _storable(response):
                services.idempotency_record(
                    row=claim.row, status_code=response.status_code, body=_rendered(response)
                )
            else:  # not an answer that can be replayed (no JSON body): keep the write, not the key
                claim.row.delete()
            return response
    except _LostRace:
        stored = services.idempotency_stored(principal=who, key=key)
        if stored is None:
            raise IdempotencyKeyInProgress(
                _("使用同一幂等键的请求正在处理中，请在 {wait} 秒后重试。").format(wait=RETRY_AFTER_SECONDS)
            ) from None
        return _replay(stored, fingerprint)


def idempotent(handler):
    """Decorator of an API view's POST method (under its ``@extend_schema``): honours ``Idempotency-Key``
    and documents it, and ``Idempotent-Replayed``, on the operation."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not key_is_valid(key):
            raise IdempotencyKeyInvalid(
                _("幂等键（Idempotency-Key）须为 1 至 {max} 个可打印 ASCII 字符，且首尾不能是空格。").format(
                    max=MAX_KEY_LENGTH
                )
            )
        principal = principal_of(request.user)
        if principal is None:  # nobody to keep it for (the view's permissions refuse such a caller)
            return handler(view, request, *args, **kwargs)
        return _once(view, handler, request, args, kwargs, principal=principal, key=key)

    return extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER, IDEMPOTENT_REPLAYED_PARAMETER])(wrapper)


# the answers a view gives (and a replay repeats); 401, 406, 415 and 429 come before the view runs
_REPLAYABLE_ERRORS = ("400", "403", "404", "409", "413")


def add_idempotency_responses(result: dict) -> dict:
    """Schema post-processing (called by office.api.errors.add_error_responses, after the error
    statuses): an operation that takes ``Idempotency-Key`` documents 422 and ``Idempotent-Replayed`` on
    the answers a replay can repeat."""
    ref = {"$ref": "#/components/schemas/Error"}
    replayed = {
        REPLAYED_HEADER: {
            "schema": {"type": "string", "enum": ["true"]},
            "description": str(REPLAYED_DESCRIPTION),
        }
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            parameters = operation.get("parameters", [])
            if not any(p.get("in") == "header" and p.get("name") == HEADER for p in parameters):
                continue
            responses = operation.setdefault("responses", {})
            responses.setdefault(
                "422",
                {
                    "description": _("同一幂等键已用于另一请求（路径或请求体不同）"),
                    "content": {"application/json": {"schema": ref}},
                },
            )
            for code in _REPLAYABLE_ERRORS:
                if code in responses:
                    responses[code] = {
                        **responses[code],
                        "headers": {**responses[code].get("headers", {}), **replayed},
                    }
    return result
