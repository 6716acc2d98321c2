"""Incoming documents (收文): every transition's access, state guard, audit and notification; the
deadline on the office clock; 传阅 with read tracking and 催阅 limits; need-to-know by 密级."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.incoming import access, selectors, services
from documents.incoming.handlers import incoming_due
from documents.incoming.models import (
    Circulation,
    CirculationMode,
    IncomingChannel,
    IncomingDocument,
    IncomingStatus,
)
from documents.models import Classification
from office.audit.models import AuditEvent
from office.clock.models import Timer
from office.errors import Forbidden, NotFound, OfficeError
from office.files.registry import protected_file_for_actor
from office.notifications.models import Notification
from office.org.models import Role, UnitAPIKey, UnitKind
from office.org.principals import UnitPrincipal
from tests.documents.incoming_factories import PDF_BYTES, make_incoming
from tests.factories import UnitFactory, make_user

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 3, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def wenshu(db):
    return UnitFactory(code="wenshu", name="文书科", kind=UnitKind.SECTION)


@pytest.fixture
def clerk(wenshu):
    return make_user(Role.STAFF, unit=wenshu, name="文书张")


@pytest.fixture
def leader(db):
    return make_user(Role.DEPUTY_DIRECTOR, name="李志强")


@pytest.fixture
def staff(db):
    return make_user(Role.STAFF)  # an ordinary section: not a clerk


@pytest.fixture
def handler(db):
    return make_user(Role.STAFF)


def pdf(name="来文.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def fields(**kw):
    base = {
        "issuing_body": "市应急管理局",
        "title": "关于做好汛期值班值守工作的通知",
        "their_number": "市应急发〔2026〕8号",
        "their_date": dt.date(2026, 3, 5),
        "classification": Classification.INTERNAL,
        "urgency": "urgent",
        "pages": 3,
        "copies": 2,
    }
    base.update(kw)
    return services.IncomingFields(**base)


def register(clerk, **kw):
    return services.incoming_register(
        actor=clerk, channel=IncomingChannel.PAPER, fields=fields(**kw), upload=pdf()
    )


def walk_to_instructed(clerk, leader, doc, deadline=None):
    services.incoming_check(actor=clerk, document=doc)
    services.incoming_propose(actor=clerk, document=doc, proposal="拟请李副主任阅示。", leader=leader)
    return services.incoming_instruct(
        actor=leader, document=doc, instruction="请应急办牵头落实，按时报结果。", deadline=deadline
    )


# --- sign for and register ------------------------------------------------------------------------


def test_register_takes_the_next_serial_of_the_incoming_register_and_keeps_the_file(clock, clerk):
    first = register(clerk)
    second = register(clerk, their_number="市应急发〔2026〕9号")
    assert first.serial == "收〔2026〕1号" and second.serial == "收〔2026〕2号"
    assert first.status == IncomingStatus.REGISTERED
    assert first.received_by == clerk and first.channel == IncomingChannel.PAPER
    assert first.file_name == "来文.pdf" and first.file.name.startswith("documents/incoming/2026/03/")
    assert first.pages == 3 and first.copies == 2 and first.urgency == "urgent"
    assert AuditEvent.objects.filter(verb="documents.incoming_registered", subject_id=str(first.pk)).exists()


def test_only_clerks_register_incoming_documents(clock, staff, leader):
    with pytest.raises(Forbidden, match="只有收文人员可以签收登记来文"):
        register(staff)
    assert register(leader).serial  # a leader may too


def test_register_refuses_bad_input_and_writes_nothing(clock, clerk):
    with pytest.raises(OfficeError, match="请填写来文标题") as exc:
        register(clerk, title="  ")
    assert exc.value.code == "invalid" and "title" in exc.value.fields
    with pytest.raises(OfficeError, match="不接受附件") as exc:
        services.incoming_register(
            actor=clerk,
            channel=IncomingChannel.PAPER,
            fields=fields(),
            upload=SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>"),
        )
    assert exc.value.code == "invalid"
    assert not IncomingDocument.objects.exists()


def test_the_serial_prefix_is_a_setting(clock, clerk, settings):
    settings.DOCUMENTS_INCOMING_PREFIX = "市委办收"
    assert register(clerk).serial == "市委办收〔2026〕1号"


# --- first check, return, 拟办, 批示 -------------------------------------------------------------


def test_check_propose_instruct_in_order_each_by_its_person(clock, clerk, leader, staff):
    doc = register(clerk)
    with pytest.raises(Forbidden, match="只有收文人员可以初审"):
        services.incoming_check(actor=staff, document=doc)
    with pytest.raises(OfficeError, match="来文初审后才能拟办"):
        services.incoming_propose(actor=clerk, document=doc, proposal="拟办")
    doc = services.incoming_check(actor=clerk, document=doc)
    assert doc.status == IncomingStatus.CHECKED and doc.checked_by == clerk
    with pytest.raises(OfficeError, match="只有待初审的来文可以初审") as exc:
        services.incoming_check(actor=clerk, document=doc)
    assert exc.value.code == "conflict"
    doc = services.incoming_propose(actor=clerk, document=doc, proposal="拟请李副主任阅示。", leader=leader)
    assert doc.status == IncomingStatus.PROPOSED
    # the leader named is asked for the 批示
    assert Notification.objects.filter(recipient=leader, step="proposed").exists()
    with pytest.raises(Forbidden, match="只有主任、副主任可以批示"):
        services.incoming_instruct(actor=clerk, document=doc, instruction="同意")
    with pytest.raises(OfficeError, match="请填写批示内容"):
        services.incoming_instruct(actor=leader, document=doc, instruction=" ")
    with pytest.raises(OfficeError, match="办理时限不能早于今天"):
        services.incoming_instruct(
            actor=leader, document=doc, instruction="同意", deadline=dt.date(2026, 3, 1)
        )
    doc = services.incoming_instruct(
        actor=leader, document=doc, instruction="请应急办牵头落实。", deadline=dt.date(2026, 3, 20)
    )
    assert doc.status == IncomingStatus.INSTRUCTED
    assert doc.instruction_leader == leader and doc.instructed_on == dt.date(2026, 3, 9)
    assert doc.instruction_deadline == dt.date(2026, 3, 20)
    verbs = list(
        AuditEvent.objects.filter(subject_id=str(doc.pk), verb__startswith="documents.incoming_")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "documents.incoming_registered",
        "documents.incoming_checked",
        "documents.incoming_proposed",
        "documents.incoming_instructed",
    ]


def test_return_needs_a_reason_and_tells_the_sending_unit(clock, clerk, unit_a):
    doc = make_incoming(sender_unit=unit_a)
    township_user = make_user(Role.EXTERNAL_UNIT, unit=unit_a)
    with pytest.raises(OfficeError, match="请填写退回理由"):
        services.incoming_return(actor=clerk, document=doc, reason="")
    doc = services.incoming_return(actor=clerk, document=doc, reason="缺附件，请补齐后重报。")
    assert doc.status == IncomingStatus.RETURNED and doc.return_reason == "缺附件，请补齐后重报。"
    assert Notification.objects.filter(recipient=township_user, step="returned").exists()
    with pytest.raises(OfficeError, match="只有待初审的来文可以初审"):
        services.incoming_check(actor=clerk, document=doc)


# --- assignment on the clock, reply, close, archive ----------------------------------------------


def test_assignment_puts_the_deadline_on_the_clock_and_a_reply_stops_it(clock, clerk, leader, handler):
    doc = register(clerk)
    with pytest.raises(OfficeError, match="领导批示后才能交办"):
        services.incoming_assign(actor=clerk, document=doc, handler=handler)
    doc = walk_to_instructed(clerk, leader, doc, deadline=dt.date(2026, 3, 13))
    with pytest.raises(OfficeError, match="请指定承办人或承办单位"):
        services.incoming_assign(actor=clerk, document=doc)
    doc = services.incoming_assign(actor=clerk, document=doc, handler=handler)
    assert doc.status == IncomingStatus.ASSIGNED
    # the 批示's deadline, at the office's closing time
    assert doc.due_at.astimezone(TZ).date() == dt.date(2026, 3, 13)
    timers = Timer.objects.filter(kind=services.DUE_TIMER_KIND, subject_id=str(doc.pk)).order_by("step")
    assert [t.step for t in timers] == [0, 1]
    assert timers[1].due_at - timers[0].due_at == dt.timedelta(hours=24)
    assert Notification.objects.filter(recipient=handler, step="assigned").exists()
    with pytest.raises(Forbidden, match="只有承办人、承办单位或收文人员可以报送办理结果"):
        services.incoming_reply(actor=make_user(Role.STAFF), document=doc, reply="已办")
    doc = services.incoming_reply(actor=handler, document=doc, reply="已部署汛期值班，名单已报。")
    assert doc.status == IncomingStatus.REPLIED and doc.replied_by == handler
    assert all(t.cancelled_at is not None for t in Timer.objects.filter(subject_id=str(doc.pk)))
    # the leader who instructed hears of the reply
    assert Notification.objects.filter(recipient=leader, step="replied").exists()
    doc = services.incoming_close(actor=clerk, document=doc)
    assert doc.status == IncomingStatus.CLOSED
    doc = services.incoming_archive(actor=clerk, document=doc)
    assert doc.status == IncomingStatus.ARCHIVED


def test_a_member_of_the_handler_unit_replies_for_it_and_an_outsider_may_not(clock, clerk, leader):
    section = UnitFactory(code="yjb", name="应急办", kind=UnitKind.SECTION)
    member, outsider = make_user(Role.STAFF, unit=section), make_user(Role.STAFF)
    doc = walk_to_instructed(clerk, leader, register(clerk))
    doc = services.incoming_assign(actor=clerk, document=doc, handler_unit=section, due=dt.date(2026, 3, 16))
    assert doc.due_at.astimezone(TZ).date() == dt.date(2026, 3, 16)
    assert Notification.objects.filter(recipient=member, step="assigned").exists()
    with pytest.raises(Forbidden, match="只有承办人、承办单位或收文人员"):
        services.incoming_reply(actor=outsider, document=doc, reply="已办理。")
    assert (
        services.incoming_reply(actor=member, document=doc, reply="已办理。").status == IncomingStatus.REPLIED
    )


def test_without_a_deadline_the_default_working_days_apply(clock, clerk, leader, handler, settings):
    settings.DOCUMENTS_INCOMING_DUE_WORKING_DAYS = 3
    doc = walk_to_instructed(clerk, leader, register(clerk))
    doc = services.incoming_assign(actor=clerk, document=doc, handler=handler)
    # Monday 9 March + 3 working days = Thursday 12 March
    assert doc.due_at.astimezone(TZ).date() == dt.date(2026, 3, 12)


def test_the_deadline_reminds_the_handler_then_escalates_to_the_leader_once(clock, clerk, leader, handler):
    doc = walk_to_instructed(clerk, leader, register(clerk), deadline=dt.date(2026, 3, 10))
    doc = services.incoming_assign(actor=clerk, document=doc, handler=handler)
    step0, step1 = Timer.objects.filter(subject_id=str(doc.pk), kind=services.DUE_TIMER_KIND).order_by("step")
    incoming_due(step0)
    incoming_due(step0)  # a second firing writes nothing new
    assert Notification.objects.filter(recipient=handler, step="due").count() == 1
    incoming_due(step1)
    incoming_due(step1)
    assert Notification.objects.filter(recipient=leader, step="overdue").count() == 1
    assert Notification.objects.filter(recipient=clerk, step="overdue").count() == 1


def test_the_deadline_handler_leaves_a_replied_document_alone(clock, clerk, leader, handler):
    doc = walk_to_instructed(clerk, leader, register(clerk))
    doc = services.incoming_assign(actor=clerk, document=doc, handler=handler)
    step0 = Timer.objects.get(subject_id=str(doc.pk), kind=services.DUE_TIMER_KIND, step=0)
    services.incoming_reply(actor=handler, document=doc, reply="已办。")
    incoming_due(step0)
    assert not Notification.objects.filter(step="due").exists()


def test_close_straight_after_a_批示_that_asks_no_handling_but_not_before(clock, clerk, leader):
    doc = register(clerk)
    services.incoming_check(actor=clerk, document=doc)
    with pytest.raises(OfficeError, match="来文办复后"):
        services.incoming_close(actor=clerk, document=doc)
    services.incoming_instruct(actor=leader, document=doc, instruction="阅知。")
    assert services.incoming_close(actor=clerk, document=doc).status == IncomingStatus.CLOSED


# --- 传阅 -------------------------------------------------------------------------------------------


def test_sequential_circulation_passes_on_when_read_and_shows_who_holds_it(clock, clerk, leader):
    doc = register(clerk)
    services.incoming_check(actor=clerk, document=doc)
    a, b, c = make_user(Role.STAFF), make_user(Role.STAFF), make_user(Role.STAFF)
    rows = services.incoming_circulate(
        actor=clerk, document=doc, readers=[a, b, c], mode=CirculationMode.SEQUENTIAL
    )
    assert [r.order for r in rows] == [1, 2, 3]
    holding = [r.reader for r in Circulation.objects.filter(document=doc) if r.holding]
    assert holding == [a]
    assert list(selectors.incoming_to_read(a)) == [doc]
    assert list(selectors.incoming_to_read(b)) == []
    with pytest.raises(OfficeError, match="还没有轮到您阅文"):
        services.incoming_mark_read(actor=b, document=doc)
    services.incoming_mark_read(actor=a, document=doc, note="已阅")
    with pytest.raises(OfficeError, match="您已阅毕该文件"):
        services.incoming_mark_read(actor=a, document=doc)
    holding = [r.reader for r in Circulation.objects.filter(document=doc) if r.holding]
    assert holding == [b]
    assert Notification.objects.filter(recipient=b, step__startswith="circulate:").exists()
    assert a_doc_done(a, doc)


def a_doc_done(user, doc) -> bool:
    return doc in selectors.incoming_done(user)


def test_parallel_circulation_reaches_everyone_at_once_and_skips_who_is_already_on_it(clock, clerk):
    doc = register(clerk)
    services.incoming_check(actor=clerk, document=doc)
    a, b = make_user(Role.STAFF), make_user(Role.STAFF)
    services.incoming_circulate(actor=clerk, document=doc, readers=[a, b], mode=CirculationMode.PARALLEL)
    assert all(c.holding for c in Circulation.objects.filter(document=doc))
    with pytest.raises(OfficeError, match="所选人员都已在传阅名单中"):
        services.incoming_circulate(actor=clerk, document=doc, readers=[a], mode=CirculationMode.PARALLEL)
    with pytest.raises(OfficeError, match="阅文人必须是机关工作人员"):
        services.incoming_circulate(
            actor=clerk,
            document=doc,
            readers=[make_user(Role.EXTERNAL_UNIT)],
            mode=CirculationMode.PARALLEL,
        )


def test_circulation_waits_for_the_first_check(clock, clerk):
    doc = register(clerk)
    with pytest.raises(OfficeError, match="来文初审后、归档前才能传阅"):
        services.incoming_circulate(
            actor=clerk, document=doc, readers=[make_user(Role.STAFF)], mode=CirculationMode.PARALLEL
        )


def test_urging_the_holder_is_limited_per_day(clock, clerk, settings):
    settings.DOCUMENTS_INCOMING_URGE_PER_DAY = 2
    doc = register(clerk)
    services.incoming_check(actor=clerk, document=doc)
    a, b = make_user(Role.STAFF), make_user(Role.STAFF)
    first, second = services.incoming_circulate(
        actor=clerk, document=doc, readers=[a, b], mode=CirculationMode.SEQUENTIAL
    )
    with pytest.raises(OfficeError, match="只能催阅正在阅文的人员"):
        services.incoming_urge_reader(actor=clerk, document=doc, circulation_id=second.pk)
    services.incoming_urge_reader(actor=clerk, document=doc, circulation_id=first.pk)
    services.incoming_urge_reader(actor=clerk, document=doc, circulation_id=first.pk)
    with pytest.raises(OfficeError, match="今天已催阅 2 次"):
        services.incoming_urge_reader(actor=clerk, document=doc, circulation_id=first.pk)
    assert Notification.objects.filter(recipient=a, step__startswith="urge:").count() == 2
    clock.move_to(at(2026, 3, 10))
    services.incoming_urge_reader(actor=clerk, document=doc, circulation_id=first.pk)
    with pytest.raises(Forbidden, match="只有收文人员或办公室领导可以催阅"):
        services.incoming_urge_reader(actor=b, document=doc, circulation_id=first.pk)


def test_archive_waits_until_everyone_has_read_it(clock, clerk, leader):
    doc = register(clerk)
    services.incoming_check(actor=clerk, document=doc)
    a = make_user(Role.STAFF)
    services.incoming_circulate(actor=clerk, document=doc, readers=[a], mode=CirculationMode.PARALLEL)
    services.incoming_instruct(actor=leader, document=doc, instruction="阅知。")
    services.incoming_close(actor=clerk, document=doc)
    with pytest.raises(OfficeError, match="还有 1 人未阅毕"):
        services.incoming_archive(actor=clerk, document=doc)
    services.incoming_mark_read(actor=a, document=doc)
    assert services.incoming_archive(actor=clerk, document=doc).status == IncomingStatus.ARCHIVED


# --- need-to-know by 密级 -------------------------------------------------------------------------------


def test_a_secret_document_is_seen_by_the_cleared_and_by_whom_it_was_put_in_front_of(clock, clerk, leader):
    doc = register(clerk, classification=Classification.SECRET)
    reader, stranger = make_user(Role.STAFF), make_user(Role.STAFF)
    director = make_user(Role.DIRECTOR)
    chief = make_user(Role.SECTION_CHIEF)
    for who in (stranger, chief):
        assert not access.can_view(who, doc)
        with pytest.raises(NotFound):
            access.incoming_access_for_action(actor=who, document=doc, action="view")
        assert doc not in selectors.incoming_list_for_user(user=who)
    assert access.can_view(clerk, doc)  # who signed for it
    assert access.can_view(leader, doc) and access.can_view(director, doc)  # clearance (秘密)
    services.incoming_check(actor=clerk, document=doc)
    services.incoming_circulate(actor=clerk, document=doc, readers=[reader], mode=CirculationMode.PARALLEL)
    assert access.can_view(reader, doc)  # named reader, granted on this document
    assert not access.can_view(stranger, doc)


def test_a_confidential_document_is_not_cleared_for_a_deputy(clock, clerk, leader):
    doc = register(clerk, classification=Classification.CONFIDENTIAL)
    assert not access.can_view(leader, doc)
    assert access.can_view(make_user(Role.DIRECTOR), doc)


def test_reading_a_secret_file_is_logged_and_out_of_scope_is_404(clock, clerk):
    doc = register(clerk, classification=Classification.SECRET)
    found = protected_file_for_actor(actor=clerk, kind="documents-incoming", pk=doc.pk)
    assert found.classification == Classification.SECRET and found.name == "来文.pdf"
    with pytest.raises(NotFound):
        protected_file_for_actor(actor=make_user(Role.STAFF), kind="documents-incoming", pk=doc.pk)


def test_the_sending_unit_follows_its_own_and_nothing_else(clock, unit_a, unit_b):
    mine = make_incoming(sender_unit=unit_a)
    theirs = make_incoming(sender_unit=unit_b)
    UnitAPIKey.objects.create_key(name="甲镇系统", unit=unit_a)
    principal = UnitPrincipal(UnitAPIKey.objects.get(unit=unit_a))
    assert list(selectors.incoming_list_for_user(user=principal)) == [mine]
    assert access.incoming_access_for_action(actor=principal, document=mine, action="view") == mine
    with pytest.raises(Forbidden, match="外部单位只能查看本单位报送来文的状态"):
        access.incoming_access_for_action(actor=principal, document=mine, action="check")
    with pytest.raises(NotFound):
        access.incoming_access_for_action(actor=principal, document=theirs, action="view")


# --- the documents home's tabs ------------------------------------------------------------------------


def test_the_todo_tab_holds_what_waits_for_each_person(clock, clerk, leader, handler, staff):
    registered = register(clerk, their_number="1")
    proposed = register(clerk, their_number="2")
    services.incoming_check(actor=clerk, document=proposed)
    services.incoming_propose(actor=clerk, document=proposed, proposal="拟请阅示。")
    assigned = walk_to_instructed(clerk, leader, register(clerk, their_number="3"))
    services.incoming_assign(actor=clerk, document=assigned, handler=handler)
    assert registered in selectors.incoming_todo(clerk) and proposed not in selectors.incoming_todo(clerk)
    assert proposed in selectors.incoming_todo(leader)
    assert list(selectors.incoming_todo(handler)) == [assigned]
    assert list(selectors.incoming_todo(staff)) == []
    assert assigned in selectors.incoming_done(leader)
    for row in selectors.incoming_todo(clerk):
        assert row.get_absolute_url() == f"/documents/incoming/{row.pk}/" and row.title


def test_two_leaders_instructing_the_same_document_the_second_is_told_and_nothing_is_overwritten(
    clock, clerk, leader
):
    doc = register(clerk)
    services.incoming_check(actor=clerk, document=doc)
    stale = IncomingDocument.objects.get(pk=doc.pk)  # the second leader's page, opened before
    services.incoming_instruct(actor=leader, document=doc, instruction="请应急办落实。")
    other = make_user(Role.DIRECTOR)
    with pytest.raises(OfficeError, match="该来文不在待批示状态") as exc:
        services.incoming_instruct(actor=other, document=stale, instruction="另行处理。")
    assert exc.value.code == "conflict"
    doc.refresh_from_db()
    assert doc.instruction == "请应急办落实。" and doc.instruction_leader == leader
