"""The schema is the promise other offices write their systems against: it must be exact.

- ``manage.py spectacular --validate --fail-on-warn`` is clean;
- every operation documents every status it can answer, every ``$ref`` exists, each security scheme once;
- JSON bodies declare no files, ``elements`` is a closed object of strings, nullability and formats are
  stated where the server answers null or an absolute URL;
- the real responses (an external unit's key and a director's session, over data like the demo office's)
  validate against the schema, with no undocumented key.
"""

import copy
import datetime as dt
import re
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.core.management import call_command
from django.utils import timezone
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from rest_framework.test import APIClient

from documents.models import DocStatus, DocType, Document
from duty.models import ELEMENT_KEYS, ReportLevel, ReportStatus
from duty.services.reports import report_receive
from office.org.models import Role, UnitAPIKey, UnitKind
from office.org.principals import UnitPrincipal
from office.org.services import api_key_issue
from supervision.models import Category, Light, Source, Status
from supervision.services import feedback_submit, item_acknowledge
from supervision.services.ladder import ladder_register_miss
from tests.chain import pending_signer, sign_chain
from tests.duty.factories import PDF_BYTES, upload
from tests.factories import UnitFactory, make_user
from tests.supervision.factories import make_item

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
METHODS = ("get", "post", "put", "patch", "delete")
ALWAYS = {"401", "403", "404", "406", "429", "500"}


def _schema(client=None, **headers) -> dict:
    resp = (client or APIClient()).get("/api/schema/", {"format": "json"}, **headers)
    assert resp.status_code == 200
    return resp.json()


@pytest.fixture
def schema():
    return _schema()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def _resolve(schema, node):
    while "$ref" in node:
        name = node["$ref"].removeprefix("#/components/schemas/")
        node = schema["components"]["schemas"][name]
    return node


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _texts(schema, keys=("summary", "description")):
    for node in _walk(schema):
        for key in keys:
            if isinstance(node.get(key), str) and node[key]:
                yield node[key]


# --- the generator ----------------------------------------------------------------------------------


def test_spectacular_validates_without_warnings(tmp_path):
    # --fail-on-warn raises on any generator warning (an unresolvable type, an enum collision…)
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.read_text(encoding="utf-8").startswith("openapi: 3.0.3")


# --- every operation, every status ------------------------------------------------------------------


def test_every_operation_documents_the_statuses_it_can_answer(schema):
    seen = 0
    for path, method, operation in _operations(schema):
        seen += 1
        where = f"{method.upper()} {path}"
        statuses = set(operation["responses"])
        assert ALWAYS <= statuses, where
        has_query = any(p["in"] == "query" for p in operation.get("parameters", []))
        has_body = "requestBody" in operation
        if has_query or has_body or method != "get":
            assert "400" in statuses, where
        if method != "get":
            assert {"409", "413"} <= statuses, where
        if has_body:
            assert "415" in statuses, where
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }, (where, status)
        assert "Retry-After" in operation["responses"]["429"]["headers"], where
    assert seen >= 13


def test_the_schema_is_the_api_only(schema):
    # the portal's /files/ mount (sessions, a redirect to sign in) is no part of the API
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_every_ref_exists(schema):
    names = set(schema["components"]["schemas"])
    refs = {node["$ref"] for node in _walk(schema) if "$ref" in node}
    assert refs, "the schema uses components"
    missing = {ref for ref in refs if ref.removeprefix("#/components/schemas/") not in names}
    assert not missing and all(ref.startswith("#/components/schemas/") for ref in refs)


