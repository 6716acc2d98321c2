"""The pages as people use them: the 政研室 adds a topic to the plan on its page, the director approves,
the topic page shows milestones with countdowns; the statistics page for managers only."""

from django.urls import reverse
from django.utils import timezone

from research.models import PlanStatus, ResearchPlan, Topic
from research.services.plans import plan_create


def test_chief_adds_a_topic_on_the_page_and_director_approves(office, client):
    w = office
    plan_create(actor=w.chief, year=2026)
    client.force_login(w.chief)
    url = reverse("research:topic-new", kwargs={"year": 2026})
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {
            "title": "县域经济高质量发展研究",
            "kind": "major",
            "lead": w.researcher.pk,
            "team": [w.clerk.pk, w.liaison.pk],
            "external_members": "某大学刘教授",
            "commissioned_by": w.director.pk,
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    topic = Topic.objects.get()
    assert set(topic.team.all()) == {w.clerk, w.liaison} and topic.commissioned_by == w.director
    bad = client.post(
        url, {"title": "短", "kind": "major", "lead": w.researcher.pk, "started_on": "2026-03-02"}
    )
    assert bad.status_code == 400 and "至少 4 个字" in bad.content.decode()
    client.post(reverse("research:plan-submit", kwargs={"year": 2026}))
    client.force_login(w.director)
    page = client.get(reverse("research:plan", kwargs={"year": 2026})).content.decode()
    assert "审定通过" in page and "县域经济高质量发展研究" in page
    client.post(reverse("research:plan-approve", kwargs={"year": 2026}))
    assert ResearchPlan.objects.get().status == PlanStatus.APPROVED
    # a department's person on the team sees the topic; the other township's liaison does not
    client.force_login(w.liaison)
    topic_page = client.get(reverse("research:topic", kwargs={"pk": topic.pk}))
    body = topic_page.content.decode()
    assert topic_page.status_code == 200 and "剩余" in body and "剩余 0" not in body  # a real countdown
    client.force_login(w.liaison2)
    assert client.get(reverse("research:topic", kwargs={"pk": topic.pk})).status_code == 404


def test_stats_page_for_managers_only(office, client, approved_topic):
    client.force_login(office.clerk)
    assert client.get(reverse("research:stats")).status_code == 403
    client.force_login(office.deputy)
    r = client.get(reverse("research:stats") + "?year=2026")
    assert r.status_code == 200 and "李研究员" in r.content.decode()
