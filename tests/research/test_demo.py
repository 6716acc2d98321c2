"""The demo office's 政研: a closed call, an approved plan of four topics, one output adopted by the
director's 批示 (counted once), one milestone late whose escalation reaches the deputy in charge."""

from django.utils import timezone

from office.clock.services import clock_tick
from office.notifications.models import Notification
from office.org.demo import build_organisation
from research import demo, selectors
from research.models import CallStatus, PlanStatus, Topic, TopicCall, TopicMilestone


def test_demo_is_a_normal_morning_with_one_late_milestone(db):
    build_organisation()
    demo.populate()
    demo.populate()  # idempotent
    call = TopicCall.objects.get()
    assert call.status == CallStatus.CLOSED and call.proposals.count() == 8
    assert Topic.objects.count() == 4 and Topic.objects.filter(plan__status=PlanStatus.APPROVED).count() == 4
    late = TopicMilestone.objects.filter(done_at__isnull=True, due_at__lt=timezone.now())
    assert [(m.topic.title, m.kind) for m in late] == [("农村集体经济发展壮大的路径研究", "final")]
    clock_tick()
    deputy3 = Notification.objects.filter(
        recipient__username="deputy3", channel="inbox", title__contains="逾期"
    )
    assert deputy3.count() == 1  # the deputy in charge of the 政研室
    assert not Notification.objects.filter(recipient__username="deputy1", title__contains="农村集体").exists()
    director = Topic.objects.get(title__startswith="县域经济").plan.decided_by
    stats = selectors.statistics(user=director, year=call.year)
    assert stats["totals"]["adopted_outputs"] == 1 and stats["totals"]["instructions"] == 1
    assert stats["totals"]["done_on_time"] == 1
