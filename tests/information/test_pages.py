"""The pages: a unit drafts, its head signs; the information section receives, edits (versions and the
diff shown) and sends to approval; the deputy approves; the bulletin is numbered per year and prints."""

import time_machine
from django.test import Client

from research.information.models import InfoStatus, InfoVersion

from .conftest import at
from .factories import make_report


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_a_report_through_the_pages_and_into_a_numbered_bulletin(office):
    w = office
    day = at(2026, 11, 2, 9, 0)
    with time_machine.travel(day, tick=False):
        drafter = _client(w.drafter_a)
        resp = drafter.post(
            "/information/new",
            {
                "info_type": "experience",
                "title": "城关镇网格化治理经验",
                "text": "一是……\n二是……",
                "facts_at": "2026-11-02T08:00",
            },
        )
        assert resp.status_code == 302
        report = w.town_a.info_reports.get()
        # the drafter may not sign: only the unit's head
        assert drafter.post(f"/information/{report.pk}/act", {"action": "sign"}).status_code == 403
        assert drafter.post(f"/information/{report.pk}/act", {"action": "ask_sign"}).status_code == 302
        assert _client(w.head_a).post(f"/information/{report.pk}/act", {"action": "sign"}).status_code == 302
        editor = _client(w.editor)
        assert "城关镇网格化治理经验" in editor.get("/information/inbox").content.decode()
        assert editor.post(f"/information/{report.pk}/act", {"action": "receive"}).status_code == 302
        resp = editor.post(
            f"/information/{report.pk}/edit",
            {
                "title": "城关镇网格化治理的做法",
                "text": "一是……\n二是压实网格员责任。",
                "note": "精简",
                "version": 1,
            },
        )
        assert resp.status_code == 302, resp.content.decode()[:2000]
        page = editor.get(f"/information/{report.pk}").content.decode()
        assert "<ins>压实网格员责任。</ins>" in page or "压实网格员责任" in page
        assert "<del>" in page and "赵编辑" in page
        assert (
            editor.post(
                f"/information/{report.pk}/act", {"action": "to_approval", "outlet": "special"}
            ).status_code
            == 302
        )
        # the clerk of 综合科 (office staff but not the information section) cannot approve
        assert (
            _client(w.clerk).post(f"/information/{report.pk}/act", {"action": "approve"}).status_code == 404
        )
        deputy = _client(w.deputy)
        assert "城关镇网格化治理的做法" in deputy.get("/information/approvals").content.decode()
        assert deputy.post(f"/information/{report.pk}/act", {"action": "approve"}).status_code == 302
        resp = editor.post(
            "/information/bulletins", {"kind": "special", "reports": [report.pk], "title": "基层治理经验"}
        )
        assert resp.status_code == 302
    report.refresh_from_db()
    assert report.status == InfoStatus.PUBLISHED
    assert str(report.issue) == "信息专报〔2026〕第1期"
    assert list(InfoVersion.objects.filter(report=report).values_list("number", flat=True)) == [1, 2]
    docx = _client(w.editor).get(f"/information/bulletins/{report.issue.pk}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # a second issue of the same kind in the same year takes the next number
    second = make_report(w, when=at(2026, 11, 3, 9, 0), title="第二条")
    from .factories import through

    through(w, second, at(2026, 11, 3, 10, 0), outlet="special")
    second.refresh_from_db()
    assert str(second.issue) == "信息专报〔2026〕第2期"


def test_returned_with_a_reason_goes_back_to_the_unit(office):
    w = office
    report = make_report(w, when=at(2026, 11, 2, 9, 0))
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        _client(w.head_a).post(f"/information/{report.pk}/act", {"action": "sign"})
        editor = _client(w.editor)
        editor.post(f"/information/{report.pk}/act", {"action": "return", "reason": ""})
        report.refresh_from_db()
        assert report.status == InfoStatus.SUBMITTED  # no reason, no return
        editor.post(f"/information/{report.pk}/act", {"action": "return", "reason": "要素不全，请补充数据"})
    report.refresh_from_db()
    assert report.status == InfoStatus.RETURNED and report.return_reason == "要素不全，请补充数据"
    assert "要素不全" in _client(w.drafter_a).get(f"/information/{report.pk}").content.decode()


def test_another_unit_and_office_staff_outside_the_section_get_404_for_a_draft(office):
    w = office
    report = make_report(w, when=at(2026, 11, 2, 9, 0))
    assert _client(w.head_b).get(f"/information/{report.pk}").status_code == 404
    assert _client(w.editor).get(f"/information/{report.pk}").status_code == 404  # not submitted yet
    assert _client(w.head_a).get(f"/information/{report.pk}").status_code == 200
    assert _client(w.head_b).get("/information/ranking").status_code == 403
