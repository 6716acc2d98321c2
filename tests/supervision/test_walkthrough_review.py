"""Issue 14, walk-through: a commissioner can accept (认可) or return (退回, with a reason) a unit's
progress report from the item page; the unit is told of a return."""

import pytest
from django.urls import reverse

from office.notifications.models import Notification
from supervision.models import FeedbackReview
from supervision.services import feedback_submit

from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(director, commissioner, unit_a, user_a):
    item = make_item(actor=director, lead_unit=unit_a, issue=True, commissioners=[commissioner])
    return feedback_submit(actor=user_a, item=item, content="已完成前期洽谈。")


def _url(fb):
    return reverse("supervision:feedback-review", args=[fb.item_id, fb.pk])


def test_the_commissioner_sees_accept_and_return_on_a_pending_progress_report(client, commissioner, report):
    client.force_login(commissioner)
    page = client.get(reverse("supervision:detail", args=[report.item_id])).content.decode()
    assert (
        f'data-testid="feedback-review-{report.pk}"' in page
        and ">认可</button>" in page
        and ">退回</button>" in page
    )


def test_the_unit_does_not_see_the_buttons_and_may_not_review(client, user_a, report):
    client.force_login(user_a)
    page = client.get(reverse("supervision:detail", args=[report.item_id])).content.decode()
    assert f'data-testid="feedback-review-{report.pk}"' not in page
    assert client.post(_url(report), {"accepted": "1"}).status_code == 403


def test_accepting_marks_the_report_accepted(client, commissioner, report):
    client.force_login(commissioner)
    resp = client.post(_url(report), {"accepted": "1"}, follow=True)
    assert "已认可该反馈" in resp.content.decode()
    report.refresh_from_db()
    assert report.review == FeedbackReview.ACCEPTED


def test_returning_needs_a_reason_and_tells_the_unit(client, commissioner, report, user_a):
    client.force_login(commissioner)
    resp = client.post(_url(report), {"accepted": "0"}, follow=True)
    assert "退回反馈时请写明理由" in resp.content.decode()
    report.refresh_from_db()
    assert report.review == FeedbackReview.PENDING
    client.post(_url(report), {"accepted": "0", "note": "请补充签约时间表。"})
    report.refresh_from_db()
    assert report.review == FeedbackReview.RETURNED and report.review_note == "请补充签约时间表。"
    told = Notification.objects.get(recipient=user_a, step="returned", channel="inbox")
    assert told.body == "请补充签约时间表。"
