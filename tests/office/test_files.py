"""Protected files: uploads are accepted by content, not by name; one download view serves them after the
owning app's access check, never from /media/."""

import io

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from office.audit.models import AccessLog
from office.errors import Invalid, NotFound, TooLarge
from office.files import registry
from office.files.registry import ProtectedFile, file_url, register_file_kind
from office.files.validation import check_upload, safe_filename
from office.org.models import Role, UnitAPIKey
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- what is accepted ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,ext",
    [
        ("报告.pdf", PDF, "pdf"),
        ("photo.png", PNG, "png"),
        ("说明.txt", "现场情况：道路积水。\n".encode(), "txt"),
        ("gbk.txt", "现场情况".encode("gb18030"), "txt"),
        ("renamed.doc", PDF, "pdf"),  # the content decides, and the stored extension follows it
    ],
)
def test_allowed_types_are_stored_under_a_random_name_with_the_detected_extension(name, content, ext):
    f = upload(name, content)
    checked = check_upload(f)
    assert checked.extension == ext and checked.original_name == name
    assert f.name.endswith("." + ext) and len(f.name) == 32 + 1 + len(ext)
    assert name.rsplit(".", 1)[0] not in f.name


@pytest.mark.parametrize(
    "name,content",
    [
        ("evil.html", b"<html><script>alert(1)</script></html>"),
        ("evil.txt", b"<!DOCTYPE html><html></html>"),
        ("logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("tool.exe", EXE),
        ("tool.pdf", EXE),  # a program renamed .pdf is still a program
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 60),
        ("binary.dat", bytes(range(256)) * 4),
    ],
)
def test_disallowed_types_are_refused_by_content_with_a_chinese_message(name, content):
    with pytest.raises(Invalid, match="不接受附件") as exc:
        check_upload(upload(name, content), field="attachment")
    assert exc.value.status_code == 400 and "attachment" in exc.value.fields


