"""Incidents feed the register (DOMAIN.md "Post risk review"; issue 11): each incident is tied to the risk
its kind maps to (the responsible person's own post first), and a repeat within 12 months raises the
risk's likelihood by one — level recomputed, audited, review brought forward."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from office.audit.models import AuditEvent
from office.meetings.signals import meeting_incident_recorded
from office.risks.hooks import risk_event
from office.risks.models import IncidentKind, Level, RiskIncident
from office.risks.services.incidents import incident_record

pytestmark = pytest.mark.django_db


def _meeting_incident(pk, *, started_at, reported_by, minutes=10, category="equipment"):
    meeting = SimpleNamespace(title="市级领导公共管理核心课程培训会", starts_at=started_at, kind="培训会")
    return SimpleNamespace(
        pk=pk,
        meeting=meeting,
        category=category,
        started_at=started_at,
        ended_at=started_at + dt.timedelta(minutes=minutes),
        minutes_lost=minutes,
        description="视频音响出现问题",
        action_taken="切换备用话筒",
        reported_by=reported_by,
    )


def test_an_incident_raises_its_risks_level_on_repeat(office):
    """Rule: the second incident of a risk within 12 months raises likelihood by one (3→4): 3×4=12 中
    becomes 4×4=16 高; the change is audited with before and after; the first incident changes nothing."""
    now = timezone.now()
    first = incident_record(
        kind=IncidentKind.MEETING_INTERRUPTION, summary="第一次中断", occurred_at=now - dt.timedelta(days=200)
    )
    office.av.refresh_from_db()
    assert first.risk == office.av and not first.raised_likelihood
    assert (office.av.likelihood, office.av.level) == (3, Level.MEDIUM)

    second = incident_record(kind=IncidentKind.MEETING_INTERRUPTION, summary="第二次中断", occurred_at=now)
    office.av.refresh_from_db()
    assert second.risk == office.av and second.raised_likelihood
    assert (office.av.likelihood, office.av.score, office.av.level) == (4, 16, Level.HIGH)
    event = AuditEvent.objects.get(verb="risks.level_raised")
    assert event.data["before"] == {"likelihood": 3, "score": 12, "level": "medium"}
    assert event.data["after"] == {"likelihood": 4, "score": 16, "level": "high"}
    # 高 is reviewed every 3 months: the next review came forward from 6 months after the last one
    assert office.av.next_review_at <= office.av.last_reviewed_at + dt.timedelta(days=93)


def test_an_incident_outside_the_window_is_not_a_repeat_and_likelihood_stops_at_five(office, settings):
    """Rule: only incidents within RISKS_REPEAT_WINDOW_DAYS count as a repeat; likelihood is capped at 5."""
    now = timezone.now()
    incident_record(
        kind=IncidentKind.DUTY_LATE_REPORT, summary="去年", occurred_at=now - dt.timedelta(days=400)
    )
    incident_record(kind=IncidentKind.DUTY_LATE_REPORT, summary="今年", occurred_at=now)
    office.late.refresh_from_db()
    assert office.late.likelihood == 2  # 400 days apart: no repeat
    settings.RISKS_REPEAT_WINDOW_DAYS = 1000
    for n in range(5):
        incident_record(
            kind=IncidentKind.DUTY_LATE_REPORT,
            summary=f"第{n}次",
            occurred_at=now + dt.timedelta(hours=n + 1),
        )
    office.late.refresh_from_db()
    assert office.late.likelihood == 5 and office.late.level == Level.HIGH  # 2→3→4→5, then capped


def test_the_responsible_persons_own_post_is_preferred(office):
    """Rule: with two risks of the same area, the incident goes to the risk on the responsible person's
    own post; with nobody known it goes to the risk the kind maps to by code."""
    from office.risks.models import Area
    from office.risks.services.register import risk_create

    other = risk_create(
        actor=None,
        post=office.secret_post,
        code="meeting-notice",
        area=Area.MEETINGS,
        title="涉密会议通知范围",
        likelihood=1,
        impact=3,
    )
    mine = incident_record(
        kind=IncidentKind.MEETING_INTERRUPTION, summary="x", responsible=office.secret_clerk
    )
    anyone = incident_record(kind=IncidentKind.MEETING_INTERRUPTION, summary="y")
    assert mine.risk == other
    assert anyone.risk == office.av


def test_an_incident_with_no_matching_risk_is_kept_unassigned(office, settings):
    """Rule: an incident whose kind maps to no risk in the register is kept (risk empty) for the leaders."""
    settings.RISKS_INCIDENT_MAP = {"document_unreviewed": "documents:nothing-here"}
    incident = incident_record(kind=IncidentKind.DOCUMENT_UNREVIEWED, summary="未经核稿")
    assert incident.risk is None and incident.pk


def test_meeting_signal_records_one_incident_per_meeting_incident(office):
    """Rule: the meetings app's ``meeting_incident_recorded`` signal becomes an incident of the 办会 risk,
    with the meeting as its label; the same meeting incident sent twice is one incident; a second
    meeting incident raises the level (the training meeting's ten minutes, then again)."""
    now = timezone.now()
    stand_in = _meeting_incident(1, started_at=now - dt.timedelta(days=30), reported_by=office.meeting_clerk)
    meeting_incident_recorded.send(sender=None, incident=stand_in)
    incidents = list(RiskIncident.objects.all())
    assert len(incidents) == 1
    assert incidents[0].risk == office.av
    assert incidents[0].source_label == "市级领导公共管理核心课程培训会"
    assert "视频音响出现问题" in incidents[0].summary and "10" in incidents[0].summary
    again = _meeting_incident(2, started_at=now, reported_by=office.meeting_clerk, minutes=3)
    meeting_incident_recorded.send(sender=None, incident=again)
    office.av.refresh_from_db()
    assert RiskIncident.objects.count() == 2
    assert office.av.level == Level.HIGH


def test_a_real_subject_is_recorded_once(office):
    """Rule: one incident per (kind, source object): a clock handler fired again records nothing new."""
    risk_event("duty_missed_handover", office.av, "交接未确认", timezone.now())
    risk_event("duty_missed_handover", office.av, "交接未确认", timezone.now())
    assert RiskIncident.objects.filter(kind="duty_missed_handover").count() == 1


def test_a_failing_receiver_does_not_break_the_reporting_app(office):
    """Rule: risk_event never raises into the calling app (an unknown kind is logged, not raised)."""
    risk_event("no-such-kind", office.av, "x")
    assert RiskIncident.objects.count() == 0
