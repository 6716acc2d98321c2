"""The speech's ladder on the office clock, with time moved: 一次沟通，第二次发督办通知，第三次通报批评."""

import datetime as dt
import io

import pytest
from docx import Document as DocxDocument

from documents.models import DocStatus, DocType, Document
from documents.rendering import render_docx
from office.clock.models import Timer
from office.clock.services import clock_tick
from office.notifications.models import Notification
from supervision.handlers import ack_due, item_due, milestone_due, step_due
from supervision.models import LadderStep, StepKind, Urgency
from supervision.services import (
    communication_log,
    extension_decide,
    extension_request,
    feedback_submit,
    item_acknowledge,
)

from .conftest import at, pending_signer, sign_chain
from .factories import make_item

pytestmark = pytest.mark.django_db


def _steps(item):
    return list(LadderStep.objects.filter(item=item).order_by("id").values_list("kind", flat=True))


def _pending():
    return Timer.objects.filter(fired_at__isnull=True, cancelled_at__isnull=True)


def test_seed_scenario_three_misses_end_in_published_circular(
    clock, director, commissioner, unit_a, unit_b, user_a, user_b
):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        commissioners=[commissioner],
        milestones=[("拿出实施方案", dt.date(2026, 3, 13))],
        due=dt.date(2026, 4, 30),
    )
    item_acknowledge(actor=user_a, item=item)

    # 1st miss: the milestone passes unreported -> a communication task for the commissioner.
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION]
    step1 = LadderStep.objects.get(item=item)
    assert step1.due_at == at(2026, 3, 18, 17, 30)  # 3 working days from Saturday
    assert Notification.objects.filter(recipient=commissioner, step="communication_task").exists()
    assert Notification.objects.filter(recipient=director, step="escalated").exists()
    communication_log(
        actor=commissioner,
        step=step1,
        contact_mode="call",
        contact_person="李局长",
        contact_at=at(2026, 3, 16, 10),
        agreed="3月18日前报送方案",
    )

    # 2nd miss: the step's new deadline passes -> a notice drafted from the facts, waiting for a person.
    clock.move_to(at(2026, 3, 19))
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION, StepKind.NOTICE]
    notice = Document.objects.get(doc_type=DocType.NOTICE, origin="supervision")
    assert notice.status == DocStatus.IN_REVIEW
    assert "李局长" in notice.body and "3月18日前报送方案" in notice.body  # the talk that took place
    assert notice.copy_to == "市委办公室"  # an organisation, not a person
    assert not Notification.objects.filter(recipient=user_a, step="notice").exists()
    assert not _pending().filter(kind="supervision.step_due").exists()  # the unit's time starts on delivery

    # A person signs it (never the system): published to the item's unit, its 3 days start that day.
    clock.move_to(at(2026, 3, 20, 9))
    sign_chain(notice, signer=director, reviewer=commissioner)
    notice.refresh_from_db()
    assert notice.status == DocStatus.PUBLISHED and notice.signer == director
    assert notice.number == "督办通〔2026〕1号"
    assert list(notice.recipient_units.all()) == [unit_a]
    assert Notification.objects.filter(recipient=user_a, step="notice").exists()
    assert not Notification.objects.filter(recipient=user_b, step="notice").exists()
    step2 = LadderStep.objects.get(item=item, kind=StepKind.NOTICE)
    assert step2.due_at == at(2026, 3, 25, 17, 30)  # 3 working days from the Friday it went out
    docx = DocxDocument(io.BytesIO(render_docx(notice)))
    assert any("督办通〔2026〕1号" in p.text for p in docx.paragraphs)

    # 3rd miss: -> a circular draft waits for the director's sign-off; not yet public.
    clock.move_to(at(2026, 3, 26))
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION, StepKind.NOTICE, StepKind.CIRCULAR]
    circular = Document.objects.get(doc_type=DocType.CIRCULAR)
    assert circular.status == DocStatus.IN_REVIEW
    assert "督办通〔2026〕1号" in circular.body  # the measures really taken, with the notice's number
    assert not Notification.objects.filter(recipient=user_b, step="circular_published").exists()

    # Sign-off publishes it to every unit.
    sign_chain(circular, signer=director, reviewer=commissioner)
    circular.refresh_from_db()
    assert circular.status == DocStatus.PUBLISHED and circular.to_all_units
    assert Notification.objects.filter(recipient=user_b, step="circular_published").exists()
    assert Notification.objects.filter(recipient=user_a, step="circular_published").exists()
    item.refresh_from_db()
    assert item.escalation_level == 3


