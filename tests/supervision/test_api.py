import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from office.clock.services import clock_tick
from office.org.services import api_key_issue
from supervision.models import LadderStep, Status, StepKind

from .conftest import at, sign_chain
from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_a(unit_a, director):
    _key_obj, key = api_key_issue(actor=director, unit=unit_a, name="甲镇系统")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=key)
    return client


@pytest.fixture
def items(clock, director, unit_a, unit_b):
    a = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        title="甲镇的事项",
        due=dt.date(2026, 4, 30),
        milestones=[("方案", dt.date(2026, 3, 13))],
    )
    b = make_item(actor=director, lead_unit=unit_b, issue=True, title="乙镇的事项", due=dt.date(2026, 4, 30))
    draft_a = make_item(actor=director, lead_unit=unit_a, title="甲镇草稿")
    return a, b, draft_a


def test_api_key_lists_only_its_units_issued_items(api_a, items):
    resp = api_a.get("/api/v1/supervision/items")
    assert resp.status_code == 200
    assert [r["title"] for r in resp.json()["results"]] == ["甲镇的事项"]
    assert resp.json()["results"][0]["light"] == "green"


def test_api_other_units_item_is_404_with_error_body(api_a, items):
    _a, b, draft_a = items
    for pk in (b.pk, draft_a.pk):
        resp = api_a.get(f"/api/v1/supervision/items/{pk}")
        assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    assert api_a.post(f"/api/v1/supervision/items/{b.pk}/acknowledge").status_code == 404


def test_api_without_key_is_401(items):
    assert APIClient().get("/api/v1/supervision/items").status_code in (401, 403)


def test_api_acknowledge_feedback_with_attachment_and_result(api_a, items):
    a, _b, _d = items
    resp = api_a.post(f"/api/v1/supervision/items/{a.pk}/acknowledge")
    assert resp.status_code == 200 and resp.json()["unit"] == "甲镇"
    resp = api_a.post(f"/api/v1/supervision/items/{a.pk}/acknowledge")
    assert resp.status_code == 409 and resp.json()["message"] == "本单位已签收。"
    ms = a.milestones.get()
    upload = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    resp = api_a.post(
        f"/api/v1/supervision/items/{a.pk}/feedback",
        {"kind": "progress", "content": "方案已完成", "milestone_id": ms.pk, "attachment": upload},
        format="multipart",
    )
    assert resp.status_code == 201, resp.json()
    assert resp.json()["attachment"]
    resp = api_a.post(
        f"/api/v1/supervision/items/{a.pk}/feedback", {"kind": "result", "content": "已签约"}, format="json"
    )
    assert resp.status_code == 201
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED
    detail = api_a.get(f"/api/v1/supervision/items/{a.pk}").json()
    assert detail["status"] == "submitted" and len(detail["feedback"]) == 2


def test_api_validation_error_body(api_a, items):
    a, _b, _d = items
    resp = api_a.post(f"/api/v1/supervision/items/{a.pk}/feedback", {"kind": "progress"}, format="json")
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid" and "content" in resp.json()["fields"]
    resp = api_a.post(
        f"/api/v1/supervision/items/{a.pk}/extensions",
        {"reason": "x", "new_due": "2026-03-01"},
        format="json",
    )
    assert resp.status_code == 400 and resp.json()["code"] == "invalid"
    assert "晚于原时限" in resp.json()["message"] and "new_due" in resp.json()["fields"]
    resp = api_a.post(
        f"/api/v1/supervision/items/{a.pk}/extensions",
        {"reason": "征地", "new_due": "2026-05-29"},
        format="json",
    )
    assert resp.status_code == 201 and resp.json()["status"] == "pending"


def test_api_reads_notices_addressed_to_the_unit(api_a, clock, items, director, unit_b):
    a, b, _d = items
    clock.move_to(at(2026, 3, 14))
    clock_tick()  # neither unit acknowledged -> a talk with each
    assert LadderStep.objects.filter(kind=StepKind.COMMUNICATION).count() == 2
    LadderStep.objects.update(resolved_at=at(2026, 3, 14))
    from supervision.services import ladder_register_miss

    ladder_register_miss(item=a, trigger="测试")  # the next miss -> notice to unit A
    ladder_register_miss(item=b, trigger="测试")  # -> notice to unit B
    assert LadderStep.objects.filter(kind=StepKind.NOTICE).count() == 2
    assert api_a.get("/api/v1/supervision/documents").json()["results"] == []  # drafts are the office's
    for step in LadderStep.objects.filter(kind=StepKind.NOTICE).select_related("document"):
        sign_chain(step.document, signer=director)
    docs = api_a.get("/api/v1/supervision/documents").json()["results"]
    assert len(docs) == 1 and docs[0]["doc_type"] == "notice" and "甲镇" in docs[0]["main_recipients"]
    resp = api_a.get(docs[0]["docx_url"])
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    other = LadderStep.objects.get(item=b, kind=StepKind.NOTICE).document_id
    assert api_a.get(f"/api/v1/supervision/documents/{other}/docx").status_code == 404


def test_schema_documents_supervision_endpoints_with_errors(client, director):
    client.force_login(director)
    resp = client.get("/api/schema/?format=json")
    schema = resp.json()
    op = schema["paths"]["/api/v1/supervision/items/{id}/feedback"]["post"]
    assert {"400", "401", "404", "409"} <= set(op["responses"])
    assert "/api/v1/supervision/documents" in schema["paths"]


def test_office_staff_cannot_acknowledge_through_the_api_which_names_no_unit(items, director):
    """The API acknowledges the caller's own unit's assignment; the office acknowledges for a unit on the
    portal, where it names the unit. A director's session gets a documented 403, not a 400."""
    client = APIClient()
    client.force_authenticate(director)
    resp = client.post(f"/api/v1/supervision/items/{items[0].pk}/acknowledge")
    assert resp.status_code == 403 and resp.json()["code"] == "forbidden"
    assert "门户" in resp.json()["message"]


def test_json_text_fields_refuse_numbers_as_the_schema_says_string(api_a, items):
    resp = api_a.post(f"/api/v1/supervision/items/{items[0].pk}/feedback", {"content": 0}, format="json")
    assert resp.status_code == 400 and resp.json()["fields"]["content"] == ["请提供文本（字符串）。"]


def test_multipart_feedback_without_a_milestone_simply_leaves_it_out(api_a, items):
    resp = api_a.post(
        f"/api/v1/supervision/items/{items[0].pk}/feedback", {"content": "进展顺利"}, format="multipart"
    )
    assert resp.status_code == 201 and resp.json()["milestone_id"] is None


def test_json_feedback_may_say_no_milestone_with_null(api_a, items):
    resp = api_a.post(
        f"/api/v1/supervision/items/{items[0].pk}/feedback",
        {"content": "进展", "milestone_id": None},
        format="json",
    )
    assert resp.status_code == 201 and resp.json()["milestone_id"] is None
