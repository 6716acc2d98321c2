"""Query parameters are validated: a value the server cannot use is a 400 naming the parameter, in the
one error body (Chinese by default), never silently ignored — and good values still filter."""

import base64
import datetime as dt

import pytest
from rest_framework.test import APIClient

from duty.services.reports import report_receive
from office.org.models import Role, UnitAPIKey, UnitKind
from office.org.principals import UnitPrincipal
from office.org.services import api_key_issue
from tests.factories import UnitFactory, make_user
from tests.supervision.factories import make_item

pytestmark = pytest.mark.django_db

INVALID = "提交的数据有误，请检查后重试。"


@pytest.fixture
def town():
    return UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP)


@pytest.fixture
def api(town):
    director = make_user(Role.DIRECTOR)
    _, key = api_key_issue(actor=director, unit=town, name="一号镇系统")
    principal = UnitPrincipal(UnitAPIKey.objects.get(unit=town))
    for n in range(3):
        make_item(actor=director, lead_unit=town, issue=True, title=f"事项{n}", due=dt.date(2030, 6, 30))
        report_receive(actor=principal, title=f"紧急信息{n}", level="major", elements={}, text="")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=key)
    return client


BAD = [
    ("/api/v1/supervision/items", "status", "AAA"),
    ("/api/v1/supervision/items", "status", ""),
    ("/api/v1/supervision/items", "light", "purple"),
    ("/api/v1/supervision/items", "category", "war"),
    ("/api/v1/supervision/items", "source", "rumour"),
    ("/api/v1/supervision/items", "due_from", "2026-13-01"),
    ("/api/v1/supervision/items", "due_to", "tomorrow"),
    ("/api/v1/supervision/items", "q", "x" * 201),
    ("/api/v1/supervision/items", "q", "a\x00b"),
    ("/api/v1/duty/reports", "status", "AAA"),
    ("/api/v1/duty/reports", "level", "huge"),
    ("/api/v1/units", "kind", "planet"),
    ("/api/v1/units", "is_active", "maybe"),
    ("/api/v1/units", "is_active", "1"),
    ("/api/v1/supervision/documents", "page_size", "abc"),
    ("/api/v1/supervision/items", "page_size", "0"),
    ("/api/v1/supervision/items", "page_size", "-5"),
    ("/api/v1/supervision/items", "page_size", "201"),
    ("/api/v1/supervision/items", "page_size", "1.5"),
    ("/api/v1/duty/reports", "page_size", ""),
    ("/api/v1/supervision/items", "cursor", "garbage!!"),
    ("/api/v1/duty/reports", "cursor", "中文"),
    # well-formed base64, but a position that is no primary key: must not reach the database
    ("/api/v1/supervision/items", "cursor", base64.b64encode(b"p=abc").decode()),
    ("/api/v1/units", "cursor", base64.b64encode(b"r=x").decode()),
]


@pytest.mark.parametrize(("path", "param", "value"), BAD)
def test_a_bad_query_parameter_is_a_400_naming_it(api, path, param, value):
    resp = api.get(path, {param: value})
    assert resp.status_code == 400, resp.content
    body = resp.json()
    assert body["code"] == "invalid" and body["message"] == INVALID
    assert list(body["fields"]) == [param]
    assert all(isinstance(m, str) and m for m in body["fields"][param])


def test_the_messages_name_what_is_wrong_in_chinese(api):
    fields = api.get("/api/v1/supervision/items", {"page_size": "500"}).json()["fields"]
    assert fields == {"page_size": ["每页条数须在 1 到 200 之间。"]}
    fields = api.get("/api/v1/supervision/items", {"page_size": "x"}).json()["fields"]
    assert fields == {"page_size": ["每页条数必须是整数。"]}
    fields = api.get("/api/v1/supervision/items", {"cursor": "x"}).json()["fields"]
    assert fields == {"cursor": ["分页游标无效，请使用上一页响应中的地址。"]}
    fields = api.get("/api/v1/units", {"is_active": "yes"}).json()["fields"]
    assert fields == {"is_active": ["必须是 true 或 false。"]}
    fields = api.get("/api/v1/duty/reports", {"status": "AAA"}).json()["fields"]
    assert fields == {"status": ["“AAA” 不是合法选项。"]}


def test_english_with_accept_language_en(api):
    resp = api.get("/api/v1/duty/reports", {"level": "huge"}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 400
    assert resp.json()["fields"] == {"level": ['"huge" is not a valid choice.']}


def test_several_bad_parameters_are_named_together(api):
    resp = api.get("/api/v1/supervision/items", {"status": "x", "due_from": "y", "light": "z"})
    assert resp.status_code == 400 and set(resp.json()["fields"]) == {"status", "due_from", "light"}


def test_good_values_filter_and_page(api):
    assert len(api.get("/api/v1/supervision/items", {"status": "issued"}).json()["results"]) == 3
    assert api.get("/api/v1/supervision/items", {"status": "closed"}).json()["results"] == []
    assert len(api.get("/api/v1/supervision/items", {"due_to": "2030-06-30"}).json()["results"]) == 3
    assert api.get("/api/v1/supervision/items", {"due_from": "2030-07-01"}).json()["results"] == []
    assert len(api.get("/api/v1/supervision/items", {"q": "事项1"}).json()["results"]) == 1
    assert len(api.get("/api/v1/duty/reports", {"level": "major", "status": "open"}).json()["results"]) == 3
    assert [u["code"] for u in api.get("/api/v1/units", {"is_active": "true"}).json()["results"]] == ["town1"]
    assert api.get("/api/v1/units", {"is_active": "false"}).json()["results"] == []
    # page by page along the next links, nothing lost or repeated
    first = api.get("/api/v1/duty/reports", {"page_size": "2"}).json()
    assert len(first["results"]) == 2 and first["next"].startswith("http://testserver/")
    second = api.get(first["next"]).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(ids) == 3 == len(set(ids)) and second["next"] is None
    assert len(api.get("/api/v1/supervision/items", {"page_size": "200"}).json()["results"]) == 3


def test_bad_parameters_are_refused_only_after_authentication(db):
    resp = APIClient().get("/api/v1/supervision/items", {"status": "AAA"})
    assert resp.status_code == 401 and resp.json()["code"] == "not_authenticated"