def test_ticking_twice_fires_each_step_once(clock, director, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        milestones=[("节点", dt.date(2026, 3, 13))],
        due=dt.date(2026, 4, 30),
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION]


def test_handlers_called_twice_are_idempotent(clock, director, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        milestones=[("节点", dt.date(2026, 3, 13))],
        due=dt.date(2026, 4, 30),
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    ms_timer = Timer.objects.get(kind="supervision.milestone_due")
    milestone_due(ms_timer)  # the same miss again: already counted
    milestone_due(ms_timer)
    assert _steps(item) == [StepKind.COMMUNICATION]
    clock.move_to(at(2026, 3, 19))
    step_timer = Timer.objects.get(kind="supervision.step_due")
    step_due(step_timer)
    step_due(step_timer)
    assert _steps(item) == [StepKind.COMMUNICATION, StepKind.NOTICE]
    assert Document.objects.filter(doc_type=DocType.NOTICE).count() == 1


def test_item_due_and_ack_handlers_called_twice_count_one_miss(clock, director, unit_a):
    item = make_item(actor=director, lead_unit=unit_a, issue=True, due=dt.date(2026, 3, 20))
    clock.move_to(at(2026, 3, 11))
    ack_timer = Timer.objects.get(kind="supervision.ack_due")
    ack_due(ack_timer)
    ack_due(ack_timer)
    assert _steps(item) == [StepKind.COMMUNICATION]
    LadderStep.objects.filter(item=item).update(resolved_at=at(2026, 3, 12))
    clock.move_to(at(2026, 3, 21))
    due_timer = Timer.objects.get(kind="supervision.item_due")
    item_due(due_timer)
    item_due(due_timer)
    assert _steps(item) == [StepKind.COMMUNICATION, StepKind.NOTICE]


def test_acknowledgement_deadline_missed_chases_the_unit(clock, director, commissioner, unit_a, user_a):
    item = make_item(
        actor=director, lead_unit=unit_a, issue=True, commissioners=[commissioner], due=dt.date(2026, 4, 30)
    )
    clock.move_to(at(2026, 3, 11))  # acknowledgement was due Tue 10 March 17:30
    clock_tick()
    assert Notification.objects.filter(recipient=user_a, step="ack_overdue", level="urgent").exists()
    step = LadderStep.objects.get(item=item)
    assert step.kind == StepKind.COMMUNICATION and "逾期未签收" in step.trigger


def test_acknowledged_in_time_does_not_chase(clock, director, unit_a, user_a):
    item = make_item(actor=director, lead_unit=unit_a, issue=True, due=dt.date(2026, 4, 30))
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 11))
    clock_tick()
    assert not LadderStep.objects.filter(item=item).exists()


def test_catching_up_resolves_the_step_and_the_next_miss_goes_higher(clock, director, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        due=dt.date(2026, 4, 30),
        milestones=[("一", dt.date(2026, 3, 13)), ("二", dt.date(2026, 3, 31))],
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    feedback_submit(actor=user_a, item=item, content="补报", milestone=item.milestones.get(title="一"))
    step = LadderStep.objects.get(item=item)
    assert step.resolved_at is not None
    clock.move_to(at(2026, 3, 20))
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION]  # the resolved step's timer was cancelled
    clock.move_to(at(2026, 4, 1))
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION, StepKind.NOTICE]


def test_approved_extension_stops_the_ladder(clock, director, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        due=dt.date(2026, 4, 30),
        milestones=[("节点", dt.date(2026, 3, 13))],
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION]
    ext = extension_request(actor=user_a, item=item, reason="征地未完成", new_due=dt.date(2026, 5, 29))
    extension_decide(actor=director, extension=ext, approve=True, note="同意")
    assert not _pending().filter(kind="supervision.step_due").exists()
    clock.move_to(at(2026, 3, 25))
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION]
    clock.move_to(at(2026, 5, 6))  # past the old due date: no miss, the date moved
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION]
    clock.move_to(at(2026, 6, 1))  # past the new one: the ladder goes on
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION, StepKind.NOTICE]


