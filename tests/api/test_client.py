"""The Python client for other offices (clients/python) against a live server: the township's whole
round (urgent report with an attachment, follow-up, status, acknowledgement, feedback), its errors, and
its methods checked against the served schema so that a change to the API breaks this test first."""

import inspect

import httpx
import pytest
from office_client import OPERATIONS, OfficeApiError, OfficeClient

from duty.models import ReportUpdate, UrgentReport
from supervision.models import Feedback, ItemUnit
from tests.duty.factories import PDF_BYTES

from .conftest import session_headers

pytestmark = pytest.mark.django_db(transaction=True)

# Parameters of a client method that fill the path, not the body or the query.
PATH_ARGS = {"report_id", "item_id"}


@pytest.fixture
def schema(live_office):
    resp = httpx.get(f"{live_office.base_url}/api/schema/", params={"format": "json"})
    assert resp.status_code == 200
    return resp.json()


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_client_method_is_an_operation_of_the_served_schema(schema):
    for name, (method, path, operation_id) in OPERATIONS.items():
        assert callable(getattr(OfficeClient, name)), name
        assert path in schema["paths"], f"{name}: {path} is not in the schema"
        operation = schema["paths"][path].get(method.lower())
        assert operation is not None, f"{name}: {method} {path} is not in the schema"
        assert operation["operationId"] == operation_id, name


def test_client_arguments_are_the_fields_and_parameters_the_schema_declares(schema):
    for name, (method, path, _op) in OPERATIONS.items():
        if name in {"download", "me"}:
            continue
        operation = schema["paths"][path][method.lower()]
        args = set(inspect.signature(getattr(OfficeClient, name)).parameters) - {"self"}
        declared_path = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert len(args & PATH_ARGS) == len(declared_path), name
        args -= PATH_ARGS
        if method == "GET":
            query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            # the cursor is followed from each page's `next`, never passed by hand
            assert args == query - {"cursor"}, name
        elif "requestBody" in operation:
            content = operation["requestBody"]["content"]
            # the client sends multipart when there are files, JSON otherwise: both must take its fields
            for media_type in ("multipart/form-data", "application/json"):
                body = _resolve(schema, content[media_type]["schema"])
                declared = set(body["properties"])
                if media_type == "application/json":
                    args_here = args - {"attachments", "attachment"}
                else:
                    args_here = args
                assert args_here == declared, (name, media_type, args_here ^ declared)
                assert set(body.get("required", [])) <= args_here, name
        else:
            assert not args, name


def test_township_round_through_the_client(live_office, tmp_path):
    photo = tmp_path / "现场说明.pdf"
    photo.write_bytes(PDF_BYTES)
    with OfficeClient(live_office.base_url, live_office.key) as office:
        me = office.me()
        assert me["kind"] == "api_key" and me["unit"]["code"] == "town1"

        report = office.submit_urgent_report(
            "村道塌方", "major", {"time": "10时05分", "place": "石门村"}, "首报正文", attachments=[photo]
        )
        assert report["title"] == "村道塌方" and report["source_unit"] == "town1"
        assert [a["name"] for a in report["attachments"]] == ["现场说明.pdf"]
        assert report["attachments"][0]["url"].startswith(f"{live_office.base_url}/api/v1/files/")

        update = office.follow_up(
            report["id"], "followup", {"casualties": "无"}, "续报正文", attachments=[photo]
        )
        assert (update["seq"], update["kind"], update["label"]) == (1, "followup", "续报一")

        status = office.report(report["id"])
        assert status["update_count"] == 2 and status["elements"]["casualties"] == "无"
        assert [a["update_seq"] for a in status["attachments"]] == [0, 1]
        saved = office.download(status["attachments"][0]["url"], tmp_path / "back.pdf")
        assert saved.read_bytes() == PDF_BYTES

        listed = list(office.reports(page_size=1))
        assert [r["id"] for r in listed] == [report["id"], live_office.report.pk]

        items = {i["title"]: i for i in office.items()}
        assert set(items) == {"一号镇招商项目签约落地", "一号镇道路改造"}  # never the other township's
        ack = office.acknowledge(live_office.fresh_item.pk)
        assert ack["unit"] == "一号镇"
        feedback = office.send_feedback(live_office.fresh_item.pk, "已签收，正在制定方案。", attachment=photo)
        assert feedback["kind"] == "progress" and feedback["attachment_name"] == "现场说明.pdf"
        assert feedback["attachment"].startswith(f"{live_office.base_url}/api/v1/files/supervision-feedback/")
        ms = live_office.item.milestones.order_by("order").last()
        plain = office.send_feedback(live_office.item.pk, "签约材料已备齐", milestone_id=ms.pk)
        assert plain["milestone_id"] == ms.pk and plain["attachment"] is None
        detail = office.item(live_office.fresh_item.pk)
        assert detail["feedback"][0]["content"] == "已签收，正在制定方案。"

    stored = UrgentReport.objects.get(pk=report["id"])
    assert stored.source_unit == live_office.unit and stored.attachments.count() == 2
    assert ReportUpdate.objects.filter(report=stored, seq=1, kind="followup").exists()
    assert ItemUnit.objects.get(item=live_office.fresh_item, unit=live_office.unit).acknowledged_at
    assert Feedback.objects.filter(item=live_office.item, milestone=ms, content="签约材料已备齐").exists()


