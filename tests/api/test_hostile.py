"""Hostile requests under /api/: each answers JSON in the one error shape ``{code, message, fields}``, with
its status and a Chinese message, never Django's HTML pages, a stack trace or a RecursionError."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient
from rest_framework.views import APIView

from duty.models import UrgentReport
from office.api.errors import MAX_FIELD_ERRORS, MAX_MESSAGE_CHARS
from office.api.parsers import MAX_JSON_DEPTH, JSONParser, OfficeParseError, json_too_deep
from office.org.models import Role
from office.org.services import api_key_issue, api_key_revoke
from tests.factories import make_user

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/duty/reports"
ROOT = Path(__file__).resolve().parents[2]


# --- a test-only URLconf: the office's URLs plus API views that fail on purpose --------------------------
class _Open(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class BoomApi(_Open):
    def get(self, request):
        return 1 / 0


class ManyErrorsApi(_Open):
    def post(self, request):
        raise serializers.ValidationError(
            {f"unknown_{i}": ["不认识的字段。" + "很长" * 300] for i in range(10_000)}
        )


class SuspiciousApi(_Open):
    def get(self, request):
        raise SuspiciousOperation("spoofed")


def boom_plain(request):
    raise RuntimeError("a plain Django view under /api/ failed")


def ok_plain(request):
    return HttpResponse("ok")


urlpatterns = [
    path("api/v1/test/boom", BoomApi.as_view()),
    path("api/v1/test/boom-plain", boom_plain),
    path("api/v1/test/many-errors", ManyErrorsApi.as_view()),
    path("api/v1/test/suspicious", SuspiciousApi.as_view()),
    path("", include("office.urls")),
]


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


@pytest.fixture
def key(unit_a):
    return api_key_issue(actor=None, unit=unit_a, name="甲镇系统")[1]


@pytest.fixture
def api(key):
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=key)
    return client


def assert_error(resp, status, code, message=None):
    """The one error shape, JSON, with the given status and code; returns the body."""
    assert resp.status_code == status, resp.content[:500]
    assert resp["Content-Type"].startswith("application/json")
    text = resp.content.decode()
    assert "<html" not in text.lower() and "Traceback" not in text
    body = json.loads(text)
    assert body["code"] == code
    assert set(body) <= {"code", "message", "fields", "error_id"}
    if message is not None:
        assert message in body["message"], body["message"]
    return body


def post_raw(api, data: bytes, content_type="application/json", url=REPORTS, **extra):
    return api.generic("POST", url, data, content_type=content_type, **extra)


# --- unknown routes, methods, media types ---------------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["/api/v1/nonexistent", "/api/v1/supervision/items/abc", "/api/v2/units", "/api/", "/api/v1/me/"]
)
def test_unknown_route_under_api_answers_json_404_not_the_portal_page(api, url):
    body = assert_error(api.get(url), 404, "not_found", "请求的接口不存在")
    assert "fields" not in body


def test_unknown_route_outside_api_still_answers_the_portal_page(client):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404 and resp["Content-Type"].startswith("text/html")


def test_method_not_allowed_answers_json_405_in_chinese(api):
    body = assert_error(api.delete("/api/v1/me"), 405, "method_not_allowed")
    assert body["message"] == "方法 “DELETE” 不被允许。"


def test_method_not_allowed_answers_in_english_when_asked(api):
    body = assert_error(api.delete("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en"), 405, "method_not_allowed")
    assert body["message"] == 'Method "DELETE" not allowed.'


def test_unsupported_media_type_answers_json_415(api):
    body = assert_error(post_raw(api, b"title=x", "text/plain"), 415, "unsupported_media_type")
    assert body["message"] == "不支持请求中的媒体类型 “text/plain”。"
    assert not UrgentReport.objects.exists()


def test_a_client_accepting_only_html_gets_406_json_not_a_browsable_page(api):
    body = assert_error(api.get("/api/v1/me", HTTP_ACCEPT="text/html"), 406, "not_acceptable")
    assert body["message"] == "无法满足Accept HTTP头的请求。"
    assert_error(api.get("/api/v1/nonexistent", HTTP_ACCEPT="text/html"), 404, "not_found")


def test_a_browser_accept_header_gets_json(api):
    resp = api.get("/api/v1/me", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/json"


# --- bad JSON -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b'{"title": ', "请求体不是有效的 JSON：第 1 行第 11 列，此处应为一个值。", id="truncated"
        ),
        pytest.param(b"{'title': 1}", "此处应为双引号括起的属性名", id="single-quotes"),
        pytest.param(b'{"title": "a"} []', "JSON 值之后还有多余的内容", id="extra-data"),
        pytest.param(
            b'{"title": "\xff\xfe"}', "请求体不是有效的 UTF-8 编码文本（第 12 个字节有误）", id="utf8"
        ),
        pytest.param(b'{"title": "a\x00b"}', "字符串中含有控制字符（如 NUL），须转义", id="raw-nul"),
        pytest.param(b'{"title": NaN}', "不接受 NaN 或 Infinity", id="nan"),
        pytest.param(b"\xef\xbb\xbf", "请求体不是有效的 JSON", id="bom-only"),
    ],
)
def test_bad_json_answers_400_parse_error_in_chinese(api, data, message):
    body = assert_error(post_raw(api, data), 400, "parse_error", message)
    assert "Expecting" not in body["message"] and "JSON parse error" not in body["message"]
    assert not UrgentReport.objects.exists()


def test_an_unknown_charset_is_ignored_and_the_body_read_as_utf8(api):
    data = json.dumps({"title": "山洪", "level": "general"}, ensure_ascii=False).encode()
    resp = post_raw(api, data, "application/json; charset=klingon")
    assert resp.status_code == 201 and resp.json()["title"] == "山洪"


def test_json_in_gb18030_as_declared_is_read(api):
    data = json.dumps({"title": "山洪", "level": "general"}, ensure_ascii=False).encode("gb18030")
    resp = post_raw(api, data, "application/json; charset=gb18030")
    assert resp.status_code == 201 and resp.json()["title"] == "山洪"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"[" * 1000 + b"]" * 1000, id="arrays-1000"),
        pytest.param(b'{"a":' * 1000 + b"1" + b"}" * 1000, id="objects-1000"),
        pytest.param(
            b'{"title": "x", "elements": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", id="inner-100k"
        ),
        pytest.param(b"[" * 5000, id="unclosed-5000"),
    ],
)
def test_json_nested_too_deep_answers_400_not_a_recursion_error(api, data):
    started = time.monotonic()
    body = assert_error(post_raw(api, data), 400, "parse_error")
    assert body["message"] == f"JSON 嵌套层数过多：数组和对象最多嵌套 {MAX_JSON_DEPTH} 层。"
    assert time.monotonic() - started < 5


def test_json_nested_up_to_the_limit_is_parsed(api):
    elements = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)  # the outer object is one more level
    resp = post_raw(api, f'{{"title": "x", "level": "general", "elements": {elements}}}'.encode())
    body = assert_error(resp, 400, "invalid")  # parsed: the serializer refuses a list for elements
    assert "elements" in body["fields"]


def test_the_parser_itself_refuses_deep_json_when_no_middleware_checked_it():
    with pytest.raises(OfficeParseError, match="嵌套层数过多"):
        JSONParser().parse(io.BytesIO(b"[" * 3000 + b"]" * 3000))
    assert JSONParser().parse(io.BytesIO(b'{"a": [[["[[[[[[[[[[[[[[[["]]]}')) == {"a": [[["[" * 16]]]}


@pytest.mark.parametrize(
    ("data", "too_deep"),
    [
        (b"[" * 64 + b"]" * 64, False),
        (b"[" * 65 + b"]" * 65, True),
        (b"[" + b"[]," * 10_000 + b"[]]", False),  # wide, not deep
        (b'["' + b"[" * 500 + b'"]', False),  # brackets inside a string do not count
        (b'["\\"' + b"[" * 500 + b'"]', False),  # nor after an escaped quote
        (b"{" * 40 + b"[" * 40 + b"]" * 40 + b"}" * 40, True),
        (b"]" * 500, False),  # malformed, not deep: the parser refuses it
        (b"[" * 65, True),
    ],
)
def test_json_depth_is_found_without_parsing(data, too_deep):
    assert json_too_deep(data, 64) is too_deep


def test_json_depth_check_is_cheap_on_a_large_wide_body():
    data = b"[" + b"[1,[2,[3]]]," * 500_000 + b"[]]"  # 6 MB, 2.5 million brackets
    started = time.monotonic()
    assert json_too_deep(data) is False
    assert time.monotonic() - started < 2


# --- NUL, empty and null bodies, multipart, forms -------------------------------------------------------
def test_nul_character_in_a_field_is_reported_as_such_not_as_an_empty_string(api):
    resp = api.post(REPORTS, {"title": "a\u0000b", "level": "general"}, format="json")
    body = assert_error(resp, 400, "invalid", "提交的数据有误")
    assert body["fields"]["title"] == ["不能包含空字符（NUL，\\x00）。"]
    assert "空字符串" not in resp.content.decode()


def test_null_body_says_no_data_was_provided_in_chinese(api):
    body = assert_error(post_raw(api, b"null"), 400, "invalid")
    assert body["fields"] == {"non_field_errors": ["未提供数据：请求体为空或为 null。"]}
    assert "No data provided" not in json.dumps(body)


def test_broken_multipart_answers_400_parse_error_in_chinese(api):
    resp = post_raw(api, b"--zzz\r\nnot a part at all", 'multipart/form-data; boundary="a\tb"')
    body = assert_error(resp, 400, "parse_error", "multipart/form-data 表单无法解析")
    assert "Multipart form parse error" not in body["message"]


def test_multipart_without_boundary_answers_400_parse_error_in_chinese(api):
    resp = post_raw(api, b"title=x", "multipart/form-data")
    assert_error(resp, 400, "parse_error", "multipart/form-data 表单无法解析")


def test_a_form_with_too_many_fields_answers_400_json(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    data = {f"f{i}": "1" for i in range(101)}
    body = assert_error(api.post(REPORTS, data, format="multipart"), 400, "bad_request")
    assert body["message"] == "请求无效：表单字段过多。"


# --- bodies over the limit: 413 before parsing -----------------------------------------------------------
def test_json_body_over_the_limit_answers_413_before_parsing(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    data = b'{"title": "' + b"x" * (1024 * 1024) + b'", "level": "general"}'
    body = assert_error(post_raw(api, data), 413, "too_large")
    assert body["message"] == "请求体过大（1.0 MB），上限为 1.0 MB。"
    assert not UrgentReport.objects.exists()


def test_deep_json_over_the_limit_is_refused_for_its_size_not_parsed(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_error(post_raw(api, b"[" * 2000 + b"]" * 2000), 413, "too_large")


def test_form_body_over_the_limit_answers_413_json_not_the_html_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(make_user(Role.DUTY_OFFICER))
    resp = client.post(REPORTS, "title=" + "x" * 2000, content_type="application/x-www-form-urlencoded")
    assert_error(resp, 413, "too_large", "请求体过大")


def test_upload_over_the_upload_limit_and_overhead_answers_413_before_parsing(api, settings):
    settings.OFFICE_UPLOAD_MAX_MB = 1
    boundary = "b0undary"
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    data = part + b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024 + 10) + f"\r\n--{boundary}--\r\n".encode()
    resp = post_raw(api, data, f"multipart/form-data; boundary={boundary}")
    body = assert_error(resp, 413, "too_large")
    assert body["message"] == "请求体过大（6.0 MB）：一次请求上传的内容合计不能超过 6.0 MB。"
    assert not UrgentReport.objects.exists()


# --- CSRF for session clients ---------------------------------------------------------------------------
@pytest.fixture
def session_client():
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(make_user(Role.DUTY_OFFICER))
    return client


def test_session_post_without_csrf_cookie_answers_403_in_chinese(session_client):
    resp = session_client.post(REPORTS, {"title": "x", "level": "general"}, format="json")
    body = assert_error(resp, 403, "csrf_failed")
    assert body["message"].startswith("CSRF 校验失败：没有 CSRF Cookie")
    assert "CSRF Failed" not in body["message"]
    assert not UrgentReport.objects.exists()


def test_session_post_with_cookie_but_no_token_answers_403_in_chinese(session_client):
    session_client.cookies["csrftoken"] = "a" * 32
    resp = session_client.post(REPORTS, {"title": "x", "level": "general"}, format="json")
    assert_error(resp, 403, "csrf_failed", "CSRF 校验失败：缺少 CSRF 令牌")


def test_session_post_with_the_csrf_token_goes_through(session_client):
    session_client.cookies["csrftoken"] = "a" * 32
    resp = session_client.post(
        REPORTS, {"title": "x", "level": "general"}, format="json", HTTP_X_CSRFTOKEN="a" * 32
    )
    assert resp.status_code == 201


# --- keys -------------------------------------------------------------------------------------------------
def test_a_revoked_key_is_told_it_is_revoked_and_a_wrong_key_that_it_is_invalid(unit_a):
    api_key, key = api_key_issue(actor=None, unit=unit_a, name="甲镇系统")
    api_key_revoke(actor=None, api_key=api_key)
    client = APIClient()

    body = assert_error(client.get("/api/v1/me", HTTP_X_API_KEY=key), 401, "authentication_failed")
    assert body["message"] == "API 密钥已被吊销。"
    # the revoked key's public prefix with a wrong secret is just invalid: the prefix alone proves nothing
    wrong = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
    body = assert_error(client.get("/api/v1/me", HTTP_X_API_KEY=wrong), 401, "authentication_failed")
    assert body["message"] == "API 密钥无效。"
    body = assert_error(client.get("/api/v1/me", HTTP_X_API_KEY="nonsense"), 401, "authentication_failed")
    assert body["message"] == "API 密钥无效。"


def test_an_expired_key_is_told_it_expired(unit_a):
    api_key, key = api_key_issue(actor=None, unit=unit_a, name="甲镇系统")
    api_key.expiry_date = timezone.now() - timezone.timedelta(days=1)
    api_key.save(update_fields=["expiry_date"])
    body = assert_error(APIClient().get("/api/v1/me", HTTP_X_API_KEY=key), 401, "authentication_failed")
    assert body["message"] == "API 密钥已过期。"


# --- server errors -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/api/v1/test/boom", "/api/v1/test/boom-plain"])
def test_unexpected_error_answers_json_500_with_an_error_id_that_is_logged(failing_urls, client, caplog, url):
    with caplog.at_level(logging.ERROR, logger="office.api"):
        resp = client.get(url)
    body = assert_error(resp, 500, "server_error")
    error_id = body["error_id"]
    assert len(error_id) == 12
    assert body["message"] == f"服务器内部错误，请稍后再试。如需报告，请提供错误编号 {error_id}。"
    assert "ZeroDivisionError" not in resp.content.decode() and "RuntimeError" not in resp.content.decode()
    [record] = [r for r in caplog.records if r.name == "office.api"]
    assert error_id in record.getMessage() and url in record.getMessage()
    assert record.exc_info is not None  # the traceback is in the log, not in the response


def test_an_unexpected_error_outside_api_still_answers_the_portal_500_page(failing_urls, settings):
    from django.test import Client

    settings.ROOT_URLCONF = __name__
    resp = Client(raise_request_exception=False).get("/api-not/boom")
    assert resp.status_code == 404 and not resp["Content-Type"].startswith("application/json")


def test_a_suspicious_request_answers_400_json(failing_urls, client):
    assert_error(client.get("/api/v1/test/suspicious"), 400, "bad_request", "请求无效")


# --- bounded error bodies ------------------------------------------------------------------------------------
def test_ten_thousand_field_errors_are_cut_to_fifty_short_ones(failing_urls, client):
    resp = client.post("/api/v1/test/many-errors", {}, content_type="application/json")
    body = assert_error(resp, 400, "invalid")
    assert len(body["fields"]) == MAX_FIELD_ERRORS
    assert list(body["fields"])[:2] == ["unknown_0", "unknown_1"]
    assert body["message"] == "提交的数据有误，请检查后重试。（只列出前 50 项，另有 9950 项错误）"
    for messages in body["fields"].values():
        assert len(messages) == 1 and len(messages[0]) == MAX_MESSAGE_CHARS and messages[0].endswith("…")
    assert len(resp.content) < 40_000


def test_a_body_with_ten_thousand_unknown_element_keys_is_not_echoed_back(api):
    elements = {f"unknown_key_{i}": "x" for i in range(10_000)}
    resp = api.post(REPORTS, {"title": "x", "level": "general", "elements": elements}, format="json")
    body = assert_error(resp, 400, "invalid")
    assert len(body["fields"]) <= MAX_FIELD_ERRORS
    assert all(len(m) <= MAX_MESSAGE_CHARS for ms in body["fields"].values() for m in ms)
    assert resp.content.count(b"unknown_key_") < 100 and len(resp.content) < 20_000


# --- very long URLs ---------------------------------------------------------------------------------------------
def test_a_very_long_query_answers_414_json_before_routing(api):
    body = assert_error(api.get("/api/v1/units", {"kind": "x" * 5000}), 414, "uri_too_long")
    assert body["message"] == "请求的地址过长（5019 个字符），上限为 4096 个字符。"


def test_a_very_long_path_answers_414_json(api, settings):
    settings.OFFICE_API_MAX_URL_LENGTH = 100
    assert_error(api.get("/api/v1/" + "a" * 200), 414, "uri_too_long", "上限为 100 个字符")


def test_a_long_url_outside_api_is_not_refused_by_the_api_limit(client, settings):
    settings.OFFICE_API_MAX_URL_LENGTH = 10
    assert client.get("/healthz").status_code == 200


# --- gunicorn in front: what it answers itself, measured -------------------------------------------------------
def _raw_http(port: int, request: bytes) -> tuple[int, str, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    content_type = next(
        (line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("content-type:")), ""
    )
    return int(lines[0].split()[1]), content_type, body


@pytest.fixture
def gunicorn_port(tmp_path):
    """gunicorn as the Procfile and the image start it: from the repository, so gunicorn.conf.py applies."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}},
        "OFFICE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "gunicorn-limits-test-only-" + "x" * 40,
    }
    cmd = [sys.executable, "-m", "gunicorn", "office.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        # threads, as the Procfile and the image run it: gunicorn's threaded worker (the sync one never keeps
        # a connection alive)
        cmd + ["--workers", "1", "--threads", "4", "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_gunicorn_passes_long_urls_to_the_api_and_answers_beyond_its_own_limits_itself(gunicorn_port):
    def get(url_tail: bytes, headers: bytes = b"") -> tuple[int, str, bytes]:
        request = b"GET /api/v1/me?q=" + url_tail + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
        return _raw_http(gunicorn_port, request + b"Connection: close\r\n\r\n")

    # a request line of ~8,130 bytes: past gunicorn's default (4094), it reaches Django, which answers 414 JSON
    status, content_type, body = get(b"x" * 8100)
    assert (status, content_type) == (414, "application/json")
    assert b'"uri_too_long"' in body
    # a header line of 16,000 bytes reaches Django too
    assert get(b"x", b"X-Long: " + b"y" * 16_000 + b"\r\n")[:2] == (401, "application/json")
    # beyond gunicorn.conf.py's limits gunicorn answers itself, in HTML, before Django
    assert get(b"x" * 8200)[:2] == (414, "text/html")
    assert get(b"x", b"X-Long: " + b"y" * 16_400 + b"\r\n")[:2] == (431, "text/html")
    assert get(b"x", b"".join(b"X-H%d: 1\r\n" % i for i in range(101)))[:2] == (431, "text/html")


def test_gunicorn_closes_every_connection_after_its_answer_so_no_request_meets_an_idle_close(gunicorn_port):
    """A kept-alive connection closed by the server's idle timeout just as a client sends on it is a
    request lost with no answer; every answer says "Connection: close", so no client sends on one."""
    with socket.create_connection(("127.0.0.1", gunicorn_port), timeout=10) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # HTTP/1.1: keep-alive unless told
        data = b""
        while chunk := conn.recv(65536):  # the server closes: recv ends at once, not after an idle timeout
            data += chunk
    head = data.partition(b"\r\n\r\n")[0].decode("latin-1").lower()
    assert head.startswith("http/1.1 200")
    assert "\r\nconnection: close" in head
