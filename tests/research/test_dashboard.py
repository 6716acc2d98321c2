"""The dashboard's research panel (managers: topics behind plan) and my work (one's milestones)."""

import time_machine

from office.dashboard.registry import my_work_providers, panels
from research.services.topics import milestone_done

from .conftest import at


def test_panel_lists_topics_behind_plan_and_my_work_the_lead_milestones(approved_topic, office):
    w = office
    build = {p.code: p.build for p in panels()}["research"]
    work = my_work_providers()["research"]
    with time_machine.travel(at(2026, 3, 20, 9, 0), tick=False):
        assert build(w.director, None)["behind_count"] == 0
        items = work(w.researcher, None)
        assert [i.title.split(" · ")[1] for i in items] == ["提纲"] and not items[0].overdue
        assert work(w.clerk, None) == []  # a team member, not the lead
        assert build(w.clerk, None) is None  # not a manager
    with time_machine.travel(at(2026, 4, 2, 9, 0), tick=False):
        panel = build(w.director, None)
        assert panel["behind_count"] == 1 and panel["behind"][0] == approved_topic
        assert work(w.researcher, None)[0].overdue
        milestone_done(actor=w.researcher, milestone=approved_topic.milestones.get(kind="outline"))
        assert build(w.director, None)["behind_count"] == 0
