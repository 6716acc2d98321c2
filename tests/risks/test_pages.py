"""The pages and the API of the post risk review: the register's filters, a risk's page, the heat map
with its table fallback, the failed-this-quarter list, the review forms (errors on the form, 400), the
read-only API in the schema."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from office.risks.models import IncidentKind, Level, ReviewStatus, RiskReview
from office.risks.services.campaigns import campaign_open
from office.risks.services.incidents import incident_record

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_register_filters_and_scopes(office):
    """Rule: the register lists the actor's scope, highest score first, and filters by area and level."""
    page = _client(office.director).get("/risks/").content.decode()
    assert (
        page.index("视频音响未按实际课件")
        < page.index("紧急信息迟报漏报")
        < page.index("涉密文件传阅范围失控")
    )
    duty_only = _client(office.director).get("/risks/?area=duty").content.decode()
    assert "紧急信息迟报漏报" in duty_only and "视频音响未按实际课件" not in duty_only
    low_only = _client(office.director).get("/risks/?level=low").content.decode()
    assert "涉密文件传阅范围失控" in low_only and "紧急信息迟报漏报" not in low_only
    mine = _client(office.meeting_clerk).get("/risks/").content.decode()
    assert "涉密文件传阅范围失控" not in mine
    assert _client(office.unit_user).get("/risks/").status_code == 403


def test_risk_page_shows_controls_incidents_and_the_raise(office):
    """Rule: a risk's page lists its controls, its incidents (a repeat marked), and its reviews."""
    now = timezone.now()
    incident_record(
        kind=IncidentKind.MEETING_INTERRUPTION, summary="话筒啸叫", occurred_at=now - dt.timedelta(days=90)
    )
    incident_record(kind=IncidentKind.MEETING_INTERRUPTION, summary="视频音响中断近十分钟", occurred_at=now)
    page = _client(office.meeting_clerk).get(f"/risks/{office.av.pk}/").content.decode()
    assert "会前 2 小时由技术人员" in page
    assert "视频音响中断近十分钟" in page and "重复发生，可能性已上调" in page
    assert "4 × 4 = 16" in page and 'data-level="high"' in page
    assert _client(office.secret_clerk).get(f"/risks/{office.av.pk}/").status_code == 404


def test_heatmap_has_the_chart_and_a_table_with_the_same_numbers(office):
    """Rule: the heat map page carries the ECharts script from static and a table (posts × levels) that
    counts risks, not their incidents."""
    incident_record(kind=IncidentKind.MEETING_INTERRUPTION, summary="一", occurred_at=timezone.now())
    incident_record(kind=IncidentKind.DUTY_LATE_REPORT, summary="二", occurred_at=timezone.now())
    page = _client(office.director).get("/risks/heatmap/").content.decode()
    assert "vendor/echarts/echarts.min.js" in page and "risks/heatmap.js" in page
    assert 'id="risk-heatmap-data"' in page
    table = page[page.index('data-testid="heatmap-table"') :]
    # 会务保障岗: 0 高, 1 中, 0 低; 机要文件管理岗: 0 高, 0 中, 1 低
    row = table[table.index("会务保障岗") :]
    assert [c.split("</td>")[0] for c in row.split("<td>")[1:5]] == ["0", "1", "0", "1"]
    row = table[table.index("机要文件管理岗") :]
    assert [c.split("</td>")[0] for c in row.split("<td>")[1:5]] == ["0", "0", "1", "1"]


def test_failed_this_quarter_lists_risks_with_incidents_since_the_quarter_began(office):
    """Rule: only risks with an incident in this quarter appear; an earlier incident does not count."""
    from office.risks.selectors import quarter_start

    start = quarter_start()
    incident_record(
        kind=IncidentKind.DUTY_LATE_REPORT, summary="上季度迟报", occurred_at=start - dt.timedelta(days=1)
    )
    incident_record(
        kind=IncidentKind.MEETING_INTERRUPTION,
        summary="本季度中断",
        occurred_at=start + dt.timedelta(hours=1),
    )
    page = _client(office.director).get("/risks/failed/").content.decode()
    listed = page[page.index('data-testid="failed-risks"') :]
    assert "视频音响未按实际课件" in listed and "本季度中断" in listed
    assert "紧急信息迟报漏报" not in listed


