"""The speech's campaign in the demo office: the director opened "出点子、吐心声" (the three prompts, every
member of staff, at least 2 each, next Wednesday 18:00); staff01 has written two items, staff02 one
anonymous item (still short of the minimum), so the page shows progress and the reminders are armed.
Idempotent: a campaign of that title already present is left alone."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Campaign, Visibility
from .services.campaigns import campaign_open, submission_submit

TITLE = "出点子、吐心声"


@transaction.atomic
def populate(stdout=None) -> None:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["director", "staff01", "staff02"])
    }
    if len(users) < 3 or Campaign.objects.filter(title=TITLE).exists():
        return
    campaign = campaign_open(actor=users["director"], title=TITLE)
    first, second, third = list(campaign.prompts.order_by("id"))[:3]
    submission_submit(
        actor=users["staff01"],
        campaign=campaign,
        prompt=first,
        text="公文流转环节多、纸质签批慢，建议全面推行网上办文，领导在手机上也能签批。",
    )
    submission_submit(
        actor=users["staff01"],
        campaign=campaign,
        prompt=third,
        text="希望主任每月抽一个下午，和年轻干部座谈，听听大家对办公室工作的想法。",
    )
    submission_submit(
        actor=users["staff02"],
        campaign=campaign,
        prompt=second,
        text="值班任务重，连续夜班后第二天能否安排调休，保证大家休息。",
        visibility=Visibility.ANONYMOUS,
    )
    if stdout is not None:
        stdout.write("出点子、吐心声：征集活动 1 个（意见 3 条，其中匿名 1 条）。")
