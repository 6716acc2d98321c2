"""An anonymous item: no role, no page, no API, no export, no admin page and no audit row reveals the
author, and the minimum still counts it (the blind token)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from office.audit.models import AuditEvent
from office.notifications.models import Notification
from suggestions.models import Submission
from suggestions.selectors import campaign_progress
from suggestions.services.replies import submission_answer, submission_assign, submission_reply

from .factories import open_campaign, submit

pytestmark = pytest.mark.django_db

SECRET_TEXT = "希望解决加班补助长期拖欠的问题"
REAL = "已与财务科核对，下月起按月发放加班补助。"


@pytest.fixture
def anon(office):
    c = open_campaign(office.director)
    item = submit(office.two, c, SECRET_TEXT, anonymous=True)
    submit(office.two, c, "建议每周一召开科室例会", anonymous=True, i=1)
    return item


def _pages(office, item):
    c = item.campaign
    return [
        f"/suggestions/items/{item.pk}/",
        f"/suggestions/{c.pk}/",
        f"/suggestions/{c.pk}/items/",
        f"/suggestions/{c.pk}/summary/",
        f"/suggestions/{c.pk}/summary.docx",
        f"/api/v1/suggestions/campaigns/{c.pk}/items",
        f"/api/v1/suggestions/items/{item.pk}",
        "/audit/",
    ]


def _body(response) -> str:
    import io
    import zipfile

    body = response.content
    if b"<tbody" in body and response.request["PATH_INFO"] == "/audit/":
        # the audit page's filter lists every person; its rows are what must not name the author
        body = body.split(b"<tbody", 1)[1].split(b"</tbody>", 1)[0]
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            return "".join(zf.read(n).decode("utf-8", "ignore") for n in zf.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", "ignore")


def test_no_row_stores_the_author_of_an_anonymous_item(office, anon):
    row = Submission.objects.filter(pk=anon.pk).values().get()
    assert row["author_id"] is None and row["entered_by_id"] is None
    assert row["author_token"] and row["author_token"] != str(office.two.pk)
    assert not Notification.objects.filter(recipient=office.two).exists()


def test_the_audit_rows_of_an_anonymous_submission_do_not_name_the_actor(office, anon):
    rows = AuditEvent.objects.filter(subject_id=str(anon.pk), verb="suggestions.submitted")
    assert rows.count() == 1
    row = rows.get()
    assert row.actor_id is None and row.actor_label == "匿名"
    assert "李二" not in str(row.data) and str(office.two.pk) not in str(row.data.get("author", ""))
    # nor anywhere in the audit trail
    assert not AuditEvent.objects.filter(actor=office.two).exists()


def test_no_role_and_no_page_or_api_or_export_names_the_author(office, anon):
    submission_assign(actor=office.director, submission=anon, assignee=office.deputy)
    submission_reply(actor=office.deputy, submission=anon, code="A", text=REAL)
    submission_answer(actor=office.two, submission=anon, satisfied=True)
    assert AuditEvent.objects.filter(verb="suggestions.answered").get().actor_id is None
    superuser = User.objects.create_superuser("root", "root@example.com", "x")
    for viewer in (office.director, office.deputy, office.chief, office.one, superuser):
        client = Client()
        client.force_login(viewer)
        for url in _pages(office, anon):
            r = client.get(url)
            if r.status_code == 200:
                assert "李二" not in _body(r), (viewer, url)
                assert office.two.username not in _body(r), (viewer, url)
    # the director sees the item, and "匿名" as its author
    client = Client()
    client.force_login(office.director)
    page = client.get(f"/suggestions/items/{anon.pk}/").content.decode()
    assert SECRET_TEXT in page and "匿名" in page


def test_the_admin_shows_no_author_of_any_item(office, anon):
    superuser = User.objects.create_superuser("root", "root@example.com", "x")
    client = Client()
    client.force_login(superuser)
    for url in (
        "/admin/suggestions/submission/",
        f"/admin/suggestions/submission/{anon.pk}/change/",
        "/admin/suggestions/campaign/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "李二" not in r.content.decode() and anon.author_token not in r.content.decode()


def test_the_minimum_still_counts_anonymous_items(office, anon):
    progress = campaign_progress(anon.campaign)
    short = {p.name for p in progress.short}
    assert "李二" not in short  # two anonymous items meet the minimum of two
    assert "王一" in short


def test_the_author_finds_her_anonymous_item_and_nobody_else_does(office, anon):
    client = Client()
    client.force_login(office.two)
    assert SECRET_TEXT in client.get("/suggestions/mine/").content.decode()
    assert client.get(f"/suggestions/items/{anon.pk}/").status_code == 200
    client.force_login(office.one)
    assert SECRET_TEXT not in client.get("/suggestions/mine/").content.decode()
    assert client.get(f"/suggestions/items/{anon.pk}/").status_code == 404


def test_a_named_item_names_its_author_to_the_director_only(office):
    c = open_campaign(office.director)
    item = submit(office.one, c, "请解决停车难的问题")
    submission_assign(actor=office.director, submission=item, assignee=office.deputy)
    client = Client()
    client.force_login(office.director)
    author = (
        client.get(f"/suggestions/items/{item.pk}/").content.decode().split('data-testid="author"')[1][:60]
    )
    assert "王一" in author
    client.force_login(office.deputy)
    author = (
        client.get(f"/suggestions/items/{item.pk}/").content.decode().split('data-testid="author"')[1][:60]
    )
    assert "王一" not in author and "仅主任可见" in author