def test_review_form_errors_come_back_on_the_form(office):
    """Rule: a review submitted without its assessment is 400 with the error on the form; a good one is
    submitted and the chief's approval page lists it; the chief's decision goes through."""
    campaign = campaign_open(
        actor=office.director, title="排查", deadline=timezone.now() + dt.timedelta(days=5)
    )
    review = RiskReview.objects.get(campaign=campaign, risk=office.av)
    clerk = _client(office.meeting_clerk)
    bad = clerk.post(
        f"/risks/reviews/{review.pk}/submit", {"likelihood": "3", "impact": "4", "controls_effective": "1"}
    )
    assert bad.status_code == 400 and "自查情况" in bad.content.decode()
    good = clerk.post(
        f"/risks/reviews/{review.pk}/submit",
        {"likelihood": "4", "impact": "4", "controls_effective": "0", "assessment": "会前测试未用实际课件。"},
    )
    assert good.status_code == 302
    chief = _client(office.chief)
    assert "视频音响未按实际课件" in chief.get("/risks/reviews/approvals/").content.decode()
    no_reason = chief.post(f"/risks/reviews/{review.pk}/decide", {"decision": "return", "note": ""})
    assert no_reason.status_code == 400 and "请填写退回理由" in no_reason.content.decode()
    assert chief.post(f"/risks/reviews/{review.pk}/decide", {"decision": "approve"}).status_code == 302
    review.refresh_from_db()
    office.av.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED and office.av.level == Level.HIGH


def test_api_lists_the_register_in_scope(office):
    """Rule: GET /api/v1/risks/ lists the actor's scope (a leader all, staff their section); a unit 403."""
    rows = _client(office.director).get("/api/v1/risks/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert {r["code"] for r in rows} == {"av-failure", "late-report", "leak"}
    assert {r["level"] for r in rows if r["code"] == "leak"} == {"low"}
    mine = _client(office.meeting_clerk).get("/api/v1/risks/?area=meetings").json()
    mine = mine.get("results", mine) if isinstance(mine, dict) else mine
    assert [r["code"] for r in mine] == ["av-failure"]
    assert _client(office.unit_user).get("/api/v1/risks/").status_code == 403
    schema = _client(office.director).get("/api/schema/").content.decode()
    assert "/api/v1/risks/" in schema


def test_api_refuses_an_unknown_level_naming_the_parameter(office):
    """Rule: a filter value the register does not know is a 400 naming it, not an empty list."""
    resp = _client(office.director).get("/api/v1/risks/?level=AAA")
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid" and "level" in resp.json()["fields"]


def test_dashboard_panel_and_my_work(office):
    """Rule: the leaders' panel counts 高 risks and this quarter's failures; my work lists one's waiting
    reviews (and a chief's approvals); a clerk gets no panel."""
    from office.risks.dashboard import risks_panel, risks_work

    now = timezone.now()
    incident_record(
        kind=IncidentKind.MEETING_INTERRUPTION, summary="一", occurred_at=now - dt.timedelta(hours=2)
    )
    incident_record(
        kind=IncidentKind.MEETING_INTERRUPTION, summary="二", occurred_at=now - dt.timedelta(hours=1)
    )
    panel = risks_panel(office.director, now)
    assert panel["high_count"] == 1 and panel["failed_count"] == 1
    assert [r.code for r in panel["high"]] == ["av-failure"]
    assert risks_panel(office.meeting_clerk, now) is None
    campaign = campaign_open(actor=office.director, title="排查", deadline=now + dt.timedelta(days=5))
    work = risks_work(office.meeting_clerk, now)
    assert [w.url for w in work] == [
        f"/risks/reviews/{RiskReview.objects.get(campaign=campaign, risk=office.av).pk}/"
    ]
    assert risks_work(office.unit_user, now) == []
