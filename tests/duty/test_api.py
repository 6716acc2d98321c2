"""The API for townships and departments: per-unit keys, the clock starts at receipt, scoping."""

import json
import threading
import uuid

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from duty.models import ReportUpdate, UrgentReport
from duty.services.reports import report_add_update, report_receive
from office.clock.models import Timer
from office.org.models import Role, UnitKind
from office.org.services import api_key_issue
from tests.factories import UnitFactory, make_user

from .factories import JPEG_BYTES, at


@pytest.fixture
def town_a(db):
    return UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP)


@pytest.fixture
def town_b(db):
    return UnitFactory(name="二号镇", code="town2", kind=UnitKind.TOWNSHIP)


def _client(unit) -> APIClient:
    admin = make_user(Role.DIRECTOR)
    _key, raw = api_key_issue(actor=admin, unit=unit, name="系统对接")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw)
    return client


def test_township_key_submits_report_that_starts_the_clock_and_other_township_cannot_read_it(
    db, town_a, town_b
):
    a, b = _client(town_a), _client(town_b)
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        resp = a.post(
            "/api/v1/duty/reports",
            {
                "title": "山洪",
                "level": "major",
                "elements": {"time": "9时40分", "place": "一号镇"},
                "text": "首报",
            },
            format="json",
        )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    report = UrgentReport.objects.get(pk=body["id"])
    assert report.source_unit == town_a and report.source_kind == "api" and report.received_by is None
    assert report.received_at == at(2026, 11, 24, 10, 0)
    assert body["phone_due_at"].startswith("2026-11-24T10:30")
    assert Timer.objects.filter(subject_id=str(report.pk), kind="duty.report_phone").count() == 3
    assert Timer.objects.filter(subject_id=str(report.pk), kind="duty.report_written").count() == 3
    assert a.get(f"/api/v1/duty/reports/{report.pk}").status_code == 200
    denied = b.get(f"/api/v1/duty/reports/{report.pk}")
    assert denied.status_code == 404 and denied.json()["code"] == "not_found"
    assert b.get("/api/v1/duty/reports").json()["results"] == []
    assert [r["id"] for r in a.get("/api/v1/duty/reports").json()["results"]] == [report.pk]
    assert a.get("/api/v1/duty/reports?status=closed").json()["results"] == []
    assert len(a.get("/api/v1/duty/reports?level=major").json()["results"]) == 1
    assert (
        b.post(
            f"/api/v1/duty/reports/{report.pk}/updates", {"kind": "followup", "text": "x"}, format="json"
        ).status_code
        == 404
    )


def test_township_follow_up_and_final_with_attachment(db, town_a):
    a = _client(town_a)
    report_id = a.post("/api/v1/duty/reports", {"title": "火灾", "level": "large"}, format="json").json()[
        "id"
    ]
    resp = a.post(
        f"/api/v1/duty/reports/{report_id}/updates",
        {
            "kind": "followup",
            "elements": json.dumps({"casualties": "1人受伤"}),
            "text": "伤员已送医",
            "attachments": [SimpleUploadedFile("现场.jpg", JPEG_BYTES, content_type="image/jpeg")],
        },
        format="multipart",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["label"] == "续报一"
    final = a.post(
        f"/api/v1/duty/reports/{report_id}/updates", {"kind": "final", "text": "已扑灭"}, format="json"
    )
    assert final.json()["label"] == "终报"
    detail = a.get(f"/api/v1/duty/reports/{report_id}").json()
    assert detail["status"] == "closed" and [u["label"] for u in detail["updates"]] == [
        "首报",
        "续报一",
        "终报",
    ]
    assert UrgentReport.objects.get(pk=report_id).attachments.count() == 1
    again = a.post(
        f"/api/v1/duty/reports/{report_id}/updates", {"kind": "followup", "text": "x"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def _statements(captured) -> list[str]:
    """The SQL a request ran, without transaction bookkeeping (BEGIN, SAVEPOINT, RELEASE, COMMIT)."""
    return [
        q["sql"] for q in captured if q["sql"].split(" ", 1)[0] in ("SELECT", "INSERT", "UPDATE", "DELETE")
    ]


def test_an_intake_runs_a_fixed_set_of_statements_and_reads_nothing_of_the_duty_rooms(db, town_a, officer):
    """On the typhoon night every township's submission waits behind the others': a follow-up costs the
    same statements on the fifth follow-up as on the first, and neither it nor a first report reads the
    duty room's upward reports or alerts (the unit's answer does not show them)."""
    a = _client(town_a)

    def submit(path, body):
        with CaptureQueriesContext(connection) as captured:
            resp = a.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
        assert resp.status_code == 201, resp.content
        return resp.json(), _statements(captured)

    report, first = submit("/api/v1/duty/reports", {"title": "内涝", "level": "large", "text": "首报"})
    counts = []
    for n in range(5):
        _resp, followup = submit(
            f"/api/v1/duty/reports/{report['id']}/updates", {"kind": "followup", "text": f"续报{n}"}
        )
        counts.append(len(followup))
        assert not [q for q in followup if "duty_upwardreport" in q or "duty_dutyalert" in q], followup
    assert not [q for q in first if "duty_upwardreport" in q or "duty_dutyalert" in q], first
    # the key with its unit, the idempotency key read and inserted, the report read and locked, the
    # follow-ups counted, the update inserted, the report updated, the audit row, the shift on duty
    # (none here), the answer stored
    assert counts == [counts[0]] * 5 and counts[0] <= 11, counts
    assert len(first) <= 15, first
    # the first report's answer still carries its first update, read back after the write
    assert [u["label"] for u in report["updates"]] == ["首报"] and report["attachments"] == []


def test_bad_submissions_get_the_error_body(db, town_a):
    a = _client(town_a)
    resp = a.post(
        "/api/v1/duty/reports", {"title": "", "level": "huge", "elements": {"foo": "x"}}, format="json"
    )
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid" and {"title", "level", "elements"} <= set(resp.json()["fields"])
    assert APIClient().get("/api/v1/duty/reports").status_code in (401, 403)


def test_internal_staff_without_duty_role_cannot_use_the_api(db, staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    assert client.get("/api/v1/duty/reports").status_code == 403


def test_openapi_schema_documents_the_duty_api(db, director):
    client = APIClient()
    client.force_authenticate(director)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/duty/reports"])
    assert "multipart/form-data" in paths["/api/v1/duty/reports"]["post"]["requestBody"]["content"]
    assert "get" in paths["/api/v1/duty/reports/{id}"]
    assert "post" in paths["/api/v1/duty/reports/{id}/updates"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_follow_ups_keep_their_order_under_concurrent_submission():
    officer = make_user(Role.DUTY_OFFICER)
    report = report_receive(actor=officer, title="台风", level="major")
    n = 8
    barrier = threading.Barrier(n)
    errors = []

    def submit(i):
        try:
            barrier.wait()
            report_add_update(actor=officer, report=report, kind="followup", text=f"第{i}批")
        except Exception as exc:  # any IntegrityError here is the bug this test exists for
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    updates = list(ReportUpdate.objects.filter(report=report).order_by("seq"))
    assert [u.seq for u in updates] == list(range(n + 1))
    assert [u.followup_no for u in updates[1:]] == list(range(1, n + 1))
    assert [u.label for u in updates[1:3]] == ["续报一", "续报二"]
    # Numbers follow the order of receipt.
    assert [u.received_at for u in updates] == sorted(u.received_at for u in updates)
    report.refresh_from_db()
    assert report.update_count == n + 1
