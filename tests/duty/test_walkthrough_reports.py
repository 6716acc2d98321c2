"""Issue 14, walk-through, the urgent report: the form defaults to the lowest level (not 特别重大); a 终报
with elements still missing asks for a reason on the page, names them, and records the reason; loss and
casualty figures typed in the text fill 损失情况 / 伤亡情况 when those are empty."""

import pytest
from django.urls import reverse

from duty.errors import DutyError
from duty.forms import ReportCreateForm
from duty.models import ReportLevel
from duty.services.figures import casualties_in, losses_in
from duty.services.reports import report_add_update, report_receive
from office.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_report_form_defaults_to_the_lowest_level(client, officer):
    assert ReportCreateForm()["level"].value() == ReportLevel.GENERAL
    client.force_login(officer)
    page = client.get(reverse("duty:report-create")).content.decode()
    assert '<option value="general" selected>' in page
    assert '<option value="especially_major" selected>' not in page


def test_a_final_report_with_elements_missing_asks_for_a_reason_and_names_them(officer):
    report = report_receive(
        actor=officer, title="二号镇山体滑坡", level="large", elements={"time": "9时10分"}
    )
    with pytest.raises(DutyError, match="终报尚缺以下要素：地点、信息来源") as caught:
        report_add_update(actor=officer, report=report, kind="final", text="险情解除", missing_reason="")
    assert "missing_reason" in caught.value.fields
    report.refresh_from_db()
    assert report.status == "open" and report.update_count == 1  # nothing written

    final = report_add_update(
        actor=officer,
        report=report,
        kind="final",
        text="险情解除",
        missing_reason="无人员伤亡，其余要素不涉及",
    )
    assert "【缺项说明】无人员伤亡，其余要素不涉及" in final.text
    event = AuditEvent.objects.get(verb="duty.report_final")
    assert event.data["reason_missing"] == "无人员伤亡，其余要素不涉及"
    assert "地点" in event.data["missing"]


def test_the_page_shows_the_refusal_with_the_missing_names(client, officer):
    report = report_receive(actor=officer, title="二号镇山体滑坡", level="large")
    client.force_login(officer)
    resp = client.post(
        reverse("duty:report-update", args=[report.pk]), {"kind": "final", "text": "险情解除"}, follow=True
    )
    body = resp.content.decode()
    assert "终报尚缺以下要素" in body and "现场联系人及电话" in body
    page = client.get(reverse("duty:report-detail", args=[report.pk])).content.decode()
    assert 'name="missing_reason"' in page and "缺项说明" in page


def test_the_api_still_closes_a_report_and_records_what_was_missing(officer):
    report = report_receive(actor=officer, title="火情", level="general")
    report_add_update(actor=officer, report=report, kind="final", text="已扑灭")  # missing_reason=None
    report.refresh_from_db()
    assert report.status == "closed"
    assert AuditEvent.objects.get(verb="duty.report_final").data["missing"]


@pytest.mark.parametrize(
    ("text", "losses", "casualties"),
    [
        ("直接经济损失约300万元，死亡2人、3人受伤。", "直接经济损失约300万元", "死亡2人；3人受伤"),
        ("房屋受损12间，损失达1.2亿元；紧急转移群众120人", "损失达1.2亿元", "紧急转移群众120人"),
        ("暂无人员伤亡报告", "", ""),
    ],
)
def test_figures_in_the_text_are_found(text, losses, casualties):
    assert losses_in(text) == losses
    assert casualties_in(text) == casualties


def test_a_loss_typed_in_the_text_fills_the_losses_element_but_never_overwrites(officer):
    report = report_receive(
        actor=officer, title="内涝", level="general", text="初步统计直接经济损失约300万元。"
    )
    assert report.elements["losses"] == "初步统计直接经济损失约300万元"
    report_add_update(actor=officer, report=report, kind="followup", text="核实后经济损失约500万元")
    report.refresh_from_db()
    assert report.elements["losses"] == "初步统计直接经济损失约300万元"  # already there: left alone
    typed = report_receive(
        actor=officer, title="内涝二", level="general", text="损失约300万元", elements={"losses": "待核实"}
    )
    assert typed.elements["losses"] == "待核实"
