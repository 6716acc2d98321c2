"""Pages: permissions, the board (live fragment, constant queries), forms, downloads."""

import io
import zipfile

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from duty.models import Pool, RotationMember, UrgentReport
from duty.services.logs import phone_record_create
from duty.services.reports import report_receive, report_record_upward
from duty.services.roster import roster_generate
from office.org.models import Role
from tests.factories import make_user

from .factories import at, make_shift


@pytest.fixture
def on_duty(db, leader, officer, deputy):
    return make_shift(
        at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), leader=leader, main=officer, deputy=deputy
    )


def test_duty_pages_are_for_the_duty_room_and_leaders_only(client, db, staff_user):
    client.force_login(staff_user)
    assert client.get("/duty/").status_code == 403
    client.force_login(make_user(Role.EXTERNAL_UNIT))
    assert client.get("/duty/reports/").status_code == 403


def test_board_shows_who_is_on_duty_and_counts_down_open_reports(client, officer, on_duty):
    client.force_login(officer)
    with time_machine.travel(at(2026, 11, 24, 10, 26), tick=False):
        with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
            report_receive(actor=officer, title="危化品泄漏", level="major")
        body = client.get("/duty/").content.decode()
    assert officer.staff.name in body and "危化品泄漏" in body
    assert 'hx-get="/duty/board/live/"' in body and "data-due=" in body
    assert "limit-warning" in body  # 4 minutes to the phone limit
    assert 'data-alarm="1"' in body


