"""duty/access.py is the duty room's one list of who may: the page, the API, the service and the
navigation give the same answer; a unit sees only its own reports and their files; uploads are
checked by content and size before anything is written."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from duty import access
from duty.models import ReportAttachment, ReportUpdate, UrgentReport
from duty.services.logs import log_add, phone_record_create
from duty.services.reports import (
    report_add_update,
    report_change_level,
    report_receive,
    report_record_upward,
)
from duty.services.roster import roster_publish
from office.errors import Forbidden, NotFound
from office.org.models import Role, UnitKind
from office.org.principals import UnitPrincipal
from office.org.roles import assign_roles
from office.org.services import api_key_issue
from office.web.navigation import navigation_for
from tests.factories import UnitFactory, make_user

from .factories import EXE_BYTES, HTML_BYTES, JPEG_BYTES, PDF_BYTES, at, make_shift, upload


@pytest.fixture
def town_a(db):
    return UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP)


@pytest.fixture
def town_b(db):
    return UnitFactory(name="二号镇", code="town2", kind=UnitKind.TOWNSHIP)


def _key(unit):
    key, raw = api_key_issue(actor=make_user(Role.DIRECTOR), unit=unit, name="系统对接")
    return key, raw


def _key_client(unit) -> APIClient:
    _k, raw = _key(unit)
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw)
    return client


def _principal(unit) -> UnitPrincipal:
    key, _raw = _key(unit)
    return UnitPrincipal(key)


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- one role list --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.DIRECTOR, True),
        (Role.DEPUTY_DIRECTOR, True),
        (Role.DUTY_LEADER, True),
        (Role.DUTY_OFFICER, True),
        (Role.STAFF, False),
        (Role.SECTION_CHIEF, False),
        (Role.SUPERVISION_COMMISSIONER, False),
        (Role.RESEARCHER, False),
    ],
)
def test_page_api_service_and_navigation_agree_on_who_works_the_duty_room(db, client, role, allowed):
    user = make_user(role)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)

    page = client.get("/duty/reports/")
    posted = client.post("/duty/reports/new/", {"title": "页面登记", "level": "general"})
    listed = api.get("/api/v1/duty/reports")
    submitted = api.post("/api/v1/duty/reports", {"title": "接口报送", "level": "general"}, format="json")
    in_nav = "duty:board" in {i["url_name"] for i in navigation_for(user)}

    if allowed:
        assert page.status_code == 200 and posted.status_code == 302
        assert listed.status_code == 200 and submitted.status_code == 201
        assert in_nav
        report = report_receive(actor=user, title="服务登记", level="general")
        titles = set(UrgentReport.objects.values_list("title", flat=True))
        assert titles == {"服务登记", "接口报送", "页面登记"}
        assert report.source_unit is None and report.source_kind == "duty_room"
    else:
        assert page.status_code == 403 and posted.status_code == 403
        assert listed.status_code == 403 and submitted.status_code == 403
        assert listed.json()["code"] == "forbidden"
        assert not in_nav
        with pytest.raises(Forbidden, match="只有值班室人员或外部单位可以报送紧急信息"):
            report_receive(actor=user, title="服务登记", level="general")
        assert UrgentReport.objects.count() == 0


def test_deputy_director_is_in_the_duty_room_everywhere(db, client):
    deputy = make_user(Role.DEPUTY_DIRECTOR)
    assert access.can_view_duty_room(deputy) and access.can_receive_report(deputy)
    assert access.can_edit_roster(deputy)
    api = APIClient()
    api.force_authenticate(deputy)
    # the old API permission left the deputy director out while the pages let them in
    assert api.get("/api/v1/duty/reports").status_code == 200
    client.force_login(deputy)
    assert client.get("/duty/").status_code == 200 and client.get("/duty/stats/").status_code == 200


def test_external_unit_user_and_unbound_external_account(db, client, town_a):
    liaison = make_user(Role.EXTERNAL_UNIT, unit=town_a)
    client.force_login(liaison)
    assert client.get("/duty/reports/").status_code == 403  # the pages are the duty room's
    assert "duty:board" not in {i["url_name"] for i in navigation_for(liaison)}
    api = APIClient()
    api.force_authenticate(liaison)
    assert api.get("/api/v1/duty/reports").status_code == 200
    unbound = get_user_model().objects.create_user("no-unit")  # an external account with no unit
    assign_roles(unbound, [Role.EXTERNAL_UNIT])
    api.force_authenticate(unbound)
    assert api.get("/api/v1/duty/reports").status_code == 403
    with pytest.raises(Forbidden):
        report_receive(actor=unbound, title="无单位", level="general")


# --- need-to-know reports and their attachments --------------------------------------------------
def test_other_units_key_and_liaison_get_404_for_a_report_and_its_attachment(db, client, town_a, town_b):
    a = _key_client(town_a)
    resp = a.post(
        "/api/v1/duty/reports",
        {"title": "山洪", "level": "major", "attachments": [upload("现场.jpg", JPEG_BYTES, "image/jpeg")]},
        format="multipart",
    )
    assert resp.status_code == 201, resp.content
    report_id = resp.json()["id"]
    att = ReportAttachment.objects.get(report_id=report_id)

    b = _key_client(town_b)
    denied = b.get(f"/api/v1/duty/reports/{report_id}")
    assert denied.status_code == 404 and denied.json()["code"] == "not_found"
    assert b.get(f"/api/v1/files/duty-report-attachment/{att.pk}").status_code == 404
    assert b.get("/api/v1/duty/reports").json()["results"] == []
    followup = b.post(
        f"/api/v1/duty/reports/{report_id}/updates",
        {"kind": "followup", "text": "冒名续报", "attachments": [upload("x.pdf", PDF_BYTES)]},
        format="multipart",
    )
    assert followup.status_code == 404
    assert ReportUpdate.objects.filter(report_id=report_id).count() == 1
    assert ReportAttachment.objects.filter(report_id=report_id).count() == 1

    liaison_b = make_user(Role.EXTERNAL_UNIT, unit=town_b)
    client.force_login(liaison_b)
    assert client.get(f"/files/duty-report-attachment/{att.pk}").status_code == 404
    api = APIClient()
    api.force_authenticate(liaison_b)
    assert api.get(f"/api/v1/files/duty-report-attachment/{att.pk}").status_code == 404
    assert api.get(f"/api/v1/duty/reports/{report_id}").status_code == 404
    # office staff outside the duty room are not told about it either
    client.force_login(make_user(Role.STAFF))
    assert client.get(f"/files/duty-report-attachment/{att.pk}").status_code == 404


def test_unit_gets_its_own_attachment_through_the_api_and_the_portal(db, client, town_a):
    a = _key_client(town_a)
    report_id = a.post(
        "/api/v1/duty/reports",
        {
            "title": "火灾",
            "level": "large",
            "attachments": [upload("现场照片.jpg", JPEG_BYTES, "image/jpeg")],
        },
        format="multipart",
    ).json()["id"]
    att = ReportAttachment.objects.get(report_id=report_id)
    assert att.name == "现场照片.jpg" and att.size == len(JPEG_BYTES)
    assert att.file.name.startswith("duty/reports/") and "现场" not in att.file.name

    detail = a.get(f"/api/v1/duty/reports/{report_id}").json()
    url = f"http://testserver/api/v1/files/duty-report-attachment/{att.pk}"
    assert detail["attachments"] == [
        {"id": att.pk, "name": "现场照片.jpg", "size": len(JPEG_BYTES), "update_seq": 0, "url": url}
    ]
    resp = a.get(url)
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg" in resp["Content-Disposition"]
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert b"".join(resp.streaming_content) == JPEG_BYTES

    client.force_login(make_user(Role.EXTERNAL_UNIT, unit=town_a))
    portal = client.get(f"/files/duty-report-attachment/{att.pk}")
    assert portal.status_code == 200 and b"".join(portal.streaming_content) == JPEG_BYTES


def test_follow_up_attachments_show_in_the_api_detail_and_on_the_page(db, client, town_a, officer):
    a = _key_client(town_a)
    report_id = a.post("/api/v1/duty/reports", {"title": "塌方", "level": "large"}, format="json").json()[
        "id"
    ]
    resp = a.post(
        f"/api/v1/duty/reports/{report_id}/updates",
        {"kind": "followup", "text": "伤员已送医", "attachments": [upload("伤员名单.pdf", PDF_BYTES)]},
        format="multipart",
    )
    assert resp.status_code == 201, resp.content
    att = ReportAttachment.objects.get(report_id=report_id)
    detail = a.get(f"/api/v1/duty/reports/{report_id}").json()
    assert [(x["name"], x["update_seq"]) for x in detail["attachments"]] == [("伤员名单.pdf", 1)]
    assert detail["attachments"][0]["url"].startswith("http://testserver/api/v1/files/")

    client.force_login(officer)
    page = client.get(f"/duty/reports/{report_id}/").content.decode()
    row = page[page.index('data-testid="attachments"') :]
    row = row[: row.index("</table>")]
    assert "续报一" in row and "伤员名单.pdf" in row
    assert f'href="/files/duty-report-attachment/{att.pk}"' in row


def test_schema_declares_the_attachment_url_a_uri(db, director):
    client = APIClient()
    client.force_authenticate(director)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    props = schema["components"]["schemas"]["ReportAttachmentOut"]["properties"]
    assert props["url"]["format"] == "uri"
    assert set(props) == {"id", "name", "size", "update_seq", "url"}


# --- uploads ----------------------------------------------------------------------------------------
BIG_PDF = b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)
REJECTED = [
    pytest.param("evil.html", HTML_BYTES, 400, "不接受附件“evil.html”的文件类型", id="html"),
    pytest.param("setup.exe", EXE_BYTES, 400, "不接受附件“setup.exe”的文件类型", id="exe"),
    pytest.param("evil.pdf", EXE_BYTES, 400, "不接受附件“evil.pdf”的文件类型", id="exe-named-pdf"),
    pytest.param("big.pdf", BIG_PDF, 413, "附件“big.pdf”过大", id="21MB"),
]


@pytest.mark.parametrize(("name", "content", "status", "message"), REJECTED)
def test_rejected_first_report_upload_writes_no_report_no_update_no_file(
    db, town_a, name, content, status, message
):
    a = _key_client(town_a)
    resp = a.post(
        "/api/v1/duty/reports",
        {
            "title": "带附件",
            "level": "general",
            # a good file first: it must not be stored either
            "attachments": [upload("ok.jpg", JPEG_BYTES, "image/jpeg"), upload(name, content)],
        },
        format="multipart",
    )
    assert resp.status_code == status
    body = resp.json()
    assert body["code"] == ("too_large" if status == 413 else "invalid")
    assert message in body["message"] and message in body["fields"]["attachments"][0]
    assert UrgentReport.objects.count() == 0 and ReportUpdate.objects.count() == 0
    assert ReportAttachment.objects.count() == 0 and _stored_files() == []


@pytest.mark.parametrize(("name", "content", "status", "message"), REJECTED)
def test_rejected_follow_up_upload_writes_no_update_and_no_file(db, town_a, name, content, status, message):
    a = _key_client(town_a)
    report_id = a.post(
        "/api/v1/duty/reports", {"title": "续报附件", "level": "general"}, format="json"
    ).json()["id"]
    resp = a.post(
        f"/api/v1/duty/reports/{report_id}/updates",
        {"kind": "final", "text": "终报", "attachments": [upload(name, content)]},
        format="multipart",
    )
    assert resp.status_code == status and message in resp.json()["message"]
    report = UrgentReport.objects.get(pk=report_id)
    assert report.update_count == 1 and report.status == "open"
    assert ReportUpdate.objects.filter(report=report).count() == 1
    assert ReportAttachment.objects.count() == 0 and _stored_files() == []


@pytest.mark.parametrize(("name", "content", "status", "message"), REJECTED)
def test_rejected_upload_on_the_report_form_shows_the_message_and_writes_nothing(
    db, client, officer, name, content, status, message
):
    client.force_login(officer)
    resp = client.post(
        "/duty/reports/new/",
        {"title": "页面附件", "level": "general", "attachments": [upload(name, content)]},
    )
    assert resp.status_code == status
    assert message in resp.content.decode()
    assert UrgentReport.objects.count() == 0 and _stored_files() == []


# --- services ask access themselves -----------------------------------------------------------------
def test_services_refuse_a_forbidden_actor_even_when_called_directly(db, town_a, town_b, officer):
    staff = make_user(Role.STAFF)
    unit_a, unit_b = _principal(town_a), _principal(town_b)
    own = report_receive(actor=unit_a, title="一号镇的", level="general", source_unit=town_b)
    assert own.source_unit == town_a  # a unit reports for itself, whatever it claims

    with pytest.raises(NotFound, match="该紧急信息不存在"):
        report_add_update(actor=unit_b, report=own, kind="followup", text="冒名")
    with pytest.raises(NotFound):
        report_add_update(actor=staff, report=own, kind="followup", text="越权")
    with pytest.raises(Forbidden, match="该操作由值班室办理"):
        report_record_upward(actor=unit_a, report=own, kind="phone", channel="phone", recipients="市领导")
    with pytest.raises(Forbidden, match="该操作由值班室办理"):
        report_change_level(actor=unit_a, report=own, level="major")
    assert ReportUpdate.objects.filter(report=own).count() == 1
    own.refresh_from_db()
    assert own.level == "general" and own.phone_reported_at is None

    report_add_update(actor=unit_a, report=own, kind="followup", text="本镇续报")
    assert ReportUpdate.objects.filter(report=own).count() == 2

    with pytest.raises(Forbidden, match="只有值班室人员和办公室领导可以使用值班功能"):
        phone_record_create(actor=staff, caller_unit="甲", caller_name="乙", caller_number="1", content="丙")
    shift = make_shift(at(2026, 11, 24, 8, 30), at(2026, 11, 24, 17, 30), main=officer, published=False)
    with pytest.raises(NotFound):
        log_add(actor=staff, shift=shift, text="越权日志")
    with pytest.raises(Forbidden, match="只有带班领导或办公室领导可以编排值班表"):
        roster_publish(actor=officer, roster=shift.roster)


def test_report_page_offers_only_what_the_actor_may_do(db, client, officer, town_a):
    report = report_receive(actor=_principal(town_a), title="页面按钮", level="general")
    assert access.report_permissions(_principal(town_a), report) == {
        "view": True,
        "update": True,
        "upward": False,
        "change_level": False,
        "docx": False,
        "attachment": True,
    }
    assert all(access.report_permissions(officer, report).values())
    client.force_login(officer)
    body = client.get(f"/duty/reports/{report.pk}/").content.decode()
    assert f"/duty/reports/{report.pk}/upward/" in body and f"/duty/reports/{report.pk}/docx/" in body


def test_a_page_post_refused_by_access_is_403_and_changes_nothing(db, client, officer, deputy):
    from duty.models import Handover, RosterStatus

    shift = make_shift(at(2030, 1, 10, 8, 30), at(2030, 1, 10, 17, 30), main=officer, published=False)
    client.force_login(officer)  # in the duty room, but not an editor of the roster
    assert client.post(f"/duty/roster/{shift.roster_id}/publish/").status_code == 403
    shift.roster.refresh_from_db()
    assert shift.roster.status == RosterStatus.DRAFT
    client.force_login(make_user(Role.DEPUTY_DIRECTOR))  # not on this shift, not the director
    assert client.post(f"/duty/shifts/{shift.pk}/handover/", {"notes": "代交班"}).status_code == 403
    assert Handover.objects.count() == 0
