import datetime as dt

from supervision.models import Category, Source
from supervision.services import item_create, item_issue


def make_item(*, actor=None, lead_unit=None, issue=False, milestones=(), due=None, **kwargs):
    defaults = {
        "title": "某某产业园招商项目签约落地",
        "requirement": "按市委常委会决定，加快推进项目签约落地。",
        "source": Source.STANDING_COMMITTEE,
        "category": Category.INVESTMENT,
        "source_date": dt.date(2026, 3, 2),
        "source_ref": "市委常委会第12次会议",
        "instructing_leader": "王书记",
        "lead_person": "李局长",
    }
    defaults.update(kwargs)
    item = item_create(actor=actor, lead_unit=lead_unit, milestones=milestones, due=due, **defaults)
    if issue:
        item = item_issue(actor=actor, item=item)
    return item
