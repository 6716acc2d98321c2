"""A request whose database connection is cut under it (the typhoon night's ``pg_terminate_backend``)
is run once more on a fresh connection when that is safe — a GET, or a POST with an Idempotency-Key —
so the caller gets its answer instead of a 500; a POST without a key is not run twice, and an ordinary
server error is not retried (office/web/connection_retry.py)."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from duty.api import views as duty_views
from duty.models import UrgentReport
from office.api.views import MeApi
from office.org.models import Role, UnitKind
from office.org.services import api_key_issue
from tests.factories import UnitFactory, make_user

REPORT = {
    "title": "山洪冲毁村道",
    "level": "general",
    "elements": {"place": "石门村"},
    "text": "现场已封闭。",
}


def _client() -> APIClient:
    director = make_user(Role.DIRECTOR, Role.DUTY_LEADER)
    town = UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP)
    _key, raw = api_key_issue(actor=director, unit=town, name="系统对接")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw)
    return client


def _cut_own_connection():
    """What pg_terminate_backend from outside does to this request's connection."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pg_backend_pid())")


def _calls(monkeypatch, target, name, first):
    """Replace ``target.name``: the first call runs ``first(real, ...)``, later ones the real thing."""
    real = getattr(target, name)
    calls = []

    def patched(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            return first(real, *args, **kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, patched)
    return calls


@pytest.mark.postgres
def test_a_get_whose_connection_is_cut_is_answered_from_a_fresh_connection(transactional_db, monkeypatch):
    client = _client()

    def cut(real, view, request):
        _cut_own_connection()
        return real(view, request)

    calls = _calls(monkeypatch, MeApi, "get", cut)
    response = client.get("/api/v1/me")
    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "api_key"
    assert len(calls) == 2


@pytest.mark.postgres
def test_a_keyed_post_cut_before_its_commit_is_written_exactly_once(transactional_db, monkeypatch):
    client = _client()

    def write_then_cut(real, **kwargs):
        real(**kwargs)  # the report is written in the request's transaction …
        _cut_own_connection()  # … which never commits

    calls = _calls(monkeypatch, duty_views, "report_receive", write_then_cut)
    response = client.post("/api/v1/duty/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY="typhoon-1")
    assert response.status_code == 201, response.content
    assert len(calls) == 2
    assert list(UrgentReport.objects.values_list("id", flat=True)) == [response.json()["id"]]
    # and the client's own retry (had it lost the answer) replays it
    again = client.post("/api/v1/duty/reports", REPORT, format="json", HTTP_IDEMPOTENCY_KEY="typhoon-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert UrgentReport.objects.count() == 1


@pytest.mark.postgres
def test_a_post_without_a_key_is_not_run_twice(transactional_db, monkeypatch):
    client = _client()

    def write_then_cut(real, **kwargs):
        real(**kwargs)
        _cut_own_connection()

    calls = _calls(monkeypatch, duty_views, "report_receive", write_then_cut)
    response = client.post("/api/v1/duty/reports", REPORT, format="json")
    connection.close()  # what request_finished does for a server (the test client leaves it open)
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert len(calls) == 1
    # Without a key the service's own transaction had committed before the cut: the report stands, and
    # only the answer was lost. Running it again would have written it twice — which is what the key is for.
    assert UrgentReport.objects.count() == 1


@pytest.mark.django_db
def test_an_ordinary_server_error_is_not_retried(monkeypatch):
    client = _client()

    def bug(real, view, request):
        raise RuntimeError("a bug, not a lost connection")

    calls = _calls(monkeypatch, MeApi, "get", bug)
    response = client.get("/api/v1/me")
    assert response.status_code == 500
    assert len(calls) == 1
