"""Every item gets a real reply: codes, a D's or a refusal's reason, no bare "收到"; the author answers
once; an item turned into a supervision item shows that item's status in its reply."""

import pytest
from django.test import Client

from office.errors import Forbidden, NotFound
from office.notifications.models import Notification
from suggestions.forms import ReplyForm
from suggestions.models import SubmissionStatus
from suggestions.selectors import campaign_stats, supervision_status
from suggestions.services.common import SuggestionError
from suggestions.services.replies import (
    submission_answer,
    submission_assign,
    submission_merge,
    submission_reply,
    submission_to_supervision,
    submission_triage,
)

from .factories import open_campaign, submit

pytestmark = pytest.mark.django_db

REAL = "已协调后勤科本月内更换会议室投影仪，月底前完成。"


@pytest.fixture
def item(office):
    c = open_campaign(office.director)
    return submit(office.one, c, "会议室投影仪经常坏，影响开会")


def test_a_d_reply_without_a_reason_is_refused(office, item):
    with pytest.raises(SuggestionError, match="必须说明理由") as exc:
        submission_reply(
            actor=office.director, submission=item, code="D", text="该建议很有价值，我们会认真研究参考。"
        )
    assert exc.value.code == "invalid"
    item.refresh_from_db()
    assert item.replied_at is None and item.reply_code == ""


def test_a_refusal_without_a_reason_is_refused(office, item):
    with pytest.raises(SuggestionError, match="必须说明理由"):
        submission_reply(actor=office.director, submission=item, code="C", text=REAL, refused=True)


@pytest.mark.parametrize("bare", ["收到", "收到。", "已阅", "好的！", "ok"])
def test_a_bare_received_is_refused_by_the_form_and_the_service(office, item, bare):
    form = ReplyForm(data={"code": "B", "text": bare})
    assert not form.is_valid()
    assert "不能只写“收到”" in str(form.errors)
    with pytest.raises(SuggestionError, match="不能只写“收到”"):
        submission_reply(actor=office.director, submission=item, code="B", text=bare)


def test_the_reply_page_refuses_a_bare_received_with_a_chinese_message(office, item):
    client = Client()
    client.force_login(office.director)
    r = client.post(f"/suggestions/items/{item.pk}/reply", {"code": "A", "text": "收到"})
    assert r.status_code == 400
    assert "不能只写“收到”" in r.content.decode()
    item.refresh_from_db()
    assert item.replied_at is None


def test_a_d_with_a_reason_is_accepted_and_the_author_is_told(office, item):
    submission_reply(
        actor=office.director,
        submission=item,
        code="D",
        text="投影仪已列入明年设备更新计划，今年预算已用完。",
        reason="今年设备预算已全部执行完毕，无法追加。",
    )
    item.refresh_from_db()
    assert item.reply_code == "D" and item.status == SubmissionStatus.REPLIED
    assert Notification.objects.filter(recipient=office.one, step__startswith="replied:").exists()


def test_only_the_director_or_the_assigned_deputy_replies(office, item):
    with pytest.raises(NotFound):
        submission_reply(actor=office.deputy, submission=item, code="A", text=REAL)
    submission_assign(actor=office.director, submission=item, assignee=office.deputy)
    submission_reply(actor=office.deputy, submission=item, code="A", text=REAL)
    with pytest.raises(Forbidden, match="只有主任或承办"):
        submission_reply(actor=office.one, submission=item, code="A", text=REAL)


def test_the_author_answers_once(office, item):
    submission_reply(actor=office.director, submission=item, code="A", text=REAL)
    with pytest.raises(Forbidden, match="只有作者本人"):
        submission_answer(actor=office.director, submission=item, satisfied=True)
    submission_answer(actor=office.one, submission=item, satisfied=False, comment="还没换，仍然经常坏")
    with pytest.raises(SuggestionError, match="已回应过"):
        submission_answer(actor=office.one, submission=item, satisfied=True)
    stats = campaign_stats(user=office.director, campaign=item.campaign)
    assert (stats["satisfied"], stats["unsatisfied"], stats["replied"]) == (0, 1, 1)


def test_two_people_editing_the_same_item_the_second_is_told(office, item):
    submission_triage(actor=office.director, submission=item, tags=["硬件环境"], version=1)
    with pytest.raises(SuggestionError, match="已被他人修改") as exc:
        submission_triage(actor=office.director, submission=item, is_marked=True, version=1)
    assert exc.value.code == "conflict"


def test_merge_duplicates_and_statistics_by_tag_and_code(office, item):
    dup = submit(office.two, item.campaign, "投影仪太旧了，开会老出问题")
    submission_triage(actor=office.director, submission=item, tags=["硬件环境"])
    submission_merge(actor=office.director, submission=dup, into=item)
    dup.refresh_from_db()
    assert dup.status == SubmissionStatus.MERGED and dup.merged_into_id == item.pk
    with pytest.raises(Forbidden, match="随主条答复"):
        submission_reply(actor=office.director, submission=dup, code="A", text=REAL)
    submission_reply(actor=office.director, submission=item, code="B", text=REAL)
    stats = campaign_stats(user=office.director, campaign=item.campaign)
    assert stats["by_tag"] == [{"name": "硬件环境", "count": 1}]
    assert {c["code"]: c["count"] for c in stats["by_code"]} == {"A": 0, "B": 1, "C": 0, "D": 0}
    assert stats["by_prompt"][0]["count"] == 2 and stats["merged"] == 1


def test_assigning_starts_the_reply_ladder_and_the_reply_stops_it(office, item):
    from office.clock.models import LadderStatus, SubjectLadder

    submission_assign(actor=office.director, submission=item, assignee=office.deputy)
    ladder = SubjectLadder.objects.get(subject_id=str(item.pk), template_code="suggestions-reply")
    assert ladder.status == LadderStatus.RUNNING
    submission_reply(actor=office.deputy, submission=item, code="A", text=REAL)
    ladder.refresh_from_db()
    assert ladder.status == LadderStatus.STOPPED


def test_an_item_turned_into_a_supervision_item_shows_that_items_status(office, item):
    from supervision.models import FeedbackKind
    from supervision.services.feedback import feedback_submit
    from supervision.services.items import item_close, item_issue

    submission_to_supervision(
        actor=office.director, submission=item, title="更换会议室投影仪", assignee=office.deputy
    )
    item.refresh_from_db()
    assert item.supervision_item_id and item.supervision_item_number
    status = supervision_status(user=office.director, submission=item)
    assert status["label"] == "草稿" and status["code"] == "C"
    item_issue(actor=office.director, item=item.supervision_item_id)
    status = supervision_status(user=office.director, submission=item)
    assert status["label"] == "已交办" and status["code_label"] == "B 正在解决"
    client = Client()
    client.force_login(office.one)  # the author sees it too
    page = client.get(f"/suggestions/items/{item.pk}/").content.decode()
    linked = page.split('data-testid="linked"')[1]
    assert item.supervision_item_number in linked and "已交办" in linked and "B 正在解决" in linked
    feedback_submit(
        actor=office.deputy,
        item=item.supervision_item_id,
        content="投影仪已更换完毕。",
        kind=FeedbackKind.RESULT,
    )
    item_close(actor=office.director, item=item.supervision_item_id)
    assert supervision_status(user=office.director, submission=item)["code"] == "A"
    with pytest.raises(SuggestionError, match="已转为督办事项"):
        submission_to_supervision(
            actor=office.director, submission=item, title="再转一次", assignee=office.deputy
        )
