"""One error layer: office.errors codes map to HTTP statuses in the API and to pages in the portal."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.test import APIRequestFactory

from office.api.errors import exception_handler
from office.errors import Conflict, Forbidden, Invalid, NotFound, OfficeError, TooLarge
from office.web.middleware import OfficeErrorMiddleware


@pytest.mark.parametrize(
    "error,status",
    [
        (Invalid("错"), 400),
        (Forbidden("不可"), 403),
        (NotFound("无"), 404),
        (Conflict("冲突"), 409),
        (TooLarge("太大"), 413),
        (OfficeError("限流", code="throttled"), 429),
        (OfficeError("默认"), 409),
    ],
)
def test_each_code_answers_its_status_in_the_api(error, status):
    resp = exception_handler(error, {})
    assert resp.status_code == status
    assert resp.data == {"code": error.code, "message": error.message}


def test_validation_fields_travel_with_the_error():
    resp = exception_handler(Invalid("请填写", fields={"content": ["请填写反馈内容。"]}), {})
    assert resp.status_code == 400 and resp.data["fields"] == {"content": ["请填写反馈内容。"]}


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown error code 'permission_denied'"):
        OfficeError("x", code="permission_denied")


def test_not_found_and_forbidden_are_djangos_own_404_and_403():
    assert isinstance(NotFound(), Http404) and isinstance(Forbidden(), PermissionDenied)


def _request(path="/supervision/1/", htmx=False):
    request = APIRequestFactory().get(path)
    request.htmx = htmx
    request.user = None
    return request


@pytest.mark.django_db
def test_an_uncaught_rule_error_on_a_page_shows_its_message_with_its_status():
    resp = OfficeErrorMiddleware(lambda r: None).process_exception(
        _request(), Conflict("该事项已办结，不能再报送。")
    )
    assert resp.status_code == 409 and "该事项已办结，不能再报送。" in resp.content.decode()


def test_an_htmx_fragment_escapes_the_message():
    resp = OfficeErrorMiddleware(lambda r: None).process_exception(
        _request(htmx=True), Invalid("<script>alert(1)</script>")
    )
    body = resp.content.decode()
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_middleware_leaves_the_api_and_404_403_to_their_handlers():
    mw = OfficeErrorMiddleware(lambda r: None)
    assert mw.process_exception(_request("/api/v1/me"), Conflict("x")) is None
    assert mw.process_exception(_request(), NotFound()) is None
    assert mw.process_exception(_request(), Forbidden()) is None
    assert mw.process_exception(_request(), ValueError()) is None


def test_services_never_import_the_api_layer():
    """office.errors is where rule errors come from; services and selectors never reach into office.api."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for pattern in (
        "*/services*.py",
        "*/services/*.py",
        "*/selectors*.py",
        "*/selectors/*.py",
        "*/access.py",
    ):
        for path in root.glob(pattern):
            if ".venv" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if "office.api" in text or "Http404" in text:
                offenders.append(str(path.relative_to(root)))
    for path in root.glob("office/*/services*/**/*.py"):
        text = path.read_text(encoding="utf-8")
        if "office.api" in text or "Http404" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
