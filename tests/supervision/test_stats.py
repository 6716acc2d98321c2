import datetime as dt

import pytest

from supervision.models import FeedbackKind
from supervision.selectors import unit_stats_for_user
from supervision.services import feedback_submit, item_close, ladder_register_miss

from .conftest import at
from .factories import make_item

pytestmark = pytest.mark.django_db


def test_unit_statistics_rates_notices_and_overdue(clock, director, unit_a, unit_b, user_a):
    on_time = make_item(actor=director, lead_unit=unit_a, issue=True, due=dt.date(2026, 3, 20))
    late = make_item(actor=director, lead_unit=unit_a, issue=True, due=dt.date(2026, 3, 20))
    open_b = make_item(actor=director, lead_unit=unit_b, issue=True, due=dt.date(2026, 3, 20))
    feedback_submit(actor=user_a, item=on_time, content="完成", kind=FeedbackKind.RESULT)
    item_close(actor=director, item=on_time)
    first = ladder_register_miss(item=open_b, trigger="测试")
    ladder_register_miss(item=open_b, trigger="测试", from_step=first)  # a notice for unit B
    clock.move_to(at(2026, 3, 24, 17, 30))  # 4 days after the due date (17:30)
    feedback_submit(actor=user_a, item=late, content="完成", kind=FeedbackKind.RESULT)
    item_close(actor=director, item=late)
    clock.move_to(at(2026, 3, 26, 17, 30))
    rows = {r["label"]: r for r in unit_stats_for_user(user=director)}
    a, b = rows["甲镇"], rows["乙镇"]
    assert (a["items"], a["closed"], a["on_time"]) == (2, 2, 1)
    assert (a["on_time_rate"], a["completion_rate"]) == (50.0, 100.0)
    assert a["avg_days_overdue"] == 4.0 and a["notices"] == 0
    assert (b["items"], b["closed"], b["notices"], b["circulars"]) == (1, 0, 1, 0)
    assert b["avg_days_overdue"] == 6.0
    assert [r["label"] for r in unit_stats_for_user(user=director)] == ["甲镇", "乙镇"]
    assert [r["label"] for r in unit_stats_for_user(user=user_a)] == ["甲镇"]


def test_statistics_by_category_and_leader(clock, director, unit_a):
    make_item(actor=director, lead_unit=unit_a, issue=True, category="urban", instructing_leader="市长")
    make_item(actor=director, lead_unit=unit_a, issue=True, category="urban", instructing_leader="书记")
    make_item(actor=director, lead_unit=unit_a, issue=True, category="project", instructing_leader="市长")
    by_cat = {r["key"]: r["items"] for r in unit_stats_for_user(user=director, group_by="category")}
    assert by_cat == {"urban": 2, "project": 1}
    by_leader = {r["key"]: r["items"] for r in unit_stats_for_user(user=director, group_by="leader")}
    assert by_leader == {"市长": 2, "书记": 1}


def test_on_time_rate_counts_only_decided_items_and_a_unit_with_none_shows_a_dash(
    clock, director, unit_a, unit_b, user_a, client
):
    """An item still open before its deadline has not been late: it is left out of the on-time rate (it
    counts in the completion rate). A unit with nothing closed or past due has no rate ("—"), and ranks
    after the units that have one — not last with 0.0 % as if it had missed everything."""
    done = make_item(actor=director, lead_unit=unit_a, issue=True, due=dt.date(2026, 3, 20))
    make_item(actor=director, lead_unit=unit_a, issue=True, due=dt.date(2026, 4, 30))  # open, not yet due
    make_item(actor=director, lead_unit=unit_b, issue=True, due=dt.date(2026, 4, 30))  # open, not yet due
    feedback_submit(actor=user_a, item=done, content="完成", kind=FeedbackKind.RESULT)
    item_close(actor=director, item=done)
    clock.move_to(at(2026, 3, 26, 17, 30))
    rows = unit_stats_for_user(user=director)
    assert [(r["label"], r["decided"], r["on_time_rate"], r["completion_rate"]) for r in rows] == [
        ("甲镇", 1, 100.0, 50.0),
        ("乙镇", 0, None, 0.0),
    ]
    client.force_login(director)
    page = client.get("/supervision/stats/").content.decode()
    row_b = page[page.index("乙镇") :].split("</tr>")[0]
    assert "<td>1</td><td>0</td><td>—</td><td>0.0%</td>" in row_b  # items, closed, on-time rate, completion
    assert 'data-testid="stats-definition"' in page
