"""A Redis that is restarting or unreachable is a few cache misses, not errors (office/cache.py): a report
from a township still goes in, the dashboard still renders, the throttle lets the request through."""

import socket

import pytest
from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from rest_framework.test import APIClient

from duty.models import UrgentReport
from office.org.models import Role, UnitKind
from office.org.services import api_key_issue
from tests.factories import UnitFactory, make_user


def _dead_redis() -> str:
    with socket.socket() as s:  # a port nobody listens on: every connection is refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def redis_down(settings):
    url = _dead_redis()
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "office.cache.ResilientRedisCache", "LOCATION": url},
        "throttle": {
            "BACKEND": "office.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "throttle",
        },
    }
    for alias in ("default", "throttle"):
        try:
            caches[alias].close()
        except InvalidCacheBackendError:
            pass
    yield url


def test_every_operation_answers_as_a_miss_while_redis_is_unreachable(redis_down, caplog):
    cache = caches["default"]
    assert cache.get("k", "fallback") == "fallback"
    assert cache.set("k", 1) is None and cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {} and cache.has_key("k") is False
    assert cache.get_or_set("k", 7) == 7  # computed, not kept
    assert cache.delete("k") is False and cache.touch("k") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")  # as for a missing key, which callers already handle
    assert "Redis unreachable" in caplog.text


def test_a_township_report_goes_in_and_the_dashboard_renders_while_redis_is_down(redis_down, db):
    town = UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP)
    director = make_user(Role.DIRECTOR)
    _key, raw = api_key_issue(actor=director, unit=town, name="系统对接")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw)
    resp = client.post(
        "/api/v1/duty/reports",
        {"title": "山洪", "level": "major", "elements": {"time": "9时40分"}, "text": "首报"},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    assert UrgentReport.objects.filter(pk=resp.json()["id"]).exists()
    from django.test import Client

    web = Client()
    web.force_login(director)
    assert web.get("/dashboard/").status_code == 200
    assert web.get("/dashboard/live/").status_code == 200
