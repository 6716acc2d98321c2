"""supervision/access.py is the one place of "who may": the service, the page and the API answer alike,
files go only to whoever may see their item, uploads are checked by content and size, messages that
echo input are escaped, and a draft circular stays the office's own business until it is signed."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from documents.models import DocStatus, DocType, Document
from office.errors import Forbidden, NotFound
from office.org.models import Role, UnitKind
from office.org.services import api_key_issue
from supervision import access
from supervision.models import ExtensionRequest, Feedback, SiteVisit, SiteVisitPhoto, Source
from supervision.services import (
    extension_request,
    feedback_submit,
    item_acknowledge,
    ladder_register_miss,
    site_visit_log,
)
from tests.factories import UnitFactory, make_user

from .conftest import at, sign_chain
from .factories import make_item

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture
def unit_c(db):
    return UnitFactory(name="丙局", code="bureau-c", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def user_c(unit_c):
    return make_user(Role.EXTERNAL_UNIT, unit=unit_c)


@pytest.fixture
def clerk(db):
    """Office staff: internal, neither a supervision manager nor the item's assignee."""
    return make_user(Role.STAFF)


def _key_client(director, unit, name):
    _obj, key = api_key_issue(actor=director, unit=unit, name=name)
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=key)
    return client


@pytest.fixture
def api_a(director, unit_a):
    return _key_client(director, unit_a, "甲镇系统")


@pytest.fixture
def api_b(director, unit_b):
    return _key_client(director, unit_b, "乙镇系统")


@pytest.fixture
def api_c(director, unit_c):
    return _key_client(director, unit_c, "丙局系统")


@pytest.fixture
def item(clock, director, unit_a, unit_c, commissioner):
    """Led by 甲镇, assisted by 丙局, issued."""
    return make_item(
        actor=director,
        lead_unit=unit_a,
        assisting_units=[unit_c],
        commissioners=[commissioner],
        issue=True,
        due=dt.date(2026, 4, 30),
    )


@pytest.fixture
def internal_item(clock, director):
    """The director's internal assignment to a person, no unit."""
    assignee = make_user(Role.STAFF)
    item = make_item(
        actor=director, assignee=assignee, source=Source.INTERNAL, issue=True, due=dt.date(2026, 4, 30)
    )
    return item, assignee


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- the rules, asked directly -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "action", "expected"),
    [
        ("director", "close", "ok"),
        ("commissioner", "decide_extension", "ok"),
        ("clerk", "view", "ok"),
        ("clerk", "close", "forbidden"),
        ("clerk", "feedback", "forbidden"),
        ("clerk", "extend", "forbidden"),
        ("commissioner", "extend", "forbidden"),
        ("user_a", "extend", "ok"),
        ("user_a", "result", "ok"),
        ("user_a", "acknowledge", "ok"),
        ("user_a", "close", "forbidden"),
        ("user_a", "acknowledge_for_unit", "forbidden"),
        ("user_c", "feedback", "ok"),
        ("user_c", "result", "forbidden"),
        ("user_c", "extend", "forbidden"),
        ("user_b", "view", "not_found"),
        ("user_b", "feedback", "not_found"),
        ("system", "close", "ok"),
    ],
)
def test_item_access_for_action_answers_by_role_and_unit(request, item, who, action, expected):
    actor = None if who == "system" else request.getfixturevalue(who)
    if expected == "ok":
        assert access.item_access_for_action(actor=actor, item=item, action=action) is item
    else:
        with pytest.raises(NotFound if expected == "not_found" else Forbidden):
            access.item_access_for_action(actor=actor, item=item, action=action)
    assert access.can(actor, item, action) is (expected == "ok")


def test_unit_never_sees_a_draft_of_its_own_item(director, unit_a, user_a):
    draft = make_item(actor=director, lead_unit=unit_a)
    with pytest.raises(NotFound):
        access.item_access_for_action(actor=user_a, item=draft, action="view")
    assert access.item_permissions(user_a, draft) == dict.fromkeys(access.ITEM_ACTIONS, False)


def test_unknown_action_is_a_programming_error(item, director):
    with pytest.raises(ValueError):
        access.item_access_for_action(actor=director, item=item, action="delete")


# --- extension: only the lead unit or, for an internal assignment, the assignee ------------------


