import pytest
from rest_framework.test import APIClient

from office.org.models import Role, UnitKind
from office.org.services import api_key_issue, api_key_revoke
from tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_units_api_key_sees_only_its_own_unit(api, unit_a, unit_b):
    _, key = api_key_issue(actor=None, unit=unit_a, name="甲镇系统")
    resp = api.get("/api/v1/units", HTTP_X_API_KEY=key)
    assert resp.status_code == 200
    assert [u["id"] for u in resp.json()["results"]] == [unit_a.pk]


def test_api_key_in_authorization_header_also_works(api, unit_a):
    _, key = api_key_issue(actor=None, unit=unit_a, name="甲镇系统")
    resp = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert resp.status_code == 200
    body = resp.json()
    assert body["kind"] == "api_key" and body["unit"]["id"] == unit_a.pk
    assert [r["code"] for r in body["roles"]] == [Role.EXTERNAL_UNIT]


def test_revoked_or_wrong_key_is_refused_in_chinese_with_error_shape(api, unit_a):
    api_key, key = api_key_issue(actor=None, unit=unit_a, name="甲镇系统")
    assert api.get("/api/v1/me", HTTP_X_API_KEY=key + "x").status_code == 401
    api_key_revoke_in_tx(api_key)
    resp = api.get("/api/v1/me", HTTP_X_API_KEY=key)
    assert resp.status_code == 401
    body = resp.json()
    assert set(body) == {"code", "message"} and body["code"] == "authentication_failed"
    assert "密钥" in body["message"]


def api_key_revoke_in_tx(api_key):
    api_key_revoke(actor=None, api_key=api_key)


def test_anonymous_gets_401_with_chinese_message(api):
    resp = api.get("/api/v1/me")
    assert resp.status_code in (401, 403)
    body = resp.json()
    assert body["code"] == "not_authenticated"
    assert "身份认证" in body["message"] or "认证" in body["message"]


def test_api_error_in_english_when_asked(api):
    resp = api.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert "credentials were not provided" in resp.json()["message"]


def test_staff_sees_all_units_and_external_user_only_own(api, unit_a, unit_b):
    api.force_authenticate(make_user(Role.STAFF))
    ids = {u["id"] for u in api.get("/api/v1/units").json()["results"]}
    assert {unit_a.pk, unit_b.pk} <= ids
    api.force_authenticate(make_user(Role.EXTERNAL_UNIT, unit=unit_b))
    assert [u["id"] for u in api.get("/api/v1/units").json()["results"]] == [unit_b.pk]


def test_units_list_filters_by_kind_and_keeps_query_count_flat(api, django_assert_max_num_queries):
    for i in range(30):
        UnitFactory(kind=UnitKind.TOWNSHIP if i % 2 else UnitKind.DEPARTMENT)
    user = make_user(Role.STAFF)
    api.force_authenticate(user)
    with django_assert_max_num_queries(4):
        resp = api.get("/api/v1/units", {"kind": "township"})
    assert {u["kind"] for u in resp.json()["results"]} == {"township"}


def test_validation_error_shape_lists_fields(api):
    api.force_authenticate(make_user(Role.STAFF))
    resp = api.get("/api/v1/units", {"kind": "castle"})
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "invalid" and "kind" in body["fields"]


def test_schema_documents_error_body_for_every_operation(api):
    resp = api.get("/api/schema/", {"format": "json"})
    assert resp.status_code == 200
    schema = resp.json()
    assert "Error" in schema["components"]["schemas"]
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert "401" in op["responses"] and "404" in op["responses"], (path, method)


def test_swagger_ui_is_served_offline(client):
    resp = client.get("/api/docs/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "swagger-ui" in body and "cdn" not in body.lower()
