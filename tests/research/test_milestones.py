"""Milestones on the clock: a missed milestone reminds the lead at its due time, then escalates to the
deputy in charge of the 政研室; done stops the ladder."""

import time_machine

from office.clock.services import clock_tick
from office.notifications.models import Notification
from research.models import TopicStatus
from research.services.topics import milestone_done, topic_finish

from .conftest import at


def _titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_missed_milestone_reminds_lead_then_escalates_to_deputy_in_charge(approved_topic, office):
    w = office
    outline = approved_topic.milestones.get(kind="outline")
    assert approved_topic.status == TopicStatus.IN_PROGRESS
    due = outline.due_at  # 2026-04-01 closing time
    with time_machine.travel(due.replace(minute=0) - __import__("datetime").timedelta(hours=1), tick=False):
        clock_tick()
    assert _titles(w.researcher) == []  # not yet due
    with time_machine.travel(due + __import__("datetime").timedelta(minutes=1), tick=False):
        clock_tick()
    lead_titles = _titles(w.researcher)
    assert len(lead_titles) == 1 and "提纲" in lead_titles[0] and "到期" in lead_titles[0]
    assert _titles(w.deputy) == []  # the escalation waits one working day
    with time_machine.travel(at(2026, 4, 3, 9, 0), tick=False):
        clock_tick()
    deputy_titles = _titles(w.deputy)
    assert len(deputy_titles) == 1 and "逾期" in deputy_titles[0]
    assert _titles(w.other_deputy) == []  # not in charge of the 政研室
    assert len(_titles(w.researcher)) == 1  # the lead is not told twice


def test_milestone_done_before_due_stops_its_reminders(approved_topic, office):
    w = office
    outline = approved_topic.milestones.get(kind="outline")
    with time_machine.travel(at(2026, 3, 20, 10, 0), tick=False):
        milestone_done(actor=w.researcher, milestone=outline)
    with time_machine.travel(at(2026, 4, 10, 10, 0), tick=False):
        clock_tick()
    assert not any("提纲" in t for t in _titles(w.researcher))
    assert not any("提纲" in t for t in _titles(w.deputy))


def test_finish_marks_on_time_from_final_milestone(approved_topic, office):
    w = office
    final = approved_topic.milestones.get(kind="final")
    with time_machine.travel(final.due_at + __import__("datetime").timedelta(days=2), tick=False):
        milestone_done(actor=w.researcher, milestone=final)
        topic = topic_finish(actor=w.chief, topic=approved_topic)
    assert topic.status == TopicStatus.DONE and topic.done_on_time is False
