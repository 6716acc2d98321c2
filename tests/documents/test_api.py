"""The outgoing documents' API for other offices: the list and text of what was sent to their unit with
their receipt, and acknowledgement (签收) with the unit's key; nothing of other units, drafts or 秘密."""

import pytest
from django.test import Client

from documents.models import Classification, DocumentReceipt
from documents.services import (
    chain_configure,
    document_publish,
    document_register_number,
    document_submit_for_review,
    step_approve,
)
from office.org.models import Role, UnitAPIKey
from tests.factories import make_user

from .factories import make_document

pytestmark = pytest.mark.django_db

BODY = "一、基本情况\n某某项目进度滞后，请各单位抓紧推进。"


def _published(units, **kw):
    drafter, signer, clerk = make_user(Role.STAFF), make_user(Role.DIRECTOR), make_user(Role.SECTION_CHIEF)
    doc = make_document(actor=drafter, prefix=None, origin="", body=BODY, recipient_units=units, **kw)
    chain_configure(actor=drafter, document=doc, reviewers=[], signer=signer)
    document_submit_for_review(actor=drafter, document=doc)
    step_approve(actor=signer, step=doc.steps.get(status="pending"), opinion="同意。")
    document_register_number(actor=clerk, document=doc)
    return document_publish(actor=clerk, document=doc)


def _key_client(unit):
    _key, raw = UnitAPIKey.objects.create_key(name=unit.name, unit=unit)
    return Client(headers={"X-Api-Key": raw})


def test_a_units_key_lists_what_was_sent_to_it_with_its_receipt_and_nothing_else(unit_a, unit_b):
    mine = _published([unit_a], title="发给甲单位的通知")
    _published([unit_b], title="发给乙单位的通知")
    draft = make_document(
        actor=make_user(Role.STAFF), prefix=None, title="尚未印发的草稿", recipient_units=[unit_a]
    )
    client = _key_client(unit_a)
    resp = client.get("/api/v1/documents/outgoing")
    assert resp.status_code == 200
    rows = resp.json()["results"]
    assert [r["title"] for r in rows] == ["发给甲单位的通知"]
    assert rows[0]["number"] == mine.number and rows[0]["receipt"]["acknowledged_at"] is None
    assert draft.title not in resp.content.decode()
    assert client.get(f"/api/v1/documents/outgoing/{draft.pk}").status_code == 404
    detail = client.get(f"/api/v1/documents/outgoing/{mine.pk}").json()
    assert detail["body"] == BODY


def test_acknowledge_by_key_records_the_api_channel_and_filters_follow(unit_a, unit_b):
    doc = _published([unit_a, unit_b])
    client = _key_client(unit_a)
    resp = client.post(f"/api/v1/documents/outgoing/{doc.pk}/acknowledge")
    assert resp.status_code == 200 and resp.json()["acknowledged_via"] == "api"
    again = client.post(f"/api/v1/documents/outgoing/{doc.pk}/acknowledge").json()
    assert again["acknowledged_at"] == resp.json()["acknowledged_at"]
    receipt = DocumentReceipt.objects.get(document=doc, unit=unit_a)
    assert receipt.acknowledged_via == "api" and receipt.acknowledged_by is None
    assert not DocumentReceipt.objects.get(document=doc, unit=unit_b).acknowledged_at
    assert [
        r["id"] for r in client.get("/api/v1/documents/outgoing?acknowledged=true").json()["results"]
    ] == [doc.pk]
    assert client.get("/api/v1/documents/outgoing?acknowledged=false").json()["results"] == []
    bad = client.get("/api/v1/documents/outgoing?acknowledged=maybe")
    assert bad.status_code == 400 and "acknowledged" in bad.json()["fields"]


def test_another_unit_gets_404_and_office_staff_403(client, unit_a, unit_b):
    doc = _published([unit_a])
    other = _key_client(unit_b)
    assert other.post(f"/api/v1/documents/outgoing/{doc.pk}/acknowledge").status_code == 404
    client.force_login(make_user(Role.DIRECTOR))
    resp = client.get("/api/v1/documents/outgoing")
    assert resp.status_code == 403 and resp.json()["code"] == "forbidden"


def test_a_classified_document_never_reaches_a_unit_even_addressed_to_it(unit_a):
    doc = make_document(
        actor=make_user(Role.STAFF),
        prefix=None,
        classification=Classification.SECRET,
        recipient_units=[unit_a],
    )
    client = _key_client(unit_a)
    assert client.get(f"/api/v1/documents/outgoing/{doc.pk}").status_code == 404


def test_list_query_count_does_not_grow_with_documents(unit_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _key_client(unit_a)
    counts = []
    for n in (1, 6):
        for _ in range(n):
            _published([unit_a])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/documents/outgoing").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
