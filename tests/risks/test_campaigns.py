"""Review campaigns (issue 11): staff review their own posts' risks by a deadline, chased by the clock's
ladder template ``risks-campaign``; the section chief approves (the risk takes the reviewed numbers and
its next review date) or returns with a reason."""

import datetime as dt

import pytest
import time_machine

from office.clock.models import SubjectLadder
from office.clock.services import clock_tick
from office.errors import Forbidden, NotFound
from office.notifications.models import Notification
from office.risks import access
from office.risks.models import Level, ReviewStatus, RiskReview
from office.risks.services.campaigns import campaign_close, campaign_open, review_decide, review_submit
from office.risks.services.common import RiskError

from .conftest import at

pytestmark = pytest.mark.django_db


def _steps(user, campaign) -> list[str]:
    return list(
        Notification.objects.filter(
            recipient=user, subject_id=str(campaign.pk), step__startswith="remind", channel="inbox"
        )
        .order_by("id")
        .values_list("step", flat=True)
    )


def test_campaign_reviews_every_risk_of_its_sections_and_chases_then_escalates(office):
    """Rule: opening creates one review per active risk of the chosen sections; the ladder reminds the
    holders still waiting at −48 h and −8 h and their section chief 24 h after the deadline; a holder who
    submitted is not reminded again."""
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False) as traveller:
        campaign = campaign_open(
            actor=office.director,
            title="2026 年岗位风险排查",
            deadline=at(2026, 12, 11, 18, 0),
            sections=[office.general],
        )
        reviews = RiskReview.objects.filter(campaign=campaign)
        assert {r.risk for r in reviews} == {office.av, office.late}  # not 机要科's risk
        assert campaign.deadline == at(2026, 12, 11, 18, 0)

        traveller.move_to(at(2026, 12, 9, 18, 0))  # −48 h
        clock_tick()
        assert len(_steps(office.meeting_clerk, campaign)) == 1
        assert len(_steps(office.duty_clerk, campaign)) == 1
        review_submit(
            actor=office.duty_clerk,
            review=reviews.get(risk=office.late),
            likelihood=2,
            impact=5,
            controls_effective=True,
            assessment="按时限报告，未发现迟报。",
        )
        traveller.move_to(at(2026, 12, 11, 10, 0))  # −8 h
        clock_tick()
        assert len(_steps(office.meeting_clerk, campaign)) == 2
        assert len(_steps(office.duty_clerk, campaign)) == 1  # submitted: not chased again
        assert _steps(office.chief, campaign) == []

        traveller.move_to(at(2026, 12, 12, 18, 0))  # deadline + 24 h: the chief is told
        clock_tick()
        assert len(_steps(office.chief, campaign)) == 1
        assert _steps(office.director, campaign) == []


def test_the_ladder_stops_when_every_review_is_in_and_when_the_campaign_closes(office):
    """Rule: no review waiting → the chase stops; closing stops it too."""
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        campaign = campaign_open(
            actor=office.director,
            title="会务岗排查",
            deadline=at(2026, 12, 11, 18, 0),
            sections=[office.general],
        )
        for review in RiskReview.objects.filter(campaign=campaign).select_related("risk__post"):
            holder = review.risk.post.holders.get()
            review_submit(
                actor=holder,
                review=review,
                likelihood=2,
                impact=3,
                controls_effective=True,
                assessment="措施落实到位。",
            )
        assert SubjectLadder.objects.get(subject_id=str(campaign.pk)).status == "stopped"
        other = campaign_open(actor=office.deputy, title="全办排查", deadline=at(2026, 12, 20, 18, 0))
        assert other.reviews.count() == 3
        campaign_close(actor=office.deputy, campaign=other)
        assert SubjectLadder.objects.filter(subject_id=str(other.pk), status="stopped").exists()
        with pytest.raises(Forbidden, match="只有主任、副主任"):
            campaign_close(actor=office.chief, campaign=campaign)


def test_only_leaders_open_a_campaign(office):
    """Rule: the leaders open campaigns; a chief or a clerk is refused."""
    for person in (office.chief, office.meeting_clerk):
        with pytest.raises(Forbidden, match="只有主任、副主任可以发起"):
            campaign_open(actor=person, title="x", deadline=at(2030, 1, 1))