def test_extension_by_internal_user_not_lead_nor_assignee_is_refused_by_the_service(
    item, clerk, commissioner
):
    for actor in (clerk, commissioner):
        with pytest.raises(Forbidden) as exc:
            extension_request(actor=actor, item=item, reason="征地", new_due=dt.date(2026, 5, 29))
        assert exc.value.code == "forbidden" and "主办单位" in exc.value.message
    assert not ExtensionRequest.objects.exists()


def test_extension_by_assisting_unit_is_refused_by_the_service(item, user_c):
    with pytest.raises(Forbidden):
        extension_request(actor=user_c, item=item, reason="征地", new_due=dt.date(2026, 5, 29))
    assert not ExtensionRequest.objects.exists()


def test_extension_by_internal_user_not_lead_nor_assignee_is_refused_on_the_page(client, item, clerk):
    client.force_login(clerk)
    page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert f"/supervision/{item.pk}/extension" not in page
    resp = client.post(
        f"/supervision/{item.pk}/extension",
        {"new_due": "2026-05-29", "reason": "征地"},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 403
    assert not ExtensionRequest.objects.exists()


def test_extension_by_internal_user_not_lead_nor_assignee_is_refused_by_the_api(item, clerk, api_c):
    api = APIClient()
    api.force_authenticate(clerk)
    for client in (api, api_c):
        resp = client.post(
            f"/api/v1/supervision/items/{item.pk}/extensions",
            {"reason": "征地", "new_due": "2026-05-29"},
            format="json",
        )
        assert resp.status_code == 403 and resp.json()["code"] == "forbidden"
    assert not ExtensionRequest.objects.exists()


def test_lead_unit_requests_extension_on_page_and_api(client, item, user_a, api_a):
    client.force_login(user_a)
    assert f"/supervision/{item.pk}/extension" in client.get(f"/supervision/{item.pk}/").content.decode()
    resp = api_a.post(
        f"/api/v1/supervision/items/{item.pk}/extensions",
        {"reason": "征地", "new_due": "2026-05-29"},
        format="json",
    )
    assert resp.status_code == 201 and resp.json()["status"] == "pending"
    assert ExtensionRequest.objects.get().unit == item.lead_unit


def test_assignee_of_internal_assignment_requests_extension_and_no_other_staff(internal_item, clerk):
    item, assignee = internal_item
    with pytest.raises(Forbidden):
        extension_request(actor=clerk, item=item, reason="需协调", new_due=dt.date(2026, 5, 29))
    ext = extension_request(actor=assignee, item=item, reason="需协调", new_due=dt.date(2026, 5, 29))
    assert ext.unit is None and ext.requested_by_label
    assert access.item_permissions(assignee, item)["extend"] is True
    assert access.item_permissions(clerk, item)["extend"] is False


# --- feedback ------------------------------------------------------------------------------------


def test_feedback_api_by_internal_non_manager_non_assignee_is_refused(item, clerk):
    api = APIClient()
    api.force_authenticate(clerk)
    resp = api.post(
        f"/api/v1/supervision/items/{item.pk}/feedback",
        {"kind": "progress", "content": "冒报"},
        format="json",
    )
    assert resp.status_code == 403 and resp.json()["code"] == "forbidden"
    assert not Feedback.objects.exists()


def test_feedback_page_by_internal_non_manager_non_assignee_is_refused(client, item, clerk):
    client.force_login(clerk)
    resp = client.post(f"/supervision/{item.pk}/feedback", {"kind": "progress", "content": "冒报"})
    assert resp.status_code == 403
    assert not Feedback.objects.exists()


def test_result_only_by_the_lead_unit_not_an_assisting_one(item, api_c, user_c):
    resp = api_c.post(
        f"/api/v1/supervision/items/{item.pk}/feedback",
        {"kind": "result", "content": "已完成"},
        format="json",
    )
    assert resp.status_code == 403 and resp.json()["code"] == "forbidden"
    progress = feedback_submit(actor=user_c, item=item, content="协办进展")
    assert list(Feedback.objects.all()) == [progress] and progress.unit.name == "丙局"


def test_manager_acknowledges_for_a_unit_but_a_clerk_cannot(item, director, clerk, unit_a):
    with pytest.raises(Forbidden):
        item_acknowledge(actor=clerk, item=item, unit=unit_a)
    assignment = item_acknowledge(actor=director, item=item, unit=unit_a)
    assert assignment.unit == unit_a and assignment.acknowledged_at is not None


# --- protected files -----------------------------------------------------------------------------


@pytest.fixture
def feedback_with_pdf(item, api_a):
    upload = SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf")
    resp = api_a.post(
        f"/api/v1/supervision/items/{item.pk}/feedback",
        {"kind": "progress", "content": "方案已完成", "attachment": upload},
        format="multipart",
    )
    assert resp.status_code == 201, resp.json()
    return Feedback.objects.get(pk=resp.json()["id"]), resp.json()


def test_pdf_named_in_chinese_is_stored_under_a_random_name_and_returned_as_absolute_api_url(
    feedback_with_pdf, settings
):
    fb, body = feedback_with_pdf
    stored = Path(fb.attachment.name)
    assert stored.suffix == ".pdf" and "报告" not in stored.name and len(stored.stem) == 32
    assert stored.parts[:2] == ("supervision", "feedback")
    assert fb.attachment_name == "报告.pdf"
    assert body["attachment"] == f"http://testserver/api/v1/files/supervision-feedback/{fb.pk}"
    assert body["attachment_name"] == "报告.pdf"
    assert [p.name for p in _stored_files(settings)] == [stored.name]


def _assert_attachment_response(resp, content):
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == content
    assert "attachment" in resp["Content-Disposition"]
    assert "filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf" in resp["Content-Disposition"]
    assert resp["X-Content-Type-Options"] == "nosniff"


def test_units_own_attachment_downloads_with_debug_off_and_another_unit_gets_404(
    feedback_with_pdf, settings, client, user_a, user_b, api_a, api_b
):
    settings.DEBUG = False
    fb, _body = feedback_with_pdf
    page_url = f"/files/supervision-feedback/{fb.pk}"
    api_url = f"/api/v1/files/supervision-feedback/{fb.pk}"
    client.force_login(user_a)
    _assert_attachment_response(client.get(page_url), PDF)
    _assert_attachment_response(api_a.get(api_url), PDF)
    client.force_login(user_b)
    assert client.get(page_url).status_code == 404
    resp = api_b.get(api_url)
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    assert api_b.get(f"/api/v1/files/supervision-feedback/{fb.pk + 1000}").status_code == 404
    # the old /media/ address serves nothing
    assert client.get(f"/media/{fb.attachment.name}").status_code == 404


def test_item_page_links_the_attachment_through_the_download_view(feedback_with_pdf, client, user_a):
    fb, _body = feedback_with_pdf
    client.force_login(user_a)
    page = client.get(f"/supervision/{fb.item_id}/").content.decode()
    assert f'href="/files/supervision-feedback/{fb.pk}"' in page and "报告.pdf" in page
    assert "/media/" not in page


@pytest.mark.parametrize(
    ("name", "content", "status", "code"),
    [
        ("evil.html", b"<html><script>alert(1)</script></html>", 400, "invalid"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            400,
            "invalid",
        ),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, 400, "invalid"),
        ("big.pdf", PDF + b"0" * (21 * 1024 * 1024), 413, "too_large"),
    ],
)
def test_bad_upload_is_refused_with_chinese_message_and_nothing_stored(
    item, api_a, settings, name, content, status, code
):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    resp = api_a.post(
        f"/api/v1/supervision/items/{item.pk}/feedback",
        {"kind": "progress", "content": "附上材料", "attachment": upload},
        format="multipart",
    )
    assert resp.status_code == status
    body = resp.json()
    assert body["code"] == code and name in body["message"] and "附件" in body["message"]
    assert "attachment" in body["fields"]
    assert not Feedback.objects.exists()
    assert _stored_files(settings) == []


