"""The incoming pages: the register (filters, pages, a query count independent of the rows), the
sign-for form (Chinese errors, nothing half-written), the document's page (fields, file, history,
the actions this person may take, the 传阅 table) and its htmx actions."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.incoming import services
from documents.incoming.models import CirculationMode, IncomingChannel, IncomingDocument, IncomingStatus
from documents.models import Classification
from office.org.models import Role, UnitKind
from tests.documents.incoming_factories import PDF_BYTES, make_incoming
from tests.factories import UnitFactory, make_user

LIST = reverse("documents:incoming-list")


@pytest.fixture
def clerk(db):
    return make_user(Role.STAFF, unit=UnitFactory(code="wenshu", kind=UnitKind.SECTION), name="文书张")


@pytest.fixture
def leader(db):
    return make_user(Role.DEPUTY_DIRECTOR, name="李志强")


def rows(response) -> int:
    return response.content.decode().count('data-testid="incoming-row"')


def test_the_register_filters_by_status_level_urgency_dates_and_text(client, clerk):
    make_incoming(title="关于防汛的通知", urgency="urgent")
    checked = make_incoming(title="关于春耕的报告", status=IncomingStatus.CHECKED)
    make_incoming(title="秘密来文", classification=Classification.SECRET)  # not cleared: never listed
    old = make_incoming(title="去年的来文")
    old.received_at = timezone.now() - dt.timedelta(days=400)
    old.save()
    client.force_login(clerk)
    assert rows(client.get(LIST)) == 3
    assert rows(client.get(LIST, {"status": "checked"})) == 1
    assert rows(client.get(LIST, {"urgency": "urgent"})) == 1
    assert rows(client.get(LIST, {"urgency": ""})) == 2  # 无
    assert rows(client.get(LIST, {"classification": "internal"})) == 3
    assert rows(client.get(LIST, {"q": "春耕"})) == 1
    assert rows(client.get(LIST, {"q": checked.serial})) == 1
    today = timezone.localdate().isoformat()
    assert rows(client.get(LIST, {"date_from": today})) == 2
    assert (
        rows(client.get(LIST, {"date_to": (timezone.localdate() - dt.timedelta(days=300)).isoformat()})) == 1
    )
    assert "秘密来文" not in client.get(LIST).content.decode()


def test_the_registers_query_count_does_not_grow_with_the_rows(client, clerk, unit_a):
    handler = make_user(Role.STAFF)
    for i in range(2):
        make_incoming(title=f"来文{i}", sender_unit=unit_a, their_number=f"a{i}", handler=handler)
    client.force_login(clerk)
    client.get(LIST)  # warm the session and the navigation
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for i in range(2, 24):
        make_incoming(title=f"来文{i}", sender_unit=unit_a, their_number=f"a{i}", handler=handler)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert rows(response) == 24
    assert len(many) == len(few)


def test_the_register_is_paginated(client, clerk):
    for i in range(31):
        make_incoming(title=f"来文{i}", their_number=f"n{i}", with_file=False)
    client.force_login(clerk)
    first = client.get(LIST)
    assert rows(first) == 30 and "第 1 / 2 页" in first.content.decode()
    assert rows(client.get(LIST, {"page": 2})) == 1


def test_signing_for_and_registering_through_the_form(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("documents:incoming-create")).content.decode()
    for label in ("来文方式", "来文机关", "来文字号", "成文日期", "密级", "紧急程度", "页数", "份数", "文件"):
        assert label in page
    response = client.post(
        reverse("documents:incoming-create"),
        {
            "channel": IncomingChannel.COURIER,
            "issuing_body": "省委办公厅",
            "their_number": "省委办发〔2026〕21号",
            "their_date": "2026-03-02",
            "title": "关于进一步精文减会的通知",
            "classification": Classification.INTERNAL,
            "urgency": "extra_urgent",
            "pages": "4",
            "copies": "1",
            "file": SimpleUploadedFile("通知.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    doc = IncomingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    assert doc.channel == IncomingChannel.COURIER and doc.received_by == clerk and doc.file_name == "通知.pdf"


def test_a_bad_form_comes_back_in_chinese_and_writes_nothing(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("documents:incoming-create"),
        {
            "channel": IncomingChannel.PAPER,
            "issuing_body": "",
            "title": "关于某事的函",
            "classification": Classification.INTERNAL,
            "pages": "0",
            "copies": "1",
            "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 a program"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "该字段是必填项" in page and "确保该值大于或等于1" in page
    response = client.post(
        reverse("documents:incoming-create"),
        {
            "channel": IncomingChannel.PAPER,
            "issuing_body": "市财政局",
            "title": "关于某事的函",
            "classification": Classification.INTERNAL,
            "pages": "1",
            "copies": "1",
            "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 a program"),
        },
    )
    assert response.status_code == 200 and "不接受附件“x.pdf”的文件类型" in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_the_page_shows_every_field_the_file_the_history_and_the_actions_of_this_person(
    client, clerk, leader
):
    doc = services.incoming_register(
        actor=clerk,
        channel=IncomingChannel.PAPER,
        fields=services.IncomingFields(
            issuing_body="市应急管理局",
            title="关于汛期值班的通知",
            their_number="市应急发〔2026〕8号",
            pages=3,
        ),
        upload=SimpleUploadedFile("通知.pdf", PDF_BYTES),
    )
    client.force_login(clerk)
    page = client.get(doc.get_absolute_url()).content.decode()
    for text in (
        doc.serial,
        "市应急管理局",
        "市应急发〔2026〕8号",
        "通知.pdf",
        "签收登记",
        "初审通过",
        "退回来文单位",
    ):
        assert text in page
    assert f"/files/documents-incoming/{doc.pk}" in page
    assert 'data-testid="action-instruct"' not in page  # the clerk does not write the 批示
    client.force_login(leader)
    services.incoming_check(actor=clerk, document=doc)
    assert 'data-testid="action-instruct"' in client.get(doc.get_absolute_url()).content.decode()


def test_actions_through_htmx_reload_on_success_and_answer_the_message_on_a_broken_rule(
    client, clerk, leader
):
    doc = make_incoming(status=IncomingStatus.CHECKED)
    client.force_login(leader)
    url = reverse("documents:incoming-action", args=[doc.pk, "instruct"])
    bad = client.post(url, {"instruction": ""}, headers={"HX-Request": "true"})
    assert bad.status_code == 200 and "批示内容" in bad.content.decode()
    past = client.post(url, {"instruction": "同意", "deadline": "2020-01-01"}, headers={"HX-Request": "true"})
    assert "办理时限不能早于今天" in past.content.decode()
    ok = client.post(url, {"instruction": "请应急办落实。"}, headers={"HX-Request": "true"})
    assert ok.status_code == 204 and ok["HX-Redirect"] == doc.get_absolute_url()
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.INSTRUCTED and doc.instruction == "请应急办落实。"


def test_a_refused_action_is_403_before_the_form_is_read(client, clerk):
    doc = make_incoming()
    client.force_login(make_user(Role.STAFF))
    response = client.post(reverse("documents:incoming-action", args=[doc.pk, "check"]))
    assert response.status_code == 403
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.REGISTERED


def test_the_circulation_table_shows_who_read_it_and_who_still_holds_it(client, clerk):
    doc = make_incoming(status=IncomingStatus.CHECKED)
    a = make_user(Role.STAFF, name="赵阅")
    b = make_user(Role.STAFF, name="钱阅")
    services.incoming_circulate(actor=clerk, document=doc, readers=[a, b], mode=CirculationMode.SEQUENTIAL)
    services.incoming_mark_read(actor=a, document=doc, note="已阅，同意。")
    client.force_login(clerk)
    page = client.get(doc.get_absolute_url()).content.decode()
    table = page[page.index('data-testid="circulation-table"') :]
    assert "赵阅" in table and "已阅，同意。" in table and "钱阅" in table and "在阅" in table
    assert "现由以下人员持有：钱阅" in page and "催阅" in table
    # the reader holding it sees the 阅毕 form; the one who read it does not
    client.force_login(b)
    assert 'data-testid="action-read"' in client.get(doc.get_absolute_url()).content.decode()
    client.force_login(a)
    assert 'data-testid="action-read"' not in client.get(doc.get_absolute_url()).content.decode()


def test_the_navigation_offers_the_register_to_office_staff_only(client, clerk, unit_a):
    client.force_login(clerk)
    assert LIST in client.get(reverse("home")).content.decode()
    client.force_login(make_user(Role.EXTERNAL_UNIT, unit=unit_a))
    assert client.get(LIST).status_code == 403


def test_a_secret_file_is_served_to_who_may_see_it_logged_and_404_to_the_rest(client, clerk):
    from office.audit.models import AccessLog

    doc = services.incoming_register(
        actor=clerk,
        channel=IncomingChannel.COURIER,
        fields=services.IncomingFields(
            issuing_body="省保密局", title="秘密级来文", classification=Classification.SECRET
        ),
        upload=SimpleUploadedFile("密件.pdf", PDF_BYTES),
    )
    url = reverse("file-download", kwargs={"kind": "documents-incoming", "pk": doc.pk})
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert AccessLog.objects.filter(actor=clerk, action="download", classification="secret").count() == 1
    client.force_login(make_user(Role.STAFF))
    assert client.get(url).status_code == 404
    assert client.get(doc.get_absolute_url()).status_code == 404