def test_client_raises_the_api_error_body(live_office):
    with OfficeClient(live_office.base_url, live_office.key) as office:
        office.acknowledge(live_office.fresh_item.pk)
        with pytest.raises(OfficeApiError) as again:
            office.acknowledge(live_office.fresh_item.pk)
        assert (again.value.status, again.value.code, again.value.message) == (
            409,
            "conflict",
            "本单位已签收。",
        )

        with pytest.raises(OfficeApiError) as other:
            office.item(live_office.other_item.pk)
        assert (other.value.status, other.value.code) == (404, "not_found")
        assert other.value.message == "未找到，或您无权查看。"

        with pytest.raises(OfficeApiError) as invalid:
            office.submit_urgent_report("", "unknown-level")
        assert (invalid.value.status, invalid.value.code) == (400, "invalid")
        assert set(invalid.value.fields) == {"title", "level"}

    with OfficeClient(live_office.base_url, live_office.key, language="en") as office:
        with pytest.raises(OfficeApiError) as english:
            office.acknowledge(live_office.fresh_item.pk)
        assert english.value.message == "Your unit has already acknowledged."

    with OfficeClient(live_office.base_url, "not-a-key") as office:
        with pytest.raises(OfficeApiError) as bad_key:
            office.me()
        assert bad_key.value.status == 401 and bad_key.value.code == "authentication_failed"


def test_client_never_sends_the_key_to_another_origin(live_office, tmp_path):
    seen = []
    transport = httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200))
    with OfficeClient("https://office.example.gov.cn", "secret", transport=transport) as office:
        with pytest.raises(ValueError, match="another origin"):
            office.download(
                "https://elsewhere.example.com/api/v1/files/duty-report-attachment/1", tmp_path / "x"
            )
        office.download("/api/v1/files/duty-report-attachment/1", tmp_path / "x")
    assert [str(r.url) for r in seen] == [
        "https://office.example.gov.cn/api/v1/files/duty-report-attachment/1"
    ]
    assert seen[0].headers["X-Api-Key"] == "secret"


