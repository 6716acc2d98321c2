"""The demo office's register (DOMAIN.md: a well-run office with a few real problems to show)."""

import pytest

from office.org.demo import build_organisation
from office.risks import demo
from office.risks.models import Level, Post, ReviewStatus, Risk, RiskReview

pytestmark = pytest.mark.django_db


def test_demo_register_has_one_high_risk_after_the_training_meeting_and_is_idempotent():
    """Rule: the demo shows the AV risk 高 after the training meeting's interruption repeated, a campaign
    under way (one approved, one waiting for its chief); running it again adds nothing."""
    build_organisation()
    demo.populate()
    demo.populate()
    assert Post.objects.count() == 6 and Risk.objects.count() == 10
    high = list(Risk.objects.filter(level=Level.HIGH))
    assert [r.code for r in high] == ["av-failure"]
    latest = high[0].incidents.order_by("-occurred_at").first()
    assert "市级领导公共管理核心课程培训会" in latest.summary and latest.raised_likelihood
    statuses = sorted(RiskReview.objects.values_list("status", flat=True))
    assert statuses.count(ReviewStatus.APPROVED) == 1 and statuses.count(ReviewStatus.SUBMITTED) == 1
