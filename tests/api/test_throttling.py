"""Throttling of the API: per unit key (by its prefix), per person (by user id) and per anonymous address,
rates from settings, 429 ``throttled`` with Retry-After, counts in the shared ``throttle`` cache."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from office.org.models import Role
from office.org.services import api_key_issue
from tests.factories import make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


class PingApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("api/v1/test/ping", PingApi.as_view()), path("", include("office.urls"))]


@pytest.fixture(autouse=True)
def _fresh_counts(settings):
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "throttle-tests",
        },
    }
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def _key_client(unit):
    api_key, key = api_key_issue(actor=None, unit=unit, name="系统")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=key)
    return client, api_key


def assert_throttled(resp, *, max_wait):
    assert resp.status_code == 429
    assert resp["Content-Type"].startswith("application/json")
    wait = int(resp["Retry-After"])
    assert 0 < wait <= max_wait
    body = resp.json()
    assert body == {"code": "throttled", "message": f"请求过于频繁，请在 {wait} 秒后再试。"}
    return wait


def test_a_key_is_throttled_at_its_rate_and_another_units_key_is_not(settings, unit_a, unit_b):
    settings.OFFICE_API_RATE_KEY = "3/min"
    a, api_key = _key_client(unit_a)
    b, _ = _key_client(unit_b)

    with time_machine.travel("2026-03-09 09:00:00+08:00", tick=False):
        assert [a.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
        assert_throttled(a.get("/api/v1/me"), max_wait=60)
        assert a.get("/api/v1/units").status_code == 429  # one count per key, whatever the operation
        assert b.get("/api/v1/me").status_code == 200
        # counted under the key's public prefix, never the key itself
        assert len(caches["throttle"].get(f"throttle_key_{api_key.prefix}")) == 3

    with time_machine.travel("2026-03-09 09:01:01+08:00", tick=False):
        assert a.get("/api/v1/me").status_code == 200


def test_retry_after_counts_down_to_the_oldest_request_leaving_the_window(settings, unit_a):
    settings.OFFICE_API_RATE_KEY = "2/min"
    a, _ = _key_client(unit_a)
    with time_machine.travel("2026-03-09 09:00:00+08:00", tick=False):
        a.get("/api/v1/me")
    with time_machine.travel("2026-03-09 09:00:20+08:00", tick=False):
        a.get("/api/v1/me")
    with time_machine.travel("2026-03-09 09:00:30+08:00", tick=False):
        assert assert_throttled(a.get("/api/v1/me"), max_wait=60) == 30


def test_a_person_is_throttled_across_sessions_and_another_person_is_not(settings):
    settings.OFFICE_API_RATE_USER = "2/min"
    user, other = make_user(Role.STAFF), make_user(Role.STAFF)
    first, second, third = APIClient(), APIClient(), APIClient()
    first.force_authenticate(user)
    second.force_authenticate(user)
    third.force_authenticate(other)

    with time_machine.travel("2026-03-09 09:00:00+08:00", tick=False):
        assert first.get("/api/v1/me").status_code == 200
        assert second.get("/api/v1/me").status_code == 200
        assert_throttled(first.get("/api/v1/me"), max_wait=60)
        assert_throttled(second.get("/api/v1/me"), max_wait=60)
        assert third.get("/api/v1/me").status_code == 200
        assert len(caches["throttle"].get(f"throttle_user_{user.pk}")) == 2


def test_anonymous_callers_are_throttled_by_address(settings):
    settings.ROOT_URLCONF = __name__
    settings.OFFICE_API_RATE_ANON = "2/min"
    client = APIClient()
    with time_machine.travel("2026-03-09 09:00:00+08:00", tick=False):
        assert client.get("/api/v1/test/ping").status_code == 200
        assert client.get("/api/v1/test/ping", REMOTE_ADDR="127.0.0.1").status_code == 200
        assert_throttled(client.get("/api/v1/test/ping"), max_wait=60)
        # without a trusted proxy, a forged X-Forwarded-For does not buy a fresh count
        assert client.get("/api/v1/test/ping", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
        assert client.get("/api/v1/test/ping", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_limit_answers_in_english_when_asked(settings, unit_a):
    settings.OFFICE_API_RATE_KEY = "1/min"
    a, _ = _key_client(unit_a)
    a.get("/api/v1/me")
    resp = a.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 429 and resp.json()["code"] == "throttled" and "Retry-After" in resp


def test_off_switches_a_kind_of_throttling_off(settings, unit_a):
    settings.OFFICE_API_RATE_KEY = "off"
    a, _ = _key_client(unit_a)
    assert {a.get("/api/v1/me").status_code for _ in range(20)} == {200}


def test_a_malformed_rate_falls_back_to_the_default_and_is_logged(settings, unit_a, caplog):
    settings.OFFICE_API_RATE_KEY = "many"
    a, _ = _key_client(unit_a)
    assert a.get("/api/v1/me").status_code == 200
    assert "OFFICE_API_RATE_KEY='many' is not a rate" in caplog.text


def test_two_workers_with_the_file_cache_count_together(settings, unit_a, tmp_path):
    """Two gunicorn workers are two processes with their own cache objects over one folder."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    settings.OFFICE_API_RATE_KEY = "3/min"
    a, api_key = _key_client(unit_a)
    with time_machine.travel("2026-03-09 09:00:00+08:00", tick=False):
        assert a.get("/api/v1/me").status_code == 200
        assert a.get("/api/v1/me").status_code == 200
        other_worker = FileBasedCache(str(tmp_path), {})
        history = other_worker.get(f"throttle_key_{api_key.prefix}")
        assert len(history) == 2
        other_worker.set(f"throttle_key_{api_key.prefix}", [history[0]] * 3, 60)  # the other worker's 3rd
        assert a.get("/api/v1/me").status_code == 429


def _throttle_cache_of(env: dict) -> dict:
    """office.settings' throttle cache as a process outside the test suite sees it."""
    code = "import json, office.settings as s; print(json.dumps(s.CACHES['throttle'], default=str))"
    clean = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "THROTTLE_CACHE_URL"}}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_the_throttle_cache_is_redis_with_redis_and_files_under_var_otherwise(tmp_path):
    redis = _throttle_cache_of({"CACHE_URL": "redis://redis:6379/2", "OFFICE_VAR_DIR": str(tmp_path)})
    assert redis["BACKEND"] == "office.cache.ResilientRedisCache"  # Django's, with Redis down a miss
    assert redis["LOCATION"] == "redis://redis:6379/2" and redis["KEY_PREFIX"] == "throttle"

    files = _throttle_cache_of({"OFFICE_VAR_DIR": str(tmp_path)})
    assert files["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert files["LOCATION"] == str(tmp_path / "cache" / "throttle")

    chosen = _throttle_cache_of(
        {"THROTTLE_CACHE_URL": "dbcache://throttle_cache", "OFFICE_VAR_DIR": str(tmp_path)}
    )
    assert chosen["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
