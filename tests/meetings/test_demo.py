"""The demo office's meetings: this afternoon's 常委会 ready, tomorrow's training meeting not (its 视频音响
test and one receipt missing), yesterday's incident with its follow-up and a decision already supervised;
loading twice adds nothing."""

import pytest

from office.meetings import demo
from office.meetings.models import Meeting
from office.meetings.selectors import readiness
from office.org.demo import build_organisation

pytestmark = pytest.mark.django_db


def test_the_demo_office_has_a_ready_committee_and_a_training_meeting_with_its_av_test_pending():
    build_organisation()
    demo.populate()
    demo.populate()
    assert Meeting.objects.count() == 3
    standing = Meeting.objects.get(title=demo.STANDING)
    assert readiness(standing)["ready"] and standing.seats.count() == 5  # 3 on the rostrum, 2 units
    training = Meeting.objects.get(title=demo.TRAINING)
    open_codes = set(training.checklist_items.filter(done_at__isnull=True).values_list("code", flat=True))
    assert "av-test" in open_codes and "receipts" in open_codes and "notice" not in open_codes
    assert training.receipts.filter(response="pending", unit__isnull=False).count() == 1
    topic = Meeting.objects.get(title=demo.TOPIC)
    assert topic.incidents.get().follow_up is not None
    assert topic.decisions.filter(supervision_item__isnull=False).count() == 1
