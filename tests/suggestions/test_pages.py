"""The pages: submit on a phone-sized form, the campaign page's query count does not grow with staff,
the summary and its .docx show counts and no author, the clerk enters items received on paper."""

import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import CaptureQueriesContext

from office.org.models import Role
from suggestions.models import Channel, Submission
from suggestions.services.replies import submission_reply, submission_triage
from tests.factories import make_user

from .conftest import at
from .factories import open_campaign, prompt, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def test_a_participant_submits_on_the_page_and_an_empty_form_is_refused_in_chinese(office):
    c = open_campaign(office.director)
    client = Client()
    client.force_login(office.one)
    with time_machine.travel(at(2026, 3, 6, 10, 0), tick=False):
        r = client.post(f"/suggestions/{c.pk}/submit", {"prompt": prompt(c), "text": ""})
        assert r.status_code == 400 and "请填写意见内容" in r.content.decode()
        assert not Submission.objects.exists()
        r = client.post(
            f"/suggestions/{c.pk}/submit",
            {
                "prompt": prompt(c, 2),
                "text": "希望主任多到科室走走",
                "visibility": "named",
                "attachments": SimpleUploadedFile("意见.pdf", PDF),
            },
        )
    assert r.status_code == 302
    s = Submission.objects.get()
    assert s.author_id == office.one.pk and s.attachments.count() == 1


def test_the_secretary_enters_a_paper_item_for_its_author_with_the_original(office):
    c = open_campaign(office.director, clerks=[office.secretary])
    client = Client()
    client.force_login(office.secretary)
    with time_machine.travel(at(2026, 3, 6, 10, 0), tick=False):
        data = {
            "author": office.two.staff.pk,
            "channel": Channel.PAPER,
            "prompt": prompt(c),
            "text": "纸质意见：改善食堂",
        }
        r = client.post(f"/suggestions/{c.pk}/enter", data)
        assert r.status_code == 400 and "请上传原件" in r.content.decode()
        r = client.post(
            f"/suggestions/{c.pk}/enter", {**data, "attachments": SimpleUploadedFile("scan.pdf", PDF)}
        )
    assert r.status_code == 302
    s = Submission.objects.get()
    assert (s.author_id, s.entered_by_id, s.channel) == (office.two.pk, office.secretary.pk, Channel.PAPER)
    client.force_login(office.one)  # not a clerk
    assert client.get(f"/suggestions/{c.pk}/enter").status_code == 403


def _campaign_page_queries(office, c) -> int:
    """The page's queries once warm (the least of two reads: a session or cache write of the test
    client's own may land in either)."""
    from django.db import connection

    client = Client()
    client.force_login(office.director)
    url = f"/suggestions/{c.pk}/"
    client.get(url)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        assert r.status_code == 200 and 'data-testid="short-list"' in r.content.decode()
        counts.append(len(ctx))
    return min(counts)


def test_the_campaign_page_takes_as_many_queries_for_many_staff_as_for_few(office):
    c = open_campaign(office.director)
    submit(office.one, c, "第一条意见内容")
    with time_machine.travel(at(2026, 3, 12, 9, 0), tick=False):
        few = _campaign_page_queries(office, c)
        for i in range(30):
            user = make_user(Role.STAFF, unit=office.info)
            if i % 2:
                submit(user, c, f"意见{i}", anonymous=bool(i % 3), when=at(2026, 3, 6, 10, 0))
        many = _campaign_page_queries(office, c)
    assert few == many


def test_the_summary_and_its_docx_show_counts_marked_items_and_no_author(office):
    c = open_campaign(office.director)
    a = submit(office.one, c, "建议建立周例会制度，及时沟通")
    submit(office.two, c, "加班补助长期拖欠", anonymous=True)
    submission_triage(actor=office.director, submission=a, tags=["工作机制"], is_marked=True)
    submission_reply(
        actor=office.director, submission=a, code="C", text="周例会制度列入下月工作计划，由综合科起草。"
    )
    client = Client()
    client.force_login(office.director)
    page = client.get(f"/suggestions/{c.pk}/summary/").content.decode()
    assert "工作机制：1" in page and "C 列入计划：1" in page and "建议建立周例会制度" in page
    r = client.get(f"/suggestions/{c.pk}/summary.docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        xml = zf.read("word/document.xml").decode()
    assert "建议建立周例会制度" in xml and "共收到意见2条" in xml
    assert "李二" not in xml and "王一" not in xml
    client.force_login(office.deputy)
    assert client.get(f"/suggestions/{c.pk}/summary.docx").status_code == 403


def test_the_director_opens_a_campaign_on_the_page_for_chosen_sections_with_a_clerk(office):
    client = Client()
    client.force_login(office.director)
    with time_machine.travel(at(2026, 3, 5, 10, 0), tick=False):
        page = client.get("/suggestions/new/").content.decode()
        assert "2026年03月11日" in page  # the default deadline, shown before opening
        r = client.post(
            "/suggestions/new/",
            {
                "title": "出点子、吐心声",
                "prompts": "当前办公室最需要解决的问题\n个人最希望得到解决的问题",
                "min_per_person": 2,
                "units": [office.general.pk, 999999],
                "clerks": [office.secretary.pk],
            },
        )
    assert r.status_code == 302
    from suggestions.access import participants_qs
    from suggestions.models import Campaign

    c = Campaign.objects.get()
    assert list(c.clerks.all()) == [office.secretary]
    names = set(participants_qs(c).values_list("name", flat=True))
    assert names == {"郑科长", "王一", "李二", "张三"}  # 综合科 only