def test_each_security_scheme_is_listed_once(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKeyAuth"] == {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
    assert "security" not in schema  # no global list repeated on top of each operation's
    for path, method, operation in _operations(schema):
        names = [name for requirement in operation["security"] for name in requirement]
        assert len(names) == len(set(names)), f"{method} {path}: {names}"
        assert set(names) == {"ApiKeyAuth", "cookieAuth"} and set(names) <= set(schemes)


# --- bodies ---------------------------------------------------------------------------------------------


def _fields_of(schema, media):
    node = _resolve(schema, media["schema"])
    return {name: _resolve(schema, prop) for name, prop in node.get("properties", {}).items()}


def test_json_bodies_declare_no_files_and_multipart_carries_them(schema):
    uploads = {}
    for path, method, operation in _operations(schema):
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            body = _resolve(schema, content["application/json"]["schema"])
            assert not [n for n in _walk(body) if n.get("format") == "binary"], f"{method} {path}"
        if "multipart/form-data" in content:
            uploads[path] = _fields_of(schema, content["multipart/form-data"])
    feedback = uploads["/api/v1/supervision/items/{id}/feedback"]
    assert feedback["attachment"]["format"] == "binary"
    report = uploads["/api/v1/duty/reports"]
    assert report["attachments"] == {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": report["attachments"]["description"],
    }
    assert "attachments" in uploads["/api/v1/duty/reports/{id}/updates"]
    # in a form the elements travel as one JSON part
    encoding = schema["paths"]["/api/v1/duty/reports"]["post"]["requestBody"]["content"][
        "multipart/form-data"
    ]
    assert encoding["encoding"] == {"elements": {"contentType": "application/json"}}


def test_elements_are_a_closed_object_of_strings(schema):
    elements = schema["components"]["schemas"]["Elements"]
    assert elements["type"] == "object" and elements["additionalProperties"] is False
    assert list(elements["properties"]) == ELEMENT_KEYS
    assert all(p["type"] == "string" for p in elements["properties"].values())
    for name in ("ReportSubmitRequest", "ReportUpdateSubmitRequest", "ReportDetail", "ReportUpdateOut"):
        prop = schema["components"]["schemas"][name]["properties"]["elements"]
        assert prop["allOf"] == [{"$ref": "#/components/schemas/Elements"}], name


# --- nullability, formats, enums ----------------------------------------------------------------------


def test_nullable_and_uri_fields_are_declared(schema):
    s = schema["components"]["schemas"]
    assert s["Unit"]["properties"]["parent"]["nullable"] is True
    assert s["ItemList"]["properties"]["lead_unit"]["nullable"] is True
    assert s["ItemDetail"]["properties"]["lead_unit"]["nullable"] is True
    for name in ("document_id", "document_number"):
        assert s["LadderStep"]["properties"][name]["nullable"] is True
    attachment = s["Feedback"]["properties"]["attachment"]
    assert attachment["format"] == "uri" and attachment["nullable"] is True
    assert s["ReportAttachmentOut"]["properties"]["url"]["format"] == "uri"
    assert s["DocumentOut"]["properties"]["docx_url"]["format"] == "uri"


def test_response_enums_are_named_and_complete(schema):
    s = schema["components"]["schemas"]
    assert s["ItemStatusEnum"]["enum"] == Status.values
    assert s["ReportStatusEnum"]["enum"] == ReportStatus.values
    assert s["ReportLevelEnum"]["enum"] == ReportLevel.values
    assert s["UpdateSubmitKindEnum"]["enum"] == ["followup", "final"]
    assert s["ItemList"]["properties"]["status"]["allOf"] == [{"$ref": "#/components/schemas/ItemStatusEnum"}]
    assert s["Feedback"]["properties"]["kind"]["allOf"] == [{"$ref": "#/components/schemas/FeedbackKindEnum"}]
    assert not [name for name in s if re.fullmatch(r".*\d{3}Enum", name)], "no hashed enum names"


def _params(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_query_parameters_are_declared_with_their_enum_and_format(schema):
    items = _params(schema, "/api/v1/supervision/items")
    assert items["status"]["schema"]["enum"] == Status.values
    assert items["light"]["schema"]["enum"] == Light.values
    assert items["category"]["schema"]["enum"] == Category.values
    assert items["source"]["schema"]["enum"] == Source.values
    assert items["due_from"]["schema"] == {"type": "string", "format": "date"}
    assert items["due_to"]["schema"] == {"type": "string", "format": "date"}
    assert items["q"]["schema"]["maxLength"] == 200
    assert items["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
    assert items["cursor"]["schema"] == {"type": "string"}
    reports = _params(schema, "/api/v1/duty/reports")
    assert reports["status"]["schema"]["enum"] == ReportStatus.values
    assert reports["level"]["schema"]["enum"] == ReportLevel.values
    units = _params(schema, "/api/v1/units")
    assert units["kind"]["schema"]["enum"] == UnitKind.values
    assert units["is_active"]["schema"] == {"type": "boolean"}
    assert set(_params(schema, "/api/v1/supervision/documents")) == {"cursor", "page_size"}


# --- languages ------------------------------------------------------------------------------------------


def test_descriptions_are_chinese_by_default(schema):
    english = sorted({text[:80] for text in _texts(schema) if not CJK.search(text) and "`" not in text})
    assert english == []
    assert CJK.search(schema["info"]["description"])


@pytest.mark.parametrize("how", ["lang", "accept-language"])
def test_the_english_schema_is_english(how):
    if how == "lang":
        resp = APIClient().get("/api/schema/", {"format": "json", "lang": "en"})
    else:
        resp = APIClient().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
    schema = resp.json()
    assert schema["paths"]["/api/v1/supervision/items"]["get"]["tags"] == ["Supervision"]
    assert "`draft` - Draft" in schema["components"]["schemas"]["ItemStatusEnum"]["description"]
    # every summary and description, once locale/en has them (the lead translates new strings)
    chinese = sorted({text[:60] for text in _texts(schema) if CJK.search(text)})
    assert chinese == []


# --- the responses match the schema -------------------------------------------------------------------


def _nullable(node):
    """OpenAPI 3.0 ``nullable`` → JSON Schema; and objects closed, so an undocumented key fails."""
    if isinstance(node, list):
        return [_nullable(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable(v) for k, v in node.items()}
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        if "type" in node and "allOf" not in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("uri", raises=ValueError)
def _is_absolute_uri(value):
    if not isinstance(value, str):
        return True  # formats apply to strings only; the type is checked apart
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value):
    if not isinstance(value, str):
        return True
    return dt.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def _is_date(value):
    if not isinstance(value, str):
        return True
    return bool(dt.date.fromisoformat(value))


class ResponseChecker:
    def __init__(self, schema):
        self.schema = schema
        root = {"components": {"schemas": _nullable(copy.deepcopy(schema["components"]["schemas"]))}}
        self.registry = Registry().with_resource("urn:office", Resource(root, specification=DRAFT202012))

    def check(self, path, method, resp):
        operation = self.schema["paths"][path][method]
        documented = operation["responses"].get(str(resp.status_code))
        assert documented is not None, f"{method.upper()} {path}: {resp.status_code} is not documented"
        body = _nullable(copy.deepcopy(documented["content"]["application/json"]["schema"]))
        body = {**body, "$ref": "urn:office" + body["$ref"]} if "$ref" in body else body
        body = _prefix_refs(body)
        validator = jsonschema.Draft202012Validator(body, registry=self.registry, format_checker=FORMATS)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(resp.json())]
        assert errors == [], f"{method.upper()} {path}"


def _prefix_refs(node):
    if isinstance(node, list):
        return [_prefix_refs(v) for v in node]
    if isinstance(node, dict):
        out = {k: _prefix_refs(v) for k, v in node.items()}
        if isinstance(out.get("$ref"), str) and out["$ref"].startswith("#/"):
            out["$ref"] = "urn:office" + out["$ref"]
        return out
    return node


@pytest.fixture
def office(settings):
    """Data like the demo office's, with every case where the API answers null or a URL: a unit with and
    one without a parent, an item with a lead unit and an internal one without, a ladder climbed to a
    draft circular (communication step without a document, published notice, unpublished circular), a
    feedback with and one without an attachment, an urgent report with an attachment."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    director = make_user(Role.DIRECTOR, Role.DUTY_LEADER)
    county = UnitFactory(name="某某县", code="county", kind=UnitKind.DEPARTMENT)
    town = UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP, parent=county)
    clerk = make_user(Role.EXTERNAL_UNIT, unit=town)
    staff = make_user(Role.STAFF)
    _, key = api_key_issue(actor=director, unit=town, name="一号镇系统")
    principal = UnitPrincipal(UnitAPIKey.objects.get(unit=town))
    today = timezone.localdate()
    item = make_item(
        actor=director,
        lead_unit=town,
        issue=True,
        title="一号镇招商项目签约落地",
        due=today + dt.timedelta(days=60),
        milestones=[("方案", today + dt.timedelta(days=10))],
    )
    internal = make_item(actor=director, assignee=staff, issue=True, title="机关内部的事项")
    item_acknowledge(actor=clerk, item=item)
    feedback_submit(
        actor=principal,
        item=item,
        content="方案已起草",
        milestone=item.milestones.get(),
        attachment=upload("方案.pdf", PDF_BYTES, "application/pdf"),
    )
    feedback_submit(actor=principal, item=item, content="正在洽谈")
    step = None
    for _ in range(3):
        step = ladder_register_miss(item=item, trigger="节点逾期", from_step=step)
        if step.kind == "notice":  # a person signs the notice; it goes out to the township
            sign_chain(step.document, signer=pending_signer(step.document))
    circular = Document.objects.get(doc_type=DocType.CIRCULAR)
    assert circular.status != DocStatus.PUBLISHED
    report = report_receive(
        actor=principal,
        title="山洪冲毁村道",
        level=ReportLevel.GENERAL,
        elements={"time": "9时40分", "place": "一号镇石门村"},
        text="现场已封闭。",
        attachments=[upload("现场.pdf", PDF_BYTES, "application/pdf")],
    )
    key_client = APIClient()
    key_client.credentials(HTTP_X_API_KEY=key)
    director_client = APIClient()
    director_client.force_login(director)
    return {
        "key": key_client,
        "director": director_client,
        "item": item,
        "internal": internal,
        "report": report,
        "town": town,
    }


def _reads(office):
    item, internal, report = office["item"], office["internal"], office["report"]
    return [
        ("/api/v1/me", "/api/v1/me"),
        ("/api/v1/units", "/api/v1/units"),
        ("/api/v1/units", "/api/v1/units?page_size=1"),
        ("/api/v1/supervision/items", "/api/v1/supervision/items"),
        ("/api/v1/supervision/items/{id}", f"/api/v1/supervision/items/{item.pk}"),
        ("/api/v1/supervision/items/{id}", f"/api/v1/supervision/items/{internal.pk}"),
        ("/api/v1/supervision/documents", "/api/v1/supervision/documents"),
        ("/api/v1/duty/reports", "/api/v1/duty/reports"),
        ("/api/v1/duty/reports/{id}", f"/api/v1/duty/reports/{report.pk}"),
        ("/api/v1/supervision/items", "/api/v1/supervision/items?status=AAA"),
        ("/api/v1/duty/reports", "/api/v1/duty/reports?page_size=0"),
    ]


@pytest.mark.parametrize("who", ["key", "director"])
def test_every_read_validates_against_the_schema(office, schema, who):
    checker = ResponseChecker(schema)
    client = office[who]
    statuses = []
    for path, url in _reads(office):
        resp = client.get(url)
        statuses.append(resp.status_code)
        checker.check(path, "get", resp)
    # the internal item is the office's: the key gets 404 (documented), the director 200
    expected_internal = 404 if who == "key" else 200
    assert statuses == [200, 200, 200, 200, 200, expected_internal, 200, 200, 200, 400, 400]


def test_the_named_nulls_are_answered_as_null_and_urls_are_absolute(office):
    key, director = office["key"], office["director"]
    item, internal, town = office["item"], office["internal"], office["town"]
    units = {u["code"]: u for u in director.get("/api/v1/units").json()["results"]}
    assert units["county"]["parent"] is None and units["town1"]["parent"] == town.parent_id
    listed = {r["id"]: r for r in director.get("/api/v1/supervision/items").json()["results"]}
    assert listed[internal.pk]["lead_unit"] is None and listed[item.pk]["lead_unit"] == "一号镇"
    steps = {s["kind"]: s for s in key.get(f"/api/v1/supervision/items/{item.pk}").json()["ladder_steps"]}
    assert steps["communication"]["document_id"] is None and steps["communication"]["document_number"] is None
    assert steps["circular"]["document_id"] is None and steps["circular"]["document_number"] is None
    assert steps["notice"]["document_number"]  # published: the unit sees it
    office_steps = director.get(f"/api/v1/supervision/items/{item.pk}").json()["ladder_steps"]
    office_circular = next(s for s in office_steps if s["kind"] == "circular")
    assert office_circular["document_id"] and office_circular["document_number"] is None  # not registered yet
    feedback = key.get(f"/api/v1/supervision/items/{item.pk}").json()["feedback"]
    urls = sorted(f["attachment"] or "" for f in feedback)
    assert urls[0] == "" and urls[1].startswith("http://testserver/api/v1/files/supervision-feedback/")
    docs = key.get("/api/v1/supervision/documents").json()["results"]
    assert docs and all(
        d["docx_url"].startswith("http://testserver/api/v1/supervision/documents/") for d in docs
    )
    report = key.get(f"/api/v1/duty/reports/{office['report'].pk}").json()
    assert report["attachments"][0]["url"].startswith(
        "http://testserver/api/v1/files/duty-report-attachment/"
    )


def test_the_checker_catches_a_null_or_a_key_the_schema_does_not_allow(office, schema):
    resp = office["director"].get("/api/v1/units")
    ResponseChecker(schema).check("/api/v1/units", "get", resp)
    strict = copy.deepcopy(schema)
    del strict["components"]["schemas"]["Unit"]["properties"]["parent"]["nullable"]
    with pytest.raises(AssertionError, match="None is not of type 'integer'"):
        ResponseChecker(strict).check("/api/v1/units", "get", resp)
    fewer = copy.deepcopy(schema)
    del fewer["components"]["schemas"]["Unit"]["properties"]["phone"]
    with pytest.raises(AssertionError, match="'phone' was unexpected"):
        ResponseChecker(fewer).check("/api/v1/units", "get", resp)


@pytest.mark.parametrize(
    ("elements", "fmt"),
    [
        ({"time": 940}, "json"),
        ({"time": None}, "json"),
        ({"weather": "晴"}, "json"),
        (["time"], "json"),
        ('{"time": 940}', "multipart"),
        ("not json", "multipart"),
    ],
)
def test_the_server_refuses_elements_the_schema_refuses(office, elements, fmt):
    resp = office["key"].post(
        "/api/v1/duty/reports", {"title": "火灾", "level": "large", "elements": elements}, format=fmt
    )
    assert resp.status_code == 400, resp.content
    assert resp.json()["code"] == "invalid" and list(resp.json()["fields"]) == ["elements"]


def test_elements_as_json_text_in_a_form_are_accepted(office):
    resp = office["key"].post(
        "/api/v1/duty/reports",
        {"title": "火灾", "level": "large", "elements": '{"time": "10时", "place": "二号村"}'},
        format="multipart",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["elements"] == {"time": "10时", "place": "二号村"}


def test_a_text_field_that_may_not_be_blank_says_so_with_a_pattern(schema):
    # the server trims and refuses whitespace-only text; the schema says it (pattern \S), so a client
    # generating from it never sends what is bound to be refused. Optional or blank-able text has none.
    submit = schema["components"]["schemas"]["InfoReportSubmitRequest"]["properties"]
    assert submit["title"]["pattern"] == r"\S" and submit["text"]["pattern"] == r"\S"
    answered = [
        name
        for component in schema["components"]["schemas"].values()
        for name, prop in component.get("properties", {}).items()
        if prop.get("readOnly") and prop.get("pattern") == r"\S"
    ]
    assert answered == []  # only what a client sends carries it