def test_holder_submits_chief_approves_and_the_risk_takes_the_reviewed_numbers(office):
    """Rule: approval writes the reviewed likelihood and impact to the risk (level recomputed: 4×4=16 高)
    and sets its next review 3 months on (高); the approval is audited."""
    from office.audit.models import AuditEvent

    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        campaign = campaign_open(actor=office.director, title="排查", deadline=at(2026, 12, 11, 18, 0))
        review = RiskReview.objects.get(campaign=campaign, risk=office.av)
        review_submit(
            actor=office.meeting_clerk,
            review=review,
            likelihood=4,
            impact=4,
            controls_effective=False,
            assessment="培训会视频音响中断，会前测试未用实际课件。",
        )
        review_decide(actor=office.chief, review=review, approve=True, note="同意，补充会前联调。")
    office.av.refresh_from_db()
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED and review.decided_by == office.chief
    assert (office.av.likelihood, office.av.impact, office.av.level) == (4, 4, Level.HIGH)
    assert office.av.last_reviewed_at == at(2026, 12, 1, 9, 0)
    assert office.av.next_review_at == at(2027, 3, 1, 9, 0)
    event = AuditEvent.objects.get(verb="risks.review_approved")
    assert event.data["before"]["level"] == "medium" and event.data["after"]["level"] == "high"


def test_who_may_submit_and_decide(office):
    """Rule: only a holder of the post submits (403 for a colleague of the section, 404 outside it); the
    chief of the post's section or a leader decides, never the reviewer; a return needs a reason."""
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        campaign = campaign_open(actor=office.director, title="排查", deadline=at(2026, 12, 11, 18, 0))
        review = RiskReview.objects.get(campaign=campaign, risk=office.av)
        args = {"likelihood": 3, "impact": 4, "controls_effective": True, "assessment": "落实到位，无异常。"}
        with pytest.raises(Forbidden, match="只有本岗位的在岗人员"):
            review_submit(actor=office.duty_clerk, review=review, **args)
        with pytest.raises(NotFound):
            review_submit(actor=office.secret_clerk, review=review, **args)
        with pytest.raises(NotFound):
            review_submit(actor=office.unit_user, review=review, **args)
        with pytest.raises(RiskError, match="请写明自查情况"):
            review_submit(actor=office.meeting_clerk, review=review, **{**args, "assessment": ""})
        with pytest.raises(RiskError, match="1–5"):
            review_submit(actor=office.meeting_clerk, review=review, **{**args, "likelihood": 6})
        review_submit(actor=office.meeting_clerk, review=review, **args)
        with pytest.raises(Forbidden, match="已提交"):
            review_submit(actor=office.meeting_clerk, review=review, **args)
        with pytest.raises(Forbidden, match="只有本科室科长或办公室领导"):
            review_decide(actor=office.duty_clerk, review=review, approve=True)
        with pytest.raises(RiskError, match="退回须写明理由"):
            review_decide(actor=office.chief, review=review, approve=False, note="")
        review_decide(actor=office.chief, review=review, approve=False, note="请补充会前测试记录。")
        review.refresh_from_db()
        assert review.status == ReviewStatus.RETURNED
        assert Notification.objects.filter(recipient=office.meeting_clerk, subject_id=str(review.pk)).exists()
        # returned: the holder submits again
        review_submit(actor=office.meeting_clerk, review=review, **args)
        # the chief's own review is decided by a leader, never by himself
        office.meeting_post.holders.add(office.chief)
        leak_campaign = campaign_open(
            actor=office.director,
            title="科长自查",
            deadline=at(2026, 12, 11, 18, 0),
            sections=[office.general],
        )
        own = RiskReview.objects.get(campaign=leak_campaign, risk=office.av)
        review_submit(actor=office.chief, review=own, **args)
        with pytest.raises(Forbidden, match="不能审核本人提交的自查"):
            review_decide(actor=office.chief, review=own, approve=True)
        review_decide(actor=office.deputy, review=own, approve=True)


def test_register_scope(office):
    """Rule: staff see their section's register, a leader all, a unit nothing."""
    from office.risks.models import Risk

    def codes(actor):
        return set(access.risk_scope(actor=actor, qs=Risk.objects.all()).values_list("code", flat=True))

    assert codes(office.director) == {"av-failure", "late-report", "leak"}
    assert codes(office.meeting_clerk) == {"av-failure", "late-report"}
    assert codes(office.chief) == {"av-failure", "late-report"}
    assert codes(office.secret_clerk) == {"leak"}
    assert codes(office.unit_user) == set()


def test_review_due_timer_reminds_the_owner(office):
    """Rule: a risk's review falls due 6 months after its last (3 for 高): the clock reminds its owner."""
    due = office.av.next_review_at
    assert dt.timedelta(days=180) <= due - office.av.last_reviewed_at <= dt.timedelta(days=185)
    with time_machine.travel(due + dt.timedelta(minutes=1), tick=False):
        clock_tick()
    note = Notification.objects.get(
        recipient=office.meeting_clerk, step__startswith="review_due", channel="inbox"
    )
    assert "视频音响" in note.title
