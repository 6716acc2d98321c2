"""Helpers building the campaign of the speech through the services."""

import time_machine

from suggestions.models import Visibility
from suggestions.services.campaigns import campaign_open, submission_submit

from .conftest import at

OPENED = at(2026, 3, 5, 10, 0)  # a Thursday; deadline Wednesday 11 March 18:00
DURING = at(2026, 3, 6, 10, 0)


def open_campaign(director, **kw):
    with time_machine.travel(OPENED, tick=False):
        return campaign_open(actor=director, title=kw.pop("title", "出点子、吐心声"), **kw)


def prompt(campaign, i=0) -> int:
    return campaign.prompts.order_by("order")[i].pk


def submit(user, campaign, text, *, anonymous=False, i=0, when=DURING):
    with time_machine.travel(when, tick=False):
        return submission_submit(
            actor=user,
            campaign=campaign,
            prompt=prompt(campaign, i),
            text=text,
            visibility=Visibility.ANONYMOUS if anonymous else Visibility.NAMED,
        )
