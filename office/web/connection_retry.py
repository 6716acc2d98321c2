"""A request whose database connection was cut under it (``pg_terminate_backend``, a database restart, a
pooler that dropped it) is run once more on a fresh connection, when running it again is safe:

- a GET, HEAD or OPTIONS request (it writes nothing that matters: a retry is a new read);
- a POST that carries an ``Idempotency-Key`` (office/api/idempotency.py): its write and its stored answer
  commit in one transaction, so the second run either finds the first one's answer (had it committed
  before the cut) and replays it, or runs it for the first time.

Anything else — a POST without a key, a second cut — answers the 500 as before, and the client retries.
The cut is recognised by the exception that made the 5xx: a database ``OperationalError`` or
``InterfaceError`` from the driver with no SQLSTATE (the client lost the connection) or an
administrator's shutdown code (57P01–57P03), noted on the request by the API's server-error handler
(office/api/errors.py) or by Django's ``got_request_exception``. A deadlock, a constraint or a bug is not
a cut and is not retried. Django's own handling has already rolled the transaction back and logged it."""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger("office.web")

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"


def _retry_safe(request) -> bool:
    return request.method in SAFE_METHODS or (
        request.method == "POST" and bool(request.META.get(IDEMPOTENCY_HEADER))
    )


def _keep_body(request) -> None:
    """Read a non-multipart body into memory so that the second run can parse it again (a multipart body
    is parsed once into request.POST/FILES, which the second run reuses)."""
    if request.method == "POST" and not request.content_type.startswith("multipart/"):
        request.body  # noqa: B018  (cached on the request)


# SQLSTATE class 57: the server ended the session (pg_terminate_backend, a shutdown, a crash).
_CUT_CODES = {"57P01", "57P02", "57P03"}
_NOTE = "_office_connection_lost"


def connection_lost(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is the database connection being cut."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OperationalError | InterfaceError):
            cause = exc.__cause__
            code = getattr(cause, "pgcode", None)
            if cause is not None and type(cause).__module__.startswith("psycopg"):
                return code is None or code in _CUT_CODES
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def note_exception(request, exc: BaseException) -> None:
    """Remember on the request that it failed because its connection was cut (called by the error paths)."""
    if request is not None and connection_lost(exc):
        setattr(getattr(request, "_request", request), _NOTE, True)


def _on_request_exception(sender, request=None, **kwargs):
    note_exception(request, sys.exc_info()[1])


got_request_exception.connect(_on_request_exception, dispatch_uid="office-connection-retry")


class DatabaseConnectionRetryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        retry_safe = _retry_safe(request)
        if retry_safe:
            _keep_body(request)
        response = self.get_response(request)
        if response.status_code < 500 or not retry_safe or not getattr(request, _NOTE, False):
            return response
        setattr(request, _NOTE, False)
        for conn in connections.all(initialized_only=True):
            if not conn.in_atomic_block:
                conn.close()  # the next query connects afresh
        logger.warning(
            "database connection lost during %s %s: running it once more on a fresh connection",
            request.method,
            request.path,
        )
        return self.get_response(request)
