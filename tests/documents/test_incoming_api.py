"""The API other offices' systems use to send the office a document with its file and follow it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents.incoming.models import IncomingChannel, IncomingDocument, IncomingStatus
from office.audit.models import AuditEvent
from office.notifications.models import Notification
from office.org.models import Role, UnitAPIKey, UnitKind
from tests.documents.incoming_factories import PDF_BYTES, make_incoming
from tests.factories import UnitFactory, make_user

URL = "/api/v1/documents/incoming"


@pytest.fixture
def keys(unit_a, unit_b):
    _, own = UnitAPIKey.objects.create_key(name="甲镇系统", unit=unit_a)
    _, other = UnitAPIKey.objects.create_key(name="乙镇系统", unit=unit_b)
    return Client(headers={"X-Api-Key": own}), Client(headers={"X-Api-Key": other})


def body(**kw):
    data = {
        "title": "甲镇关于汛期值班安排的报告",
        "their_number": "甲政报〔2026〕7号",
        "their_date": "2026-03-05",
        "urgency": "urgent",
        "pages": "2",
        "attachment": SimpleUploadedFile("报告.pdf", PDF_BYTES, content_type="application/pdf"),
    }
    data.update(kw)
    return data


def test_a_unit_sends_a_document_with_its_file_and_the_office_registers_it_as_received_via_api(keys, unit_a):
    clerk = make_user(Role.STAFF, unit=UnitFactory(code="wenshu", kind=UnitKind.SECTION))
    own, _ = keys
    response = own.post(URL, body())
    assert response.status_code == 201, response.content
    data = response.json()
    doc = IncomingDocument.objects.get(pk=data["id"])
    assert doc.sender_unit == unit_a and doc.channel == IncomingChannel.API
    assert doc.issuing_body == unit_a.name  # none given: the sending unit's name
    assert data["serial"] == doc.serial and doc.serial.startswith("收〔")
    assert data["status"] == IncomingStatus.REGISTERED and data["status_display"] == "待初审"
    assert doc.file_name == "报告.pdf" and doc.pages == 2 and doc.urgency == "urgent"
    assert doc.received_by is None and "甲镇系统" in doc.received_label
    event = AuditEvent.objects.get(verb="documents.incoming_received_via_api")
    assert event.actor is None and "甲镇系统" in event.actor_label
    # the clerks are told a document is waiting for its first check
    assert Notification.objects.filter(recipient=clerk, step="received").exists()


def test_a_retry_with_the_same_number_returns_the_registered_document_and_registers_nothing(keys):
    own, other = keys
    first = own.post(URL, body())
    again = own.post(URL, body(title="重发"))
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["title"] == "甲镇关于汛期值班安排的报告"
    assert IncomingDocument.objects.count() == 1
    # the same number from another unit is another document
    assert other.post(URL, body()).status_code == 201
    assert IncomingDocument.objects.count() == 2


def test_a_bad_file_is_refused_in_the_documented_error_body_and_nothing_is_written(keys):
    own, _ = keys
    response = own.post(
        URL, body(attachment=SimpleUploadedFile("报告.pdf", b"<html><script>x</script></html>"))
    )
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid" and "不接受附件“报告.pdf”的文件类型" in error["fields"]["attachment"][0]
    missing = own.post(URL, {k: v for k, v in body().items() if k != "attachment"})
    assert missing.status_code == 400 and "attachment" in missing.json()["fields"]
    assert not IncomingDocument.objects.exists()


def test_classified_documents_do_not_travel_over_the_api(keys):
    own, _ = keys
    response = own.post(URL, body(classification="secret"))
    assert response.status_code == 400 and "classification" in response.json()["fields"]
    assert not IncomingDocument.objects.exists()


def test_a_json_body_cannot_carry_the_file(keys):
    own, _ = keys
    response = own.post(URL, {"title": "x", "their_number": "1"}, content_type="application/json")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"


def test_a_unit_reads_the_status_of_its_own_documents_only(keys, unit_a, unit_b):
    own, other = keys
    mine = make_incoming(sender_unit=unit_a, title="甲镇来文")
    theirs = make_incoming(sender_unit=unit_b, title="乙镇来文")
    listed = own.get(URL).json()["results"]
    assert [r["id"] for r in listed] == [mine.pk]
    assert own.get(f"{URL}/{mine.pk}").json()["status"] == IncomingStatus.REGISTERED
    assert own.get(f"{URL}/{theirs.pk}").status_code == 404
    assert own.get(URL, {"status": "nonsense"}).status_code == 400
    mine.status, mine.return_reason = IncomingStatus.RETURNED, "缺附件"
    mine.save()
    detail = own.get(f"{URL}/{mine.pk}").json()
    assert detail["status_display"] == "已退回" and detail["return_reason"] == "缺附件"
    assert other.get(f"{URL}/{mine.pk}").status_code == 404


def test_office_staff_use_the_pages_not_this_api(db, client):
    client.force_login(make_user(Role.DIRECTOR))
    response = client.get(URL)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert reverse("documents-api-incoming") == URL


def test_an_empty_date_or_number_in_the_form_is_refused_not_taken_for_absent(keys):
    own, _ = keys
    for field in ("their_date", "pages", "copies"):
        response = own.post(URL, body(**{field: ""}))
        assert response.status_code == 400 and field in response.json()["fields"], field
    assert not IncomingDocument.objects.exists()
