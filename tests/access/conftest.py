"""The fixture world of the authorization matrix: one person per demo role, two external units (A
owns every object, B is the neighbour trying to read A's), and one object of each kind a URL's
``<pk>`` needs. Objects are written with the ORM where a service would ask for valid input or for an
access decision that is not under test here: the matrix tests the interfaces, not the services."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from documents.models import Classification, DocStatus, DocType
from duty.models import (
    Handover,
    PhoneRecord,
    ReportAttachment,
    ReportLevel,
    Roster,
    RosterStatus,
    Shift,
    SwapPosition,
    SwapRequest,
    UrgentReport,
)
from office.clock.models import Timer
from office.notifications.models import Channel, Notification
from office.org.models import Role, UnitAPIKey, UnitKind
from supervision.models import (
    ExtensionRequest,
    Feedback,
    FeedbackKind,
    LadderStep,
    SiteVisit,
    SiteVisitPhoto,
    StepKind,
)
from tests.documents.factories import make_document
from tests.factories import UnitFactory, make_user
from tests.supervision.factories import make_item

# The demo roles, in the order the failure lists print them.
ROLES = (
    "director",
    "deputy",
    "section_chief",
    "staff",
    "duty_officer",
    "duty_leader",
    "commissioner",
    "researcher",
    "unit_own",
    "unit_other",
    "key_own",
    "key_other",
    "anon",
)

_OFFICE_ROLE = {
    "director": Role.DIRECTOR,
    "deputy": Role.DEPUTY_DIRECTOR,
    "section_chief": Role.SECTION_CHIEF,
    "staff": Role.STAFF,
    "duty_officer": Role.DUTY_OFFICER,
    "duty_leader": Role.DUTY_LEADER,
    "commissioner": Role.SUPERVISION_COMMISSIONER,
    "researcher": Role.RESEARCHER,
}

# A real PDF header and a real PNG signature: the content checks of office.files see the right type.
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _users(unit_a, unit_b):
    section = UnitFactory(code="matrix-section", name="综合科", kind=UnitKind.SECTION)
    users = {name: make_user(role, unit=section) for name, role in _OFFICE_ROLE.items()}
    users["unit_own"] = make_user(Role.EXTERNAL_UNIT, unit=unit_a)
    users["unit_other"] = make_user(Role.EXTERNAL_UNIT, unit=unit_b)
    return users


def _clients(users, key_own, key_other):
    clients = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    clients["key_own"] = Client(headers={"X-Api-Key": key_own})
    clients["key_other"] = Client(headers={"X-Api-Key": key_other})
    clients["anon"] = Client()
    return clients


def _supervision(w):
    now = timezone.now()
    w.item = make_item(
        actor=w.users["director"],
        lead_unit=w.unit_a,
        issue=True,
        due=(now + dt.timedelta(days=60)).date(),
        milestones=[("完成签约", (now + dt.timedelta(days=20)).date())],
        title="甲镇招商项目签约落地",
    )
    # A draft of unit A: the office's own business until issued (the unit must get 404).
    w.draft_item = make_item(actor=w.users["director"], lead_unit=w.unit_a, title="甲镇待交办事项")
    w.milestone = w.item.milestones.get()
    w.feedback = Feedback.objects.create(
        item=w.item,
        kind=FeedbackKind.PROGRESS,
        content="已完成前期洽谈。",
        unit=w.unit_a,
        submitted_by=w.users["unit_own"],
        attachment=ContentFile(PDF_BYTES, name="feedback.pdf"),
    )
    w.extension = ExtensionRequest.objects.create(
        item=w.item,
        unit=w.unit_a,
        reason="征地手续未完成。",
        old_due_at=w.item.due_at,
        new_due_at=w.item.due_at + dt.timedelta(days=30),
    )
    w.step = LadderStep.objects.create(
        item=w.item,
        level=1,
        kind=StepKind.COMMUNICATION,
        trigger="节点逾期",
        due_at=now + dt.timedelta(days=3),
        task_due_at=now + dt.timedelta(days=1),
    )
    w.visit = SiteVisit.objects.create(
        item=w.item, visited_at=now, place="甲镇产业园", people_met="李局长", findings="进度滞后"
    )
    w.visit_photo = SiteVisitPhoto.objects.create(visit=w.visit, file=ContentFile(PNG_BYTES, name="v.png"))


def _documents(w):
    director = w.users["director"]
    # A notice published to unit A (what the ladder's second rung sends).
    w.document = make_document(actor=director, origin="supervision", title="关于甲镇项目的督办通知")
    w.document.status = DocStatus.PUBLISHED
    w.document.published_at = timezone.now()
    w.document.save()
    w.document.recipient_units.set([w.unit_a])
    # The draft circular criticising unit A, waiting for the director's sign-off.
    w.draft_circular = make_document(
        actor=director,
        doc_type=DocType.CIRCULAR,
        prefix="督办通报",
        origin="supervision",
        title="关于甲镇项目推进不力的通报",
    )
    w.draft_circular.status = DocStatus.IN_REVIEW
    w.draft_circular.save()
    w.draft_circular.recipient_units.set([w.unit_a])
    w.secret_document = make_document(
        actor=w.users["staff"],
        prefix="市委办发",
        title="秘密级测试文件",
        classification=Classification.SECRET,
    )
    # outgoing chain (issue 10): unit A's receipt of the published notice, a comment of the director's
    # on the 秘密 draft, and a 内部 draft whose 核稿 step is pending with the section chief
    from documents.models import DocumentComment, DocumentReceipt, ReviewStep, StepKind, StepStatus

    DocumentReceipt.objects.create(document=w.document, unit=w.unit_a)
    w.doc_comment = DocumentComment.objects.create(
        document=w.secret_document, version_number=1, paragraph=0, text="请核实", author=director
    )
    w.chain_draft = make_document(actor=w.users["staff"], prefix=None, title="关于内部审核流程的测试草稿")
    w.chain_draft.status = DocStatus.IN_REVIEW
    w.chain_draft.save()
    w.review_step = ReviewStep.objects.create(
        document=w.chain_draft,
        stage=1,
        kind=StepKind.REVIEW,
        assignee=w.users["section_chief"],
        status=StepStatus.PENDING,
        started_at=timezone.now(),
        due_at=timezone.now() + dt.timedelta(days=1),
    )


def _duty(w):
    now = timezone.now()
    u = w.users
    w.roster = Roster.objects.create(year=now.year, month=now.month, status=RosterStatus.PUBLISHED)
    w.shift = Shift.objects.create(
        roster=w.roster,
        day=timezone.localdate(),
        slot=0,
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=6),
        leader=u["duty_leader"],
        main_officer=u["duty_officer"],
    )
    w.next_shift = Shift.objects.create(
        roster=w.roster,
        day=timezone.localdate(),
        slot=1,
        starts_at=now + dt.timedelta(hours=6),
        ends_at=now + dt.timedelta(hours=22),
        leader=u["duty_leader"],
        main_officer=u["duty_officer"],
    )
    w.report = UrgentReport.objects.create(
        title="甲镇化工厂火情",
        level=ReportLevel.MAJOR,
        source_unit=w.unit_a,
        received_at=now,
        shift=w.shift,
        phone_due_at=now + dt.timedelta(minutes=30),
        written_due_at=now + dt.timedelta(hours=1),
    )
    w.report_attachment = ReportAttachment.objects.create(
        report=w.report,
        file=ContentFile(PDF_BYTES, name="scene.pdf"),
        name="现场情况.pdf",
        size=len(PDF_BYTES),
    )
    w.handover = Handover.objects.create(
        to_shift=w.next_shift,
        from_shift=w.shift,
        outgoing_officer=u["duty_officer"],
        written_at=now,
        notes="无",
    )
    w.phone = PhoneRecord.objects.create(
        shift=w.shift,
        received_at=now,
        caller_unit="甲镇",
        caller_name="王某",
        caller_number="13800000000",
        content="报告火情",
        recorder=u["duty_officer"],
        due_at=now + dt.timedelta(hours=2),
    )
    w.swap = SwapRequest.objects.create(
        shift=w.next_shift, position=SwapPosition.MAIN, proposer=u["duty_officer"]
    )


def _office(w):
    ct = ContentType.objects.get_for_model(w.item)
    w.notification = Notification.objects.create(
        subject_type=ct,
        subject_id=str(w.item.pk),
        step="matrix",
        recipient=w.users["director"],
        channel=Channel.INBOX,
        title="测试消息",
        url=f"/supervision/{w.item.pk}/",
    )
    w.timer = Timer.objects.create(
        subject_type=ct,
        subject_id=str(w.item.pk),
        kind="matrix.test",
        due_at=timezone.now() + dt.timedelta(days=1),
    )
    # a clock that has just ticked: /readyz is then ready however long the test process has run
    from office.clock.models import ClockState

    ClockState.objects.update_or_create(pk=1, defaults={"last_tick_at": timezone.now()})


@pytest.fixture
def world(db, settings, unit_a, unit_b):
    # the world is built once per URL: a fast hasher keeps thirteen accounts cheap
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = SimpleNamespace(unit_a=unit_a, unit_b=unit_b)
    unit_a.kind = UnitKind.TOWNSHIP
    unit_a.save()
    w.users = _users(unit_a, unit_b)
    _, key_own = UnitAPIKey.objects.create_key(name="甲镇系统", unit=unit_a)
    _, key_other = UnitAPIKey.objects.create_key(name="乙镇系统", unit=unit_b)
    w.clients = _clients(w.users, key_own, key_other)
    _supervision(w)
    _documents(w)
    # The third rung, its circular still a draft: the unit must not see its number anywhere yet.
    w.circular_step = LadderStep.objects.create(
        item=w.item,
        level=3,
        kind=StepKind.CIRCULAR,
        trigger="整改时限已过",
        due_at=timezone.now() + dt.timedelta(days=5),
        document=w.draft_circular,
    )
    _duty(w)
    _office(w)
    return w
