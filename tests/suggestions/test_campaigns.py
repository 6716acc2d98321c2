"""The speech's campaign with time moved: the deadline, the reminders through the clock's ladder, the
short list after the deadline, late items."""

import pytest
import time_machine
from django.test import Client

from office.clock.services import clock_tick
from office.errors import Forbidden
from office.notifications.models import Notification
from office.workdays.models import WorkdayOverride
from suggestions.models import Campaign, Visibility
from suggestions.services.campaigns import campaign_open, default_deadline, submission_submit

from .conftest import at

pytestmark = pytest.mark.django_db


def _open(director, when):
    with time_machine.travel(when, tick=False):
        return campaign_open(actor=director, title="出点子、吐心声")


def _prompt(c, i=0):
    return c.prompts.order_by("order")[i].pk


def test_opened_on_a_thursday_the_deadline_is_next_wednesday_1800(office):
    c = _open(office.director, at(2026, 3, 5, 10, 0))  # a Thursday
    assert c.deadline == at(2026, 3, 11, 18, 0)  # Wednesday of the next week, 18:00
    assert [p.text for p in c.prompts.order_by("order")] == [
        "当前办公室最需要解决的问题",
        "个人最希望得到解决的问题",
        "最想对办公室主任说的话",
    ]
    assert c.min_per_person == 2


def test_opened_on_a_monday_the_deadline_is_the_wednesday_of_the_following_week(office):
    assert default_deadline(at(2026, 3, 2, 9, 0)) == at(2026, 3, 11, 18, 0)


def test_a_statutory_holiday_moves_the_deadline_to_the_next_working_day(office):
    # opened Thursday 2025-09-25: next Wednesday is 1 October (National Day, off until 8 October)
    assert default_deadline(at(2025, 9, 25, 10, 0)) == at(2025, 10, 9, 18, 0)


def test_an_override_holiday_on_the_wednesday_moves_the_deadline(office):
    WorkdayOverride.objects.create(date=at(2026, 3, 11, 0, 0).date(), is_working_day=False, note="调休")
    assert default_deadline(at(2026, 3, 5, 10, 0)) == at(2026, 3, 12, 18, 0)


def test_only_the_director_opens_a_campaign(office):
    with pytest.raises(Forbidden, match="只有主任"):
        campaign_open(actor=office.deputy, title="x")


def test_the_director_is_not_a_participant_and_cannot_submit(office):
    c = _open(office.director, at(2026, 3, 5, 10, 0))
    with pytest.raises(Forbidden, match="不在本次征集活动"):
        submission_submit(actor=office.director, campaign=c, prompt=_prompt(c), text="自己给自己提意见")


def _tick_at(when):
    with time_machine.travel(when, tick=False):
        clock_tick()


def _reminded(user, campaign):
    return Notification.objects.filter(
        recipient=user, subject_id=str(campaign.pk), step__startswith="remind:"
    )


def test_the_clock_reminds_those_below_the_minimum_two_days_one_day_and_the_morning_before(office):
    c = _open(office.director, at(2026, 3, 5, 10, 0))
    with time_machine.travel(at(2026, 3, 6, 10, 0), tick=False):
        submission_submit(actor=office.one, campaign=c, prompt=_prompt(c), text="食堂饭菜需要改进")
        submission_submit(actor=office.two, campaign=c, prompt=_prompt(c), text="会议室投影仪需要更新")
        # the second item anonymous: the minimum still counts it
        submission_submit(
            actor=office.two,
            campaign=c,
            prompt=_prompt(c, 1),
            text="希望解决加班补助",
            visibility=Visibility.ANONYMOUS,
        )
    _tick_at(at(2026, 3, 8, 23, 0))  # before the first reminder: nothing
    assert not Notification.objects.filter(step__startswith="remind:").exists()
    _tick_at(at(2026, 3, 9, 9, 1))  # Monday 09:00, two days before
    assert _reminded(office.one, c).count() == 1  # one item: reminded
    assert not _reminded(office.two, c).exists()  # two items (one anonymous): not
    assert _reminded(office.none, c).count() == 1
    assert not _reminded(office.director, c).exists()
    _tick_at(at(2026, 3, 10, 9, 1))
    _tick_at(at(2026, 3, 11, 9, 1))  # the deadline's morning
    assert _reminded(office.one, c).count() == 3
    assert not _reminded(office.two, c).exists()
    _tick_at(at(2026, 3, 11, 9, 2))  # a second tick sends nothing again
    assert _reminded(office.one, c).count() == 3