def test_a_file_over_the_limit_is_refused_with_413(settings):
    settings.OFFICE_UPLOAD_MAX_MB = 1
    big = upload("大文件.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(TooLarge, match="过大.*不能超过 1 MB") as exc:
        check_upload(big)
    assert exc.value.status_code == 413 and exc.value.code == "too_large"


def test_the_default_limit_is_20_mb():
    big = upload("scan.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(TooLarge, match="不能超过 20 MB"):
        check_upload(big)
    check_upload(upload("scan.pdf", PDF + b"0" * (19 * 1024 * 1024)))


def test_an_empty_file_is_refused():
    with pytest.raises(Invalid, match="空文件"):
        check_upload(upload("empty.pdf", b""))


@pytest.mark.parametrize(
    "raw,safe",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\报告.pdf", "报告.pdf"),
        ('a"b;c\r\n.pdf', "abc.pdf"),
        ("...", "附件"),
        ("", "附件"),
        ("长" * 150 + ".pdf", "长" * 96 + ".pdf"),
    ],
)
def test_original_names_are_reduced_to_safe_names(raw, safe):
    assert safe_filename(raw) == safe


# --- the one download view -------------------------------------------------------------------------


@pytest.fixture
def stored_file(tmp_path):
    path = tmp_path / "0123abcd.pdf"
    path.write_bytes(PDF)
    return File(open(path, "rb"), name=str(path))


@pytest.fixture
def test_kind(stored_file, unit_a):
    """A file kind whose access rule is: only unit A's users and key, and internal staff."""
    from office.org.roles import is_internal
    from office.org.selectors import unit_of_user

    def resolver(*, actor, pk):
        if pk != 1 or not (is_internal(actor) or unit_of_user(actor) == unit_a):
            raise NotFound()
        return ProtectedFile(file=stored_file, name="督办反馈 第1期.pdf", subject=unit_a)

    registry._RESOLVERS["test-kind"] = resolver
    yield "test-kind"
    registry._RESOLVERS.pop("test-kind", None)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_own_unit_downloads_its_file_from_the_portal_with_debug_off(settings, test_kind, unit_a):
    settings.DEBUG = False
    resp = _client(make_user(Role.EXTERNAL_UNIT, unit=unit_a)).get(file_url(test_kind, 1))
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == PDF
    assert resp["Content-Type"] == "application/pdf"
    assert resp["X-Content-Type-Options"] == "nosniff"
    disposition = resp["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E5%8F%8D%E9%A6%88%20%E7%AC%AC1%E6%9C%9F.pdf" in disposition


def test_another_unit_gets_the_404_page_and_the_api_a_json_404(test_kind, unit_b):
    client = _client(make_user(Role.EXTERNAL_UNIT, unit=unit_b))
    page = client.get(file_url(test_kind, 1))
    assert page.status_code == 404 and "text/html" in page["Content-Type"]
    api = client.get(file_url(test_kind, 1, api=True))
    assert api.status_code == 404 and api.json()["code"] == "not_found"


def test_api_key_downloads_own_file_and_not_another_units(test_kind, unit_a, unit_b):
    _, key_a = UnitAPIKey.objects.create_key(name="a", unit=unit_a)
    _, key_b = UnitAPIKey.objects.create_key(name="b", unit=unit_b)
    url = file_url(test_kind, 1, api=True)
    ok = Client().get(url, HTTP_X_API_KEY=key_a)
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PDF
    refused = Client().get(url, HTTP_X_API_KEY=key_b)
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"


def test_anonymous_is_sent_to_sign_in_on_the_portal_and_gets_401_from_the_api(test_kind):
    page = Client().get(file_url(test_kind, 1))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    api = Client().get(file_url(test_kind, 1, api=True))
    assert api.status_code == 401 and api.json()["code"] == "not_authenticated"


def test_unknown_kind_and_missing_file_answer_404(test_kind, director):
    client = _client(director)
    assert client.get("/files/no-such-kind/1").status_code == 404
    assert client.get(file_url(test_kind, 2)).status_code == 404


def test_api_file_urls_are_absolute(rf, settings):
    settings.ALLOWED_HOSTS = ["office.example.gov.cn"]
    request = rf.get("/api/v1/supervision/items", HTTP_HOST="office.example.gov.cn")
    assert file_url("test-kind", 7, request=request, api=True) == (
        "http://office.example.gov.cn/api/v1/files/test-kind/7"
    )


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(settings, test_kind, director):
    settings.OFFICE_FILES_ACCEL_REDIRECT = "/protected-media/"
    resp = _client(director).get(file_url(test_kind, 1))
    assert resp.status_code == 200 and resp.content == b""
    assert resp["X-Accel-Redirect"].startswith("/protected-media/") and resp["X-Accel-Redirect"].endswith(
        "0123abcd.pdf"
    )
    assert resp["Content-Disposition"].startswith("attachment;")


def test_media_is_not_served_directly(settings, director):
    settings.DEBUG = True  # not even in DEBUG: the URL is simply not routed
    assert _client(director).get("/media/supervision/feedback/x.pdf").status_code == 404


def test_a_classified_file_read_is_logged(stored_file, unit_a, director):
    def resolver(*, actor, pk):
        return ProtectedFile(file=stored_file, name="密件.pdf", subject=unit_a, classification="secret")

    registry._RESOLVERS["test-secret"] = resolver
    try:
        resp = _client(director).get(file_url("test-secret", 1), REMOTE_ADDR="10.1.2.3")
    finally:
        registry._RESOLVERS.pop("test-secret", None)
    assert resp.status_code == 200
    row = AccessLog.objects.get()
    assert (row.actor, row.action, row.classification, row.ip) == (director, "download", "secret", "10.1.2.3")


def test_a_kind_cannot_be_registered_twice_with_another_resolver():
    register_file_kind("test-twice", lambda **kw: None)
    try:
        with pytest.raises(ValueError, match="registered twice"):
            register_file_kind("test-twice", lambda **kw: None)
    finally:
        registry._RESOLVERS.pop("test-twice", None)


def test_buffer_without_size_is_measured(settings):
    settings.OFFICE_UPLOAD_MAX_MB = 1
    buf = io.BytesIO(PDF + b"0" * (2 * 1024 * 1024))
    buf.name = "x.pdf"
    with pytest.raises(TooLarge):
        check_upload(buf)