def test_the_example_runs_against_a_live_office(live_office, tmp_path, capsys):
    import example

    code = example.main(
        ["--base-url", live_office.base_url, "--api-key", live_office.key, "--download-to", str(tmp_path)]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "本单位：一号镇（api_key）" in out.out
    assert "已续报一" in out.out and "已签收：" in out.out and "已反馈：" in out.out
    assert (tmp_path / "现场情况说明.txt").exists()
    assert ItemUnit.objects.get(item=live_office.fresh_item, unit=live_office.unit).acknowledged_at


# --- what docs/api.md says about keys and limits ---------------------------------------------------


def test_a_key_is_shown_once_stored_hashed_and_revoked_in_the_admin(client, unit_a):
    from django.contrib.messages import get_messages
    from rest_framework.test import APIClient

    from office.org.models import UnitAPIKey
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    resp = client.post(
        "/admin/org/unitapikey/add/", {"name": "甲镇系统", "unit": unit_a.pk, "expiry_date": ""}, follow=True
    )
    assert resp.status_code == 200
    shown = " ".join(str(m) for m in get_messages(resp.wsgi_request))
    api_key = UnitAPIKey.objects.get(unit=unit_a)
    key = next(word.rstrip(".") for word in shown.split() if word.startswith(api_key.prefix + "."))
    assert "密钥只显示这一次" in shown
    assert key not in api_key.hashed_key and key.split(".", 1)[1] not in api_key.hashed_key
    assert client.get(f"/admin/org/unitapikey/{api_key.pk}/change/").content.decode().count(key) == 0

    api = APIClient()
    assert api.get("/api/v1/me", HTTP_X_API_KEY=key).json()["unit"]["code"] == unit_a.code
    client.post(
        f"/admin/org/unitapikey/{api_key.pk}/change/",
        {"name": "甲镇系统", "unit": unit_a.pk, "expiry_date": "", "revoked": "on"},
    )
    resp = api.get("/api/v1/me", HTTP_X_API_KEY=key)
    assert resp.status_code == 401
    assert resp.json() == {"code": "authentication_failed", "message": "API 密钥已被吊销。"}


def test_a_key_is_throttled_at_the_documented_default_of_120_a_minute(settings, unit_a):
    from django.core.cache import caches
    from rest_framework.test import APIClient

    from office.org.services import api_key_issue

    del settings.OFFICE_API_RATE_KEY  # the default applies, as on a server where it is not set
    caches["throttle"].clear()
    _, key = api_key_issue(actor=None, unit=unit_a, name="甲镇系统")
    api = APIClient(HTTP_X_API_KEY=key)
    assert [api.get("/api/v1/me").status_code for _ in range(120)] == [200] * 120
    resp = api.get("/api/v1/me")
    assert resp.status_code == 429 and resp.json()["code"] == "throttled" and int(resp["Retry-After"]) > 0
    caches["throttle"].clear()


def test_pages_are_50_by_default_and_at_most_200(live_office):
    from tests.factories import UnitFactory

    for n in range(60):
        UnitFactory(code=f"extra-{n}")
    with OfficeClient(live_office.base_url, live_office.key) as office:
        page = office._json("GET", "/api/v1/units")  # a key sees only its own unit: one row
        assert page["results"][0]["code"] == "town1" and page["next"] is None
    director_session = httpx.Client(base_url=live_office.base_url)
    director_session.headers.update(session_headers(live_office.base_url, live_office.director.username))
    with director_session:
        page = director_session.get("/api/v1/units").json()
        assert len(page["results"]) == 50 and page["next"].startswith(f"{live_office.base_url}/api/v1/units?")
        assert len(director_session.get("/api/v1/units", params={"page_size": 200}).json()["results"]) > 50
        too_many = director_session.get("/api/v1/units", params={"page_size": 201})
        assert too_many.status_code == 400 and set(too_many.json()["fields"]) == {"page_size"}


# --- retries: a bad night's lost answers ---------------------------------------------------------------


def _flaky(failures):
    """A transport that fails the first requests as ``failures`` says, then answers 201; it records what
    each attempt sent."""
    seen = []

    def handler(request):
        seen.append(request)
        if len(seen) <= len(failures):
            failure = failures[len(seen) - 1]
            if failure == "timeout":
                raise httpx.ReadTimeout("lost answer", request=request)
            return httpx.Response(failure, json={"code": "server_error", "message": "x"})
        return httpx.Response(201, json={"id": 7})

    return httpx.MockTransport(handler), seen


@pytest.mark.django_db(transaction=False)
def test_a_post_whose_answer_is_lost_is_sent_again_with_the_same_idempotency_key():
    transport, seen = _flaky(["timeout", 502])
    client = OfficeClient("http://office.test", "k", transport=transport, retry_wait=0)
    assert client.submit_urgent_report("道路塌陷", "general") == {"id": 7}
    keys = {r.headers["Idempotency-Key"] for r in seen}
    assert len(seen) == 3 and len(keys) == 1  # one submission, one key, three attempts
    client.follow_up(7, text="续报")
    assert seen[-1].headers["Idempotency-Key"] not in keys  # the next submission has its own


@pytest.mark.django_db(transaction=False)
def test_the_client_gives_up_after_its_retries_with_the_api_error():
    transport, seen = _flaky([503, 503, 503])
    client = OfficeClient("http://office.test", "k", transport=transport, retries=2, retry_wait=0)
    with pytest.raises(OfficeApiError, match="x"):
        client.submit_urgent_report("道路塌陷", "general")
    assert len(seen) == 3


@pytest.mark.django_db(transaction=False)
def test_a_get_carries_no_idempotency_key():
    transport, seen = _flaky([])
    OfficeClient("http://office.test", "k", transport=transport).me()
    assert "Idempotency-Key" not in seen[0].headers
