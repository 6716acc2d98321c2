"""A small office on a normal morning, at any scale: the dashboard's tests build it once (1×) and
again (10×) and compare. Flows are walked through the services where a test reads their effect
(issue, acknowledge, feedback, urgent reports); a state a test only needs to see (overdue, escalated,
closed) is set with the ORM."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from documents.incoming.models import IncomingStatus
from documents.models import DocStatus, ReviewStep, StepKind, StepStatus
from duty.models import ReportLevel
from duty.services.reports import report_receive
from office.org.models import Role, UnitKind  # noqa: F401  (tests use W.Role)
from supervision.models import Feedback, FeedbackKind, LadderStep, Source, Status, SupervisionItem
from supervision.models import StepKind as Rung
from tests.documents.factories import make_document
from tests.documents.incoming_factories import make_incoming
from tests.duty.factories import make_shift
from tests.factories import UnitFactory, make_user
from tests.supervision.factories import make_item


def people(*, phones: bool = True) -> SimpleNamespace:
    root = UnitFactory(code="office", name="市委办公室", kind=UnitKind.OFFICE)
    general = UnitFactory(code="general", name="综合科", kind=UnitKind.SECTION, parent=root)
    other = UnitFactory(code="secretariat", name="秘书科", kind=UnitKind.SECTION, parent=root)
    w = SimpleNamespace(root=root, general=general, other=other)
    w.unit_a = UnitFactory(code="town-a", name="甲镇", kind=UnitKind.TOWNSHIP)
    w.unit_b = UnitFactory(code="town-b", name="乙镇", kind=UnitKind.TOWNSHIP)
    w.director = make_user(Role.DIRECTOR, unit=root, name="王主任")
    w.deputy = make_user(Role.DEPUTY_DIRECTOR, unit=root, name="李副主任")
    w.deputy.staff.sections_in_charge.set([general])
    w.deputy2 = make_user(Role.DEPUTY_DIRECTOR, unit=root, name="赵副主任")
    w.deputy2.staff.sections_in_charge.set([other])
    w.commissioner = make_user(Role.SUPERVISION_COMMISSIONER, unit=root, name="陈专员")
    w.staff = make_user(Role.STAFF, unit=general, name="张科员")
    w.staff2 = make_user(Role.STAFF, unit=other, name="刘科员")
    w.officer = make_user(Role.DUTY_OFFICER, unit=root, name="周值班员")
    w.duty_leader = make_user(Role.DUTY_LEADER, unit=root, name="吴带班")
    if phones:
        for u in (w.officer, w.duty_leader):
            u.staff.phone = "0531-12345678"
            u.staff.save(update_fields=["phone"])
    w.user_a = make_user(Role.EXTERNAL_UNIT, unit=w.unit_a, name="甲镇联络员")
    w.user_b = make_user(Role.EXTERNAL_UNIT, unit=w.unit_b, name="乙镇联络员")
    return w


def shifts(w, now) -> None:
    start = now - dt.timedelta(hours=1)
    w.shift = make_shift(start, start + dt.timedelta(hours=24), leader=w.duty_leader, main=w.officer)
    w.next_shift = make_shift(
        start + dt.timedelta(hours=24), start + dt.timedelta(hours=48), leader=w.duty_leader, main=w.officer
    )


def supervision_data(w, now, k: int = 1) -> None:
    """Per unit of scale: a red item of 甲镇 at 沟通 (a communication log owed by the commissioner), a
    yellow one of 乙镇 with progress feedback waiting for review, a green one, one closed last week, and
    an internal assignment led by the deputy."""
    d = w.director
    for _i in range(k):
        red = make_item(
            actor=d,
            lead_unit=w.unit_a,
            issue=True,
            due=now + dt.timedelta(days=30),
            commissioners=[w.commissioner],
            title="甲镇招商项目签约落地",
        )
        SupervisionItem.objects.filter(pk=red.pk).update(
            due_at=now - dt.timedelta(days=3), escalation_level=1, status=Status.IN_PROGRESS
        )
        LadderStep.objects.create(
            item=red,
            level=1,
            kind=Rung.COMMUNICATION,
            trigger="节点逾期",
            due_at=now + dt.timedelta(days=2),
            task_due_at=now + dt.timedelta(hours=6),
        )
        yellow = make_item(
            actor=d,
            lead_unit=w.unit_b,
            issue=True,
            due=now + dt.timedelta(days=2),
            commissioners=[w.commissioner],
            title="乙镇老旧小区改造",
        )
        Feedback.objects.create(
            item=yellow,
            kind=FeedbackKind.PROGRESS,
            content="已完成方案",
            unit=w.unit_b,
            submitted_by_label="乙镇联络员",
        )
        make_item(
            actor=d, lead_unit=w.unit_a, issue=True, due=now + dt.timedelta(days=40), title="甲镇产业园建设"
        )
        closed = make_item(
            actor=d, lead_unit=w.unit_b, issue=True, due=now + dt.timedelta(days=10), title="乙镇道路修缮"
        )
        SupervisionItem.objects.filter(pk=closed.pk).update(
            status=Status.CLOSED, closed_at=now - dt.timedelta(days=4), issued_at=now - dt.timedelta(days=20)
        )
        make_item(
            actor=d,
            assignee=w.deputy,
            source=Source.INTERNAL,
            issue=True,
            due=now + dt.timedelta(days=5),
            title="内设机构调研",
            category="other",
        )


def duty_data(w, now, k: int = 1) -> None:
    for i in range(k):
        report_receive(
            actor=w.officer,
            title=f"某镇道路塌陷{i}",
            level=ReportLevel.MAJOR,
            received_at=now - dt.timedelta(minutes=10),
        )


def documents_data(w, now, k: int = 1) -> None:
    for i in range(k):
        doc = make_document(actor=w.staff, title=f"关于加强值班工作的通知{i}")
        doc.status = DocStatus.IN_REVIEW
        doc.save(update_fields=["status"])
        ReviewStep.objects.create(
            document=doc,
            stage=1,
            kind=StepKind.SIGN_OFF,
            assignee=w.director,
            status=StepStatus.PENDING,
            started_at=now - dt.timedelta(hours=30),
            due_at=now - dt.timedelta(hours=2),
        )
        make_incoming(
            title=f"省委办公厅关于防汛工作的通知{i}", status=IncomingStatus.PROPOSED, with_file=False
        )


def suggestions_data(w, now) -> None:
    from suggestions.services.campaigns import campaign_open

    w.campaign = campaign_open(
        actor=w.director, title="出点子、吐心声", description="", deadline=now + dt.timedelta(days=2)
    )


def build(*, k: int = 1, now=None) -> SimpleNamespace:
    now = now or timezone.now()
    w = people()
    shifts(w, now)
    suggestions_data(w, now)
    more(w, now, k)
    return w


def more(w, now, k: int) -> None:
    supervision_data(w, now, k)
    duty_data(w, now, k)
    documents_data(w, now, k)
