import pytest
from django.test import override_settings

from office.org.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in body and "用户登录" in body


def test_language_switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in body


def test_director_logs_in_and_sees_home(client):
    user = make_user(Role.DIRECTOR)
    resp = client.post(
        "/accounts/login/", {"username": user.username, "password": "pass-word-123"}, follow=True
    )
    assert resp.status_code == 200
    assert "个人信息" in resp.content.decode() and "主任" in resp.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failed_logins(client):
    user = make_user(Role.STAFF)
    for _ in range(3):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    resp = client.post("/accounts/login/", {"username": user.username, "password": "pass-word-123"})
    assert resp.status_code in (403, 429)
    assert "锁定" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_message_is_chinese(client):
    user = make_user(Role.STAFF)
    resp = client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert "请输入一个正确的" in resp.content.decode() or "用户名和密码" in resp.content.decode()


def test_healthz_is_always_ok(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json()["status"] == "ok"


def test_readyz_reports_database_and_broker(client):
    resp = client.get("/readyz")
    data = resp.json()
    assert data["checks"]["database"]["ok"] is True
    assert "broker" in data["checks"]


def test_readyz_is_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    resp = client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json()["checks"]["broker"]["ok"] is False