def test_bad_upload_on_the_page_is_refused_and_nothing_stored(client, item, user_a, settings):
    client.force_login(user_a)
    upload = SimpleUploadedFile("evil.html", b"<html><script>alert(1)</script></html>")
    resp = client.post(
        f"/supervision/{item.pk}/feedback",
        {"kind": "progress", "content": "附上材料", "attachment": upload},
        HTTP_HX_REQUEST="true",
    )
    body = resp.content.decode()
    assert resp.status_code == 200 and "不接受附件" in body and "evil.html" in body
    assert not Feedback.objects.exists() and _stored_files(settings) == []


def test_visit_photos_are_checked_and_served_only_to_units_of_the_item(
    item, commissioner, client, user_a, user_b, settings
):
    settings.DEBUG = False
    svg = SimpleUploadedFile("现场.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    with pytest.raises(Exception) as exc:
        site_visit_log(
            actor=commissioner,
            item=item,
            visited_at=at(2026, 3, 9, 10),
            place="工地",
            people_met="李局长",
            findings="推进中",
            photos=[svg],
        )
    assert getattr(exc.value, "code", None) == "invalid"
    assert not SiteVisit.objects.exists() and _stored_files(settings) == []
    photo = SimpleUploadedFile("现场.jpg", JPEG, content_type="image/jpeg")
    site_visit_log(
        actor=commissioner,
        item=item,
        visited_at=at(2026, 3, 9, 10),
        place="工地",
        people_met="李局长",
        findings="推进中",
        photos=[photo],
    )
    stored = SiteVisitPhoto.objects.get()
    assert stored.name == "现场.jpg" and stored.file.name.endswith(".jpg") and "现场" not in stored.file.name
    url = f"/files/supervision-visit-photo/{stored.pk}"
    client.force_login(user_a)
    assert url in client.get(f"/supervision/{item.pk}/").content.decode()
    resp = client.get(url)
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == JPEG
    client.force_login(user_b)
    assert client.get(url).status_code == 404


# --- the alert fragment escapes what it echoes ------------------------------------------------------


def test_form_error_echoing_input_comes_back_escaped(client, item, user_a):
    client.force_login(user_a)
    resp = client.post(
        f"/supervision/{item.pk}/feedback",
        {"kind": "<script>alert(1)</script>", "content": "x"},
        HTTP_HX_REQUEST="true",
    )
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" not in body
    assert not Feedback.objects.exists()


# --- the draft circular ----------------------------------------------------------------------------


@pytest.fixture
def circular(item, user_a):
    item_acknowledge(actor=user_a, item=item)
    step = None
    for _ in range(3):
        step = ladder_register_miss(item=item, trigger="测试", from_step=step)
    doc = Document.objects.get(doc_type=DocType.CIRCULAR)
    assert doc.status != DocStatus.PUBLISHED and not doc.number  # numbered when registered after sign-off
    return doc


def _api_steps(client, item):
    return client.get(f"/api/v1/supervision/items/{item.pk}").json()["ladder_steps"]


def test_unit_sees_no_draft_circular_until_it_is_published(client, item, circular, user_a, api_a, director):
    client.force_login(user_a)
    page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert circular.title not in page
    assert f"/documents/{circular.pk}/" not in page
    circular_step = next(s for s in _api_steps(api_a, item) if s["kind"] == "circular")
    assert circular_step["document_id"] is None and circular_step["document_number"] is None
    # the office sees its draft (not numbered yet: the number is registered after sign-off)
    client.force_login(director)
    page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert circular.title in page and f"/documents/{circular.pk}/" in page
    staff_api = APIClient()
    staff_api.force_authenticate(director)
    circular_step = next(s for s in _api_steps(staff_api, item) if s["kind"] == "circular")
    assert circular_step["document_id"] == circular.pk and circular_step["document_number"] is None

    sign_chain(circular, signer=director, opinion="同意通报。")
    circular.refresh_from_db()
    assert circular.status == DocStatus.PUBLISHED and circular.number == "督办通报〔2026〕1号"
    client.force_login(user_a)
    page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert circular.number in page and f"/documents/{circular.pk}/" in page
    circular_step = next(s for s in _api_steps(api_a, item) if s["kind"] == "circular")
    assert circular_step["document_id"] == circular.pk and circular_step["document_number"] == circular.number


def test_published_notice_is_shown_to_the_unit(item, user_a, api_a, director):
    item_acknowledge(actor=user_a, item=item)
    first = ladder_register_miss(item=item, trigger="测试")
    ladder_register_miss(item=item, trigger="测试", from_step=first)
    notice = Document.objects.get(doc_type=DocType.NOTICE)
    notice_step = next(s for s in _api_steps(api_a, item) if s["kind"] == "notice")
    assert notice_step["document_id"] is None  # in review: the unit does not see a draft
    sign_chain(notice, signer=director)  # a person signs it; then it goes out
    notice.refresh_from_db()
    assert notice.status == DocStatus.PUBLISHED
    notice_step = next(s for s in _api_steps(api_a, item) if s["kind"] == "notice")
    assert notice_step["document_number"] == notice.number


# --- page flags, list and navigation ask the same rules ------------------------------------------------


def test_item_page_flags_follow_the_access_module(client, item, user_a, user_c, clerk, director):
    assert access.item_permissions(user_a, item)["extend"] is True
    assert access.item_permissions(user_c, item)["extend"] is False
    assert access.item_permissions(clerk, item)["feedback"] is False
    assert access.item_permissions(director, item)["close"] is True
    client.force_login(user_c)
    page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert f"/supervision/{item.pk}/feedback" in page and f"/supervision/{item.pk}/extension" not in page
    client.force_login(clerk)
    page = client.get(f"/supervision/{item.pk}/").content.decode()
    assert f"/supervision/{item.pk}/feedback" not in page and f"/supervision/{item.pk}/cancel" not in page


def test_export_and_stats_are_scoped_to_the_units_items(client, clock, director, unit_a, unit_b, user_a):
    from io import BytesIO

    from openpyxl import load_workbook

    make_item(actor=director, lead_unit=unit_a, issue=True, title="甲镇的事项")
    make_item(actor=director, lead_unit=unit_b, issue=True, title="乙镇的事项")
    client.force_login(user_a)
    resp = client.get("/supervision/export.xlsx")
    assert resp.status_code == 200
    rows = list(load_workbook(BytesIO(resp.content)).worksheets[0].iter_rows(values_only=True))
    assert [r[5] for r in rows[1:]] == ["甲镇的事项"]
    resp = client.get("/supervision/stats/")
    assert resp.status_code == 200
    assert "甲镇" in resp.content.decode() and "乙镇" not in resp.content.decode()


def test_clerk_cannot_create_or_import(client, clerk):
    client.force_login(clerk)
    assert client.get("/supervision/new/").status_code == 403
    assert client.get("/supervision/import/").status_code == 403
    assert access.can_create(clerk) is False and access.can_list(clerk) is True


def _step(item, kind, document=None):
    from django.utils import timezone

    from supervision.models import LadderStep

    return LadderStep.objects.create(
        item=item, level=1, kind=kind, trigger="测试", due_at=timezone.now(), document=document
    )


def test_communication_tasks_go_to_leaders_and_the_items_own_commissioners_only(director, unit_a):
    from supervision.models import StepKind
    from supervision.selectors import open_communication_tasks_for_user

    named, other = make_user(Role.SUPERVISION_COMMISSIONER), make_user(Role.SUPERVISION_COMMISSIONER)
    item = make_item(actor=director, lead_unit=unit_a, issue=True, title="有沟通任务的事项")
    item.commissioners.add(named)
    step = _step(item, StepKind.COMMUNICATION)
    assert list(open_communication_tasks_for_user(user=director)) == [step]
    assert list(open_communication_tasks_for_user(user=make_user(Role.DEPUTY_DIRECTOR))) == [step]
    assert list(open_communication_tasks_for_user(user=named)) == [step]
    assert list(open_communication_tasks_for_user(user=other)) == []
    assert list(open_communication_tasks_for_user(user=make_user(Role.EXTERNAL_UNIT, unit=unit_a))) == []


def test_a_classified_published_circular_is_not_listed_to_those_the_documents_scope_refuses(director, unit_a):
    from django.utils import timezone

    from supervision.models import StepKind
    from supervision.selectors import circulars_published

    item = make_item(actor=director, lead_unit=unit_a, issue=True, title="被通报的事项")
    open_doc = Document.objects.create(
        doc_type=DocType.CIRCULAR, title="公开的通报", body="正文", issuing_body="督办室",
        status=DocStatus.PUBLISHED, published_at=timezone.now(), to_all_units=True,
    )  # fmt: skip
    secret_doc = Document.objects.create(
        doc_type=DocType.CIRCULAR, title="秘密的通报", body="正文", issuing_body="督办室",
        status=DocStatus.PUBLISHED, published_at=timezone.now(), to_all_units=True, classification="secret",
    )  # fmt: skip
    _step(item, StepKind.CIRCULAR, open_doc)
    _step(item, StepKind.CIRCULAR, secret_doc)
    titles = lambda user: {s.document.title for s in circulars_published(user=user)}  # noqa: E731
    assert titles(director) == {"公开的通报", "秘密的通报"}  # the director clears 秘密
    assert titles(make_user(Role.STAFF)) == {"公开的通报"}
    assert titles(make_user(Role.EXTERNAL_UNIT, unit=unit_a)) == {"公开的通报"}