def test_board_fragment_queries_do_not_grow_with_reports(client, officer, on_duty):
    client.force_login(officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            with time_machine.travel(at(2026, 11, 24, 12, 0), tick=False):
                assert client.get("/duty/board/live/").status_code == 200
        return len(ctx.captured_queries)

    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        for i in range(3):
            report_receive(actor=officer, title=f"事件{i}", level="general")
        phone_record_create(
            actor=officer, caller_unit="甲", caller_name="乙", caller_number="1", content="丙"
        )
    few = count()
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        for i in range(12):
            r = report_receive(actor=officer, title=f"更多{i}", level="large")
            report_record_upward(actor=officer, report=r, kind="phone", channel="phone", recipients="市领导")
        for _i in range(5):
            phone_record_create(
                actor=officer, caller_unit="甲", caller_name="乙", caller_number="1", content="丙"
            )
    assert count() == few


def test_a_board_row_kept_from_the_last_refresh_is_never_shown_stale(client, officer, on_duty):
    """Report rows are kept rendered between refreshes (fragment cache, duty/selectors/board.py): any
    change to what a row shows (an upward report, its limit passing, a title changed behind the ORM's
    back, the reader's language) shows at the next refresh."""
    import re

    client.force_login(officer)

    def row():
        body = client.get("/duty/board/live/").content.decode()
        return re.search(
            r"<tr>\s*<td><span class=\"badge[^<]*</span></td>\s*<td><a id=\"board-report-.*?</tr>", body, re.S
        )[0]

    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        report = report_receive(actor=officer, title="危化品泄漏", level="major")
    with time_machine.travel(at(2026, 11, 24, 10, 5), tick=False):
        first = row()
        assert row() == first and 'limit-running" data-limit="phone"' in first
    with time_machine.travel(at(2026, 11, 24, 10, 26), tick=False):
        assert 'limit-warning" data-limit="phone"' in row()
    with time_machine.travel(at(2026, 11, 24, 10, 31), tick=False):
        assert 'limit-overdue" data-limit="phone"' in row()
        report_record_upward(actor=officer, report=report, kind="phone", channel="phone", recipients="市领导")
        after = row()
        assert 'limit-late" data-limit="phone"' in after and "迟报" in after
        UrgentReport.objects.filter(pk=report.pk).update(title="危化品泄漏（已控制）")
        assert "危化品泄漏（已控制）" in row()
        client.cookies["django_language"] = "en"
        english = row()
    assert "迟报" not in english and english != after


def test_report_form_creates_report_and_bad_input_writes_nothing(client, officer, on_duty):
    client.force_login(officer)
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        bad = client.post("/duty/reports/new/", {"title": "", "level": "major"})
        assert bad.status_code == 200 and UrgentReport.objects.count() == 0
        resp = client.post(
            "/duty/reports/new/",
            {"title": "桥梁垮塌", "level": "major", "el_place": "某桥", "el_time": "9时"},
        )
    report = UrgentReport.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/duty/reports/{report.pk}/"
    assert report.received_by == officer and report.completeness == 15
    page = client.get(f"/duty/reports/{report.pk}/").content.decode()
    assert "桥梁垮塌" in page and "伤亡情况（含失联）" in page
    resp = client.post(
        f"/duty/reports/{report.pk}/upward/",
        {"kind": "phone", "channel": "phone", "recipients": "市委值班领导"},
    )
    assert resp.status_code == 302
    resp = client.post(f"/duty/reports/{report.pk}/update/", {"kind": "followup", "el_casualties": "无"})
    report.refresh_from_db()
    assert report.phone_reported_at is not None and report.update_count == 2


def test_written_report_docx_is_a_word_file_with_the_key_facts(client, officer, on_duty):
    client.force_login(officer)
    report = report_receive(
        actor=officer, title="山体滑坡", level="major", elements={"place": "三号镇", "casualties": "2人失联"}
    )
    resp = client.get(f"/duty/reports/{report.pk}/docx/")
    assert resp.status_code == 200
    # named after the report, readable in any browser (RFC 6266 filename*)
    assert resp["Content-Disposition"] == (
        f'attachment; filename="urgent-report-{report.pk}.docx"; '
        "filename*=UTF-8''%E5%B1%B1%E4%BD%93%E6%BB%91%E5%9D%A1.docx"
    )
    xml = zipfile.ZipFile(io.BytesIO(resp.content)).read("word/document.xml").decode()
    assert "山体滑坡" in xml and "2人失联" in xml and "待核实情况" in xml


def test_roster_excel_export_and_import_round_trip(client, db, leader):
    officers = [make_user(Role.DUTY_OFFICER) for _ in range(3)]
    RotationMember.objects.create(user=leader, pool=Pool.LEADER, order=1)
    for i, u in enumerate(officers):
        RotationMember.objects.create(user=u, pool=Pool.OFFICER, order=i)
    roster = roster_generate(actor=leader, year=2026, month=12)
    client.force_login(leader)
    resp = client.get(f"/duty/roster/{roster.pk}/export/")
    wb = load_workbook(io.BytesIO(resp.content))
    ws = wb.active
    assert ws["A2"].value == "日期" and ws.max_row == 2 + 62
    first = roster.shifts.order_by("starts_at").first()
    ws["H3"] = officers[2].username
    ws["I3"] = officers[0].staff.name
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "roster.xlsx"
    resp = client.post(f"/duty/roster/{roster.pk}/import/", {"file": buf})
    assert resp.status_code == 302
    first.refresh_from_db()
    assert first.main_officer == officers[2] and first.deputy_officer == officers[0]
    # A row naming nobody known rejects the whole file.
    ws["H4"] = "查无此人"
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "roster.xlsx"
    before = list(roster.shifts.values_list("main_officer_id", flat=True).order_by("pk"))
    client.post(f"/duty/roster/{roster.pk}/import/", {"file": buf})
    assert list(roster.shifts.values_list("main_officer_id", flat=True).order_by("pk")) == before


def test_other_pages_render(client, director, officer, on_duty):
    from duty.services.handover import handover_write

    client.force_login(director)
    report_receive(actor=officer, title="测试", level="general")
    make_shift(at(2026, 11, 24, 17, 30), at(2026, 11, 25, 8, 30), main=make_user(Role.DUTY_OFFICER))
    handover = handover_write(actor=officer, from_shift=on_duty, matters=["检查线路"])
    for url in [
        "/duty/reports/new/",
        f"/duty/handovers/{handover.pk}/",
        "/duty/board/live/",
        "/duty/",
        "/duty/reports/",
        "/duty/roster/",
        "/duty/phone/",
        "/duty/swaps/",
        "/duty/handovers/",
        "/duty/stats/",
        f"/duty/shifts/{on_duty.pk}/",
        f"/duty/roster/{on_duty.roster_id}/",
    ]:
        assert client.get(url).status_code == 200, url


def test_stats_count_on_time_and_late_reports_per_officer(client, director, officer, on_duty):
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False) as traveller:
        late = report_receive(actor=officer, title="迟报的", level="major")
        ok = report_receive(actor=officer, title="及时的", level="major")
        traveller.move_to(at(2026, 11, 24, 10, 10))
        report_record_upward(actor=officer, report=ok, kind="phone", channel="phone", recipients="市领导")
        traveller.move_to(at(2026, 11, 24, 10, 45))
        report_record_upward(actor=officer, report=late, kind="phone", channel="phone", recipients="市领导")
        from duty.selectors.stats import duty_stats_for_user

        stats = duty_stats_for_user(user=director, year=2026, month=11)
    t = stats["totals"]
    assert (
        t["received"] == 2 and t["phone_on_time"] == 1 and t["phone_late_n"] == 1 and t["phone_rate"] == 50.0
    )
    assert t["minutes_late"] == 15
    assert stats["per_officer"][0]["name"] == officer.staff.name
    assert [r.title for r in stats["late_reports"]] == ["迟报的"]
    assert stats["unacknowledged_shifts"] == 1  # the 24 November day shift had no handover


def test_attachments_are_served_only_by_the_protected_download(client, officer, staff_user, on_duty):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = report_receive(
        actor=officer,
        title="有附件",
        level="general",
        attachments=[SimpleUploadedFile("现场.txt", "现场照片说明".encode(), content_type="text/plain")],
    )
    attachment = report.attachments.get()
    assert attachment.name == "现场.txt" and "现场" not in attachment.file.name
    client.force_login(officer)
    page = client.get(f"/duty/reports/{report.pk}/").content.decode()
    assert f"/files/duty-report-attachment/{attachment.pk}" in page
    resp = client.get(f"/files/duty-report-attachment/{attachment.pk}")
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == "现场照片说明".encode()
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/files/duty-report-attachment/{attachment.pk + 1}").status_code == 404
    # the old per-report address is gone: one download view serves every file
    assert client.get(f"/duty/reports/{report.pk}/attachments/{attachment.pk}/").status_code == 404
    client.force_login(staff_user)
    assert client.get(f"/files/duty-report-attachment/{attachment.pk}").status_code == 404
