"""The API for other offices: a unit's key submits a report with attachments (signed and submitted at
once), follows its status and the office's edits, and reads its own score and rank — never another
unit's reports or numbers (404 for objects, its own row only)."""

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from research.information.models import AdoptionKind as K
from research.information.models import InfoStatus
from research.information.services import reports

from .conftest import at
from .factories import adopt, make_report, through

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _key(key):
    return Client(headers={"X-Api-Key": key})


def test_a_key_submits_with_attachments_and_follows_the_edits(office):
    w = office
    client = _key(w.key_a)
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        resp = client.post(
            "/api/v1/information/reports",
            {
                "info_type": "dynamic",
                "title": "城关镇完成秋粮收储",
                "text": "全镇秋粮收储完成。",
                "facts_at": "2026-11-02T08:00:00+08:00",
                "attachments": [SimpleUploadedFile("统计表.pdf", PDF, content_type="application/pdf")],
            },
        )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["status"] == "submitted" and body["versions"][0]["number"] == 1
    assert body["attachments"][0]["name"] == "统计表.pdf"
    assert body["attachments"][0]["url"].startswith("http://testserver/api/v1/files/information-attachment/")
    report = w.town_a.info_reports.get()
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        report = reports.report_receive(actor=w.editor, report=report)
        reports.report_edit(
            actor=w.editor, report=report, title="城关镇秋粮收储全面完成", text="全镇秋粮收储已全面完成。"
        )
    body = client.get(f"/api/v1/information/reports/{report.pk}").json()
    assert body["status"] == InfoStatus.RECEIVED
    assert [(v["number"], v["editor"]) for v in body["versions"]] == [
        (1, str(body["versions"][0]["editor"])),
        (2, "赵编辑"),
    ]
    assert body["versions"][1]["title"] == "城关镇秋粮收储全面完成"
    # its attachment downloads with the same key
    assert client.get(body["attachments"][0]["url"]).status_code == 200


def test_a_township_key_cannot_read_another_townships_reports_or_scores(office):
    w = office
    day = at(2026, 11, 3, 9, 0)
    a = through(w, make_report(w, when=day), day)
    b = through(w, make_report(w, unit="b", when=day, title="石门乡的信息"), day)
    adopt(w, a, K.MUNICIPAL)
    adopt(w, b, K.CENTRAL)
    client = _key(w.key_b)
    # another township's report: 404 in the API's JSON shape, exactly as a missing one
    resp = client.get(f"/api/v1/information/reports/{a.pk}")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    assert client.get("/api/v1/information/reports/999999").json()["code"] == "not_found"
    # the list is its own unit's only
    listed = client.get("/api/v1/information/reports").json()["results"]
    assert [r["id"] for r in listed] == [b.pk]
    # its own numbers only, with its rank among all
    ranking = client.get("/api/v1/information/ranking?period=month&year=2026&number=11").json()
    assert ranking["rows"] == [
        {
            "unit_id": w.town_b.pk,
            "unit": "石门乡人民政府",
            "submitted": 1,
            "adopted": 1,
            "rate": 1.0,
            "instructions": 0,
            "score": 50,
            "rank": 1,
            "late": 0,
        }
    ]
    assert "城关镇" not in str(ranking)
    # the office sees every row
    office_client = Client()
    office_client.force_login(w.director)
    rows = office_client.get("/api/v1/information/ranking?period=month&year=2026&number=11").json()["rows"]
    assert [(r["unit"], r["rank"]) for r in rows] == [("石门乡人民政府", 1), ("城关镇人民政府", 2)]


def test_an_invalid_submission_is_a_json_400_in_chinese_naming_the_field(office):
    resp = _key(office.key_a).post(
        "/api/v1/information/reports",
        {"info_type": "weekly", "title": "x", "text": "y", "facts_at": "2026-11-02T08:00:00+08:00"},
        content_type="application/json",
    )
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid" and "info_type" in resp.json()["fields"]


def test_facts_from_decades_ago_are_refused_naming_facts_at(office):
    # A date a century back is a typo, not news (INFORMATION_FACTS_MAX_AGE_DAYS, 365 by default); it is
    # also a date the API could not write back in RFC 3339 (Shanghai's local mean time, +08:05:43).
    resp = _key(office.key_a).post(
        "/api/v1/information/reports",
        {"info_type": "dynamic", "title": "某镇动态", "text": "正文", "facts_at": "0120-02-11T13:50:24Z"},
        content_type="application/json",
    )
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid"
    assert "天前" in resp.json()["fields"]["facts_at"][0]


def test_a_form_post_without_an_urgent_report_is_accepted(office):
    # multipart has no null: the field is simply left out
    resp = _key(office.key_a).post(
        "/api/v1/information/reports",
        {
            "info_type": "dynamic",
            "title": "某镇动态",
            "text": "正文",
            "facts_at": "2026-11-02T08:00:00+08:00",
        },
    )
    assert resp.status_code == 201, resp.content


def test_a_form_post_with_null_for_the_urgent_report_means_none(office):
    # what a client generated from the schema sends for a nullable field in a multipart form
    resp = _key(office.key_a).post(
        "/api/v1/information/reports",
        {
            "info_type": "dynamic",
            "title": "某镇动态",
            "text": "正文",
            "facts_at": "2026-11-02T08:00:00+08:00",
            "urgent_report": "null",
        },
    )
    assert resp.status_code == 201, resp.content


def test_the_report_list_reads_the_same_queries_for_two_and_for_eight_reports(office):
    # the unit's list through its key: no query per report (unit, issue, late stages read with the rows)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _key(office.key_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            resp = client.get("/api/v1/information/reports")
        assert resp.status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        make_report(office, when=at(2026, 11, 2, 9, i), title=f"城关镇动态{i}")
    few = count()
    for i in range(6):
        make_report(office, when=at(2026, 11, 3, 9, i), title=f"城关镇动态二{i}")
    assert len(client.get("/api/v1/information/reports").json()["results"]) == 8
    assert count() == few
