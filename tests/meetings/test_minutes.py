"""Minutes drafted as a 纪要 document; a decision becomes a supervision item in one step with the right
unit and deadline, linked both ways, once only."""

import datetime as dt

import pytest
import time_machine

from documents.models import DocType
from office.errors import Forbidden
from office.meetings.services.common import MeetingError
from office.meetings.services.minutes import decision_add, decision_to_supervision, minutes_draft
from supervision.models import Source, SupervisionItem

from .conftest import at, make_meeting

pytestmark = pytest.mark.django_db

START = at(2026, 12, 3, 9, 0)


@pytest.fixture
def held(office):
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        m = make_meeting(office, starts_at=START, mtype=office.standing, title="市委常委会第 12 次会议")
    return m


def test_a_decision_becomes_a_supervision_item_with_its_unit_and_deadline_once_only(office, held):
    with time_machine.travel(START + dt.timedelta(hours=3), tick=False):
        d = decision_add(
            actor=office.director,
            meeting=held,
            text="加快城东片区棚户区改造，年底前完成征收签约",
            lead_unit=office.dept_b,
            deadline=dt.date(2026, 12, 31),
        )
        item = decision_to_supervision(actor=office.director, decision=d)
        again = decision_to_supervision(actor=office.director, decision=d)
    assert again.pk == item.pk
    assert SupervisionItem.objects.count() == 1
    assert item.lead_unit == office.dept_b
    assert item.due_at.date() == dt.date(2026, 12, 31)
    assert item.source == Source.STANDING_COMMITTEE
    assert item.requirement == "加快城东片区棚户区改造，年底前完成征收签约"
    assert "市委常委会第 12 次会议" in item.source_ref
    d.refresh_from_db()
    assert d.supervision_item_id == item.pk
    assert item.meeting_decision == d  # and back from the item to the decision and its meeting


def test_a_decision_without_a_lead_unit_is_refused(office, held):
    d = decision_add(actor=office.director, meeting=held, text="研究建立会务工作规程")
    with pytest.raises(MeetingError, match="牵头单位"):
        decision_to_supervision(actor=office.director, decision=d)


def test_a_section_chief_runs_the_meeting_but_may_not_register_supervision_items(office, held):
    d = decision_add(actor=office.chief, meeting=held, text="事项", lead_unit=office.dept_a)
    with pytest.raises(Forbidden, match="督办"):
        decision_to_supervision(actor=office.chief, decision=d)
    assert SupervisionItem.objects.count() == 0


def test_minutes_are_a_draft_document_of_type_minutes_listing_the_decisions_once(office, held):
    decision_add(
        actor=office.director,
        meeting=held,
        text="同意城东片区改造方案",
        lead_unit=office.dept_b,
        deadline=dt.date(2026, 12, 31),
    )
    decision_add(
        actor=office.director, meeting=held, text="由市教育局牵头研究学位保障", lead_unit=office.dept_c
    )
    doc = minutes_draft(actor=office.organizer, meeting=held)
    assert doc.doc_type == DocType.MINUTES
    assert doc.title == "市委常委会第 12 次会议纪要"
    assert "一、同意城东片区改造方案（牵头单位：市住房和城乡建设局；完成时限：2026年12月31日）" in doc.body
    assert "二、由市教育局牵头研究学位保障" in doc.body
    assert minutes_draft(actor=office.organizer, meeting=held).pk == doc.pk