def test_urgent_item_enters_at_the_notice(clock, director, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        urgency=Urgency.URGENT,
        due=dt.date(2026, 4, 30),
        milestones=[("节点", dt.date(2026, 3, 13))],
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    assert _steps(item) == [StepKind.NOTICE]
    notice = Document.objects.get(doc_type=DocType.NOTICE)
    assert notice.status == DocStatus.IN_REVIEW  # a person signs it first
    sign_chain(notice, signer=director)
    assert Document.objects.filter(doc_type=DocType.NOTICE, status=DocStatus.PUBLISHED).count() == 1


def test_several_deadlines_missed_at_once_open_one_rung(clock, director, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        due=dt.date(2026, 3, 20),
        milestones=[("一", dt.date(2026, 3, 12)), ("二", dt.date(2026, 3, 16))],
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 21))  # both milestones and the due date passed unreported
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION]
    from office.audit.models import AuditEvent

    assert AuditEvent.objects.filter(verb="supervision.miss_recorded", subject_id=str(item.pk)).count() == 2
    clock.move_to(at(2026, 3, 27))  # the talk's own deadline passed: the next rung
    clock_tick()
    assert _steps(item) == [StepKind.COMMUNICATION, StepKind.NOTICE]


def test_units_robot_webhook_hears_issue_and_escalation(clock, director, unit_a, user_a):
    from office.notifications.models import Channel, WebhookTarget

    WebhookTarget.objects.create(unit=unit_a, url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x")
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        due=dt.date(2026, 4, 30),
        milestones=[("节点", dt.date(2026, 3, 13))],
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    hooks = Notification.objects.filter(recipient_unit=unit_a, channel=Channel.WEBHOOK)
    assert set(hooks.values_list("step", flat=True)) == {"issued", "communication"}


def test_notice_is_signed_by_the_supervision_office_head_never_by_the_system(clock, director, unit_a, user_a):
    """SUPERVISION_NOTICE_SIGNER = unit_head (the seed): the head of the supervision office signs."""
    from office.org.models import Role, Unit, UnitKind
    from tests.factories import make_user

    head = make_user(Role.DEPUTY_DIRECTOR)
    Unit.objects.create(code="duban", name="市委市政府督办室", kind=UnitKind.SECTION, head=head)
    item = make_item(actor=director, lead_unit=unit_a, issue=True, due=dt.date(2026, 4, 30))
    item_acknowledge(actor=user_a, item=item)
    from supervision.services import ladder_register_miss

    first = ladder_register_miss(item=item, trigger="测试")
    ladder_register_miss(item=item, trigger="测试", from_step=first)
    notice = Document.objects.get(doc_type=DocType.NOTICE)
    assert notice.status == DocStatus.IN_REVIEW
    assert "沟通" not in notice.body.split("\n")[1]  # no talk was logged: the notice does not claim one
    assert pending_signer(notice) == head
    assert not Notification.objects.filter(recipient=user_a, step="notice").exists()
    sign_chain(notice, signer=head)
    notice.refresh_from_db()
    assert notice.status == DocStatus.PUBLISHED and notice.signer == head
    assert Notification.objects.filter(recipient=user_a, step="notice").exists()


def test_urgent_notice_says_why_it_came_without_a_talk(clock, director, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        urgency=Urgency.URGENT,
        due=dt.date(2026, 4, 30),
        milestones=[("节点", dt.date(2026, 3, 13))],
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    notice = Document.objects.get(doc_type=DocType.NOTICE)
    assert "紧急督办事项" in notice.body and "进行沟通" not in notice.body
    assert notice.urgency == "urgent"  # printed as 加急


def test_rung_closed_before_signature_sends_nothing(clock, director, unit_a, user_a):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        urgency=Urgency.URGENT,
        due=dt.date(2026, 4, 30),
        milestones=[("节点", dt.date(2026, 3, 13))],
    )
    item_acknowledge(actor=user_a, item=item)
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    notice = Document.objects.get(doc_type=DocType.NOTICE)
    feedback_submit(actor=user_a, item=item, content="补报", milestone=item.milestones.get(title="节点"))
    sign_chain(notice, signer=director)
    notice.refresh_from_db()
    assert notice.status == DocStatus.SIGNED  # signed, but not sent: the unit caught up
    assert not Notification.objects.filter(recipient=user_a, step="notice").exists()
    from office.audit.models import AuditEvent

    assert AuditEvent.objects.filter(verb="supervision.document_not_sent", subject_id=str(item.pk)).exists()


def test_sign_off_hooks_are_registered_in_app_ready_not_on_import():
    """Hooks are wired in AppConfig.ready(); no module registers one as an import side effect."""
    import pathlib

    from documents.services import SIGN_OFF_HOOKS
    from supervision.services.ladder import document_signed

    assert document_signed in SIGN_OFF_HOOKS["supervision"]
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("supervision", "duty", "documents", "research", "suggestions", "office")
        for path in (root / app).rglob("*.py")
        if path.name != "apps.py"
        and "register_sign_off_hook(" in path.read_text(encoding="utf-8")
        and "def register_sign_off_hook(" not in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
