"""值班信息: the written urgent report prints with a registered number from the documents' register, taken
once and kept — never the database id — and without a 密级 mark it does not have."""

import io

import pytest
import time_machine
from docx import Document as DocxDocument

from documents.models import DocumentNumberSequence
from duty.models import UrgentReport
from duty.rendering import report_docx, report_info_number, report_layout
from duty.services.reports import report_receive

from .factories import at, make_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_duty(db, leader, officer, deputy):
    return make_shift(
        at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer, deputy=deputy
    )


@time_machine.travel("2026-11-24 10:00 +0800", tick=False)
def test_info_number_comes_from_the_register_once_and_is_kept(officer, on_duty):
    DocumentNumberSequence.objects.create(prefix="值班信息", year=2026, last_value=40)
    first = report_receive(actor=officer, title="山体滑坡", level="major", elements={"place": "三号镇"})
    second = report_receive(actor=officer, title="道路塌陷", level="major", elements={"place": "五号镇"})
    assert report_info_number(first) == "值班信息〔2026〕41号"
    assert report_info_number(second) == "值班信息〔2026〕42号"
    # printed again (a fresh row from the database): the same number, the register untouched
    again = UrgentReport.objects.get(pk=first.pk)
    assert report_info_number(again) == "值班信息〔2026〕41号"
    assert report_layout(again).number == "值班信息〔2026〕41号"
    assert DocumentNumberSequence.objects.get(prefix="值班信息", year=2026).last_value == 42


@time_machine.travel("2026-11-24 10:00 +0800", tick=False)
def test_docx_prints_the_duty_info_mark_and_number_and_no_internal_mark(officer, on_duty):
    report = report_receive(actor=officer, title="山体滑坡", level="major", elements={"place": "三号镇"})
    texts = [p.text for p in DocxDocument(io.BytesIO(report_docx(report))).paragraphs]
    assert "值班信息" in texts
    assert "值班信息〔2026〕1号" in texts
    assert not any("内部" in t for t in texts)
    assert not any("此件发至" in t for t in texts)