def test_the_reminder_ladder_comes_from_the_admin_editable_template(office):
    from office.clock.models import LadderTemplate, SubjectLadder

    template = LadderTemplate.objects.get(code="suggestions-campaign")
    assert [s.name for s in template.steps.order_by("order")] == [
        "截止前两天提醒",
        "截止前一天提醒",
        "截止当天上午提醒",
    ]
    c = _open(office.director, at(2026, 3, 5, 10, 0))
    ladder = SubjectLadder.objects.get(subject_id=str(c.pk), template_code="suggestions-campaign")
    assert [s.due_at for s in ladder.steps.order_by("order")] == [
        at(2026, 3, 9, 9, 0),
        at(2026, 3, 10, 9, 0),
        at(2026, 3, 11, 9, 0),
    ]


def test_after_the_deadline_the_short_list_names_the_right_people_and_no_text(office):
    c = _open(office.director, at(2026, 3, 5, 10, 0))
    with time_machine.travel(at(2026, 3, 6, 10, 0), tick=False):
        submission_submit(actor=office.one, campaign=c, prompt=_prompt(c), text="打印机经常卡纸请更换")
        for text in ("建议建立周例会制度", "值班室需要空调"):
            submission_submit(actor=office.two, campaign=c, prompt=_prompt(c), text=text)
    client = Client()
    client.force_login(office.director)
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):  # before the deadline: no list yet
        page = client.get(f"/suggestions/{c.pk}/").content.decode()
        assert 'data-testid="short-list"' not in page
    with time_machine.travel(at(2026, 3, 11, 18, 1), tick=False):
        page = client.get(f"/suggestions/{c.pk}/").content.decode()
        short = page.split('data-testid="short-list"')[1]
        for name in ("王一", "张三", "赵四", "郑科长", "吴副主任", "钱秘书"):
            assert name in short
        assert "李二" not in short
        assert "周主任" not in short
        for text in ("打印机经常卡纸请更换", "建议建立周例会制度", "值班室需要空调"):
            assert text not in page
        # the section chief sees his own section only
        client.force_login(office.chief)
        short = client.get(f"/suggestions/{c.pk}/").content.decode().split('data-testid="short-list"')[1]
        assert "王一" in short and "张三" in short
        assert "赵四" not in short and "钱秘书" not in short
        # a staff member sees no short list
        client.force_login(office.one)
        assert 'data-testid="short-list"' not in client.get(f"/suggestions/{c.pk}/").content.decode()


def test_a_late_item_is_accepted_and_marked_late(office):
    c = _open(office.director, at(2026, 3, 5, 10, 0))
    with time_machine.travel(at(2026, 3, 12, 9, 0), tick=False):
        s = submission_submit(actor=office.one, campaign=c, prompt=_prompt(c), text="迟到的意见也请看看")
    assert s.is_late
    assert Campaign.objects.get(pk=c.pk).submissions.count() == 1


def test_the_deadline_is_shown_as_a_clear_date(office):
    c = _open(office.director, at(2026, 3, 5, 10, 0))
    client = Client()
    client.force_login(office.one)
    page = client.get(f"/suggestions/{c.pk}/").content.decode()
    assert "2026年03月11日" in page and "18:00" in page


def test_demo_office_opens_the_speech_campaign_once_with_an_anonymous_item():
    from office.org.demo import build_organisation
    from suggestions import demo
    from suggestions.models import Campaign, Submission

    build_organisation()
    demo.populate()
    demo.populate()
    campaign = Campaign.objects.get(title=demo.TITLE)
    assert campaign.prompts.count() == 3
    items = Submission.objects.filter(campaign=campaign)
    assert items.count() == 3
    anonymous = items.get(visibility="anonymous")
    assert anonymous.author_id is None  # the blind token only


def test_a_missing_reminder_template_is_created_again_but_a_deactivated_one_stays_off(office):
    """A database flushed after the migrations (or a template deleted in the admin) must not stop the
    director opening a campaign; a template an administrator switched off is not switched back on."""
    from office.clock.models import LadderTemplate, SubjectLadder
    from office.clock.services import ClockError

    LadderTemplate.objects.filter(code__startswith="suggestions-").delete()
    c = _open(office.director, at(2026, 3, 5, 10, 0))
    assert SubjectLadder.objects.filter(subject_id=str(c.pk), template_code="suggestions-campaign").exists()
    assert LadderTemplate.objects.get(code="suggestions-campaign").steps.count() == 3
    LadderTemplate.objects.filter(code="suggestions-campaign").update(is_active=False)
    with pytest.raises(ClockError, match="不存在或已停用"):
        _open(office.director, at(2026, 3, 5, 10, 0))
    assert not LadderTemplate.objects.get(code="suggestions-campaign").is_active
