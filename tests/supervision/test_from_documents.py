"""The loop no OA suite closes: an incoming document's leader 批示 becomes, in one step, a supervision
item carrying the instruction, the leader and the deadline — linked both ways, once."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.incoming import services as incoming
from documents.incoming.models import IncomingChannel, IncomingStatus
from documents.models import Classification
from office.audit.models import AuditEvent
from office.errors import Forbidden, OfficeError
from office.org.models import Role, UnitKind
from supervision.models import Source, Status, SupervisionItem
from supervision.services import item_issue
from supervision.services.from_documents import item_from_incoming, linked_item_summary
from tests.documents.incoming_factories import PDF_BYTES
from tests.factories import UnitFactory, make_user


@pytest.fixture
def clerk(db):
    return make_user(Role.STAFF, unit=UnitFactory(code="wenshu", kind=UnitKind.SECTION))


@pytest.fixture
def leader(db):
    return make_user(Role.DEPUTY_DIRECTOR, name="李志强")


def instructed(clerk, leader, *, deadline=dt.date(2026, 3, 31), urgency=""):
    doc = incoming.incoming_register(
        actor=clerk,
        channel=IncomingChannel.PAPER,
        fields=incoming.IncomingFields(
            issuing_body="市住房和城乡建设局",
            title="关于老旧小区改造进度滞后的情况报告",
            their_number="市住建报〔2026〕3号",
            classification=Classification.INTERNAL,
            urgency=urgency,
        ),
        upload=SimpleUploadedFile("报告.pdf", PDF_BYTES),
    )
    incoming.incoming_check(actor=clerk, document=doc)
    incoming.incoming_propose(actor=clerk, document=doc, proposal="拟请李副主任阅示。", leader=leader)
    return incoming.incoming_instruct(
        actor=leader,
        document=doc,
        instruction="请市住建局于3月底前拿出整改方案，督办室跟踪督办。",
        deadline=deadline,
    )


def test_a_批示_becomes_a_supervision_item_linked_both_ways_and_the_status_shows_on_the_incoming_page(
    clock, client, clerk, leader, commissioner, unit_a
):
    doc = instructed(clerk, leader, urgency="urgent")
    incoming.incoming_assign(actor=clerk, document=doc, handler_unit=unit_a)
    item = item_from_incoming(actor=commissioner, document=doc)

    assert item.title == "关于老旧小区改造进度滞后的情况报告"
    assert item.requirement == "请市住建局于3月底前拿出整改方案，督办室跟踪督办。"
    assert item.source == Source.LEADER_INSTRUCTION
    assert item.source_ref == doc.serial == "收〔2026〕1号"
    assert item.instructing_leader == "李志强"
    assert item.source_date == dt.date(2026, 3, 9)
    assert item.due_at.date() == dt.date(2026, 3, 31)
    assert item.lead_unit == unit_a and item.urgency == "urgent"
    assert item.status == Status.DRAFT and item.created_by == commissioner
    doc.refresh_from_db()
    assert doc.supervision_item_id == item.pk
    assert AuditEvent.objects.filter(verb="supervision.item_created", subject_id=str(item.pk)).exists()
    assert AuditEvent.objects.filter(
        verb="documents.incoming_to_supervision", subject_id=str(doc.pk)
    ).exists()

    # the incoming page shows the item's number and its current status, and links to it
    item_issue(actor=commissioner, item=item)
    client.force_login(commissioner)
    page = client.get(reverse("documents:incoming-detail", args=[doc.pk])).content.decode()
    assert item.number in page and reverse("supervision:detail", args=[item.pk]) in page
    assert "已交办" in page
    # the item page names its source: the 收文编号 and the leader
    item_page = client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    assert doc.serial in item_page and "李志强" in item_page
    assert f'href="{doc.get_absolute_url()}" data-testid="item-source-incoming"' in item_page
    # the township on the item sees the item, not the office's incoming register
    client.force_login(make_user(Role.EXTERNAL_UNIT, unit=unit_a))
    assert (
        'data-testid="item-source-incoming"'
        not in client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    )


def test_doing_it_twice_does_not_create_two_items(clock, clerk, leader, commissioner):
    doc = instructed(clerk, leader)
    handler = make_user(Role.STAFF)
    incoming.incoming_assign(actor=clerk, document=doc, handler=handler)
    first = item_from_incoming(actor=commissioner, document=doc)
    second = item_from_incoming(actor=commissioner, document=doc.pk)
    assert first.pk == second.pk
    assert SupervisionItem.objects.count() == 1
    # with no handler unit the handler becomes the internal assignee
    assert first.lead_unit is None and first.assignee == handler


def test_the_page_button_twice_creates_one_item(clock, client, clerk, leader, commissioner, unit_a):
    doc = instructed(clerk, leader)
    incoming.incoming_assign(actor=clerk, document=doc, handler_unit=unit_a)
    client.force_login(commissioner)
    url = reverse("documents:incoming-action", args=[doc.pk, "to_supervision"])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert SupervisionItem.objects.count() == 1


def test_only_supervision_managers_turn_a_批示_into_an_item(clock, clerk, leader, unit_a):
    doc = instructed(clerk, leader)
    incoming.incoming_assign(actor=clerk, document=doc, handler_unit=unit_a)
    with pytest.raises(Forbidden, match="只有督办室和主任、副主任可以登记督办事项"):
        item_from_incoming(actor=clerk, document=doc)
    assert not SupervisionItem.objects.exists()
    doc.refresh_from_db()
    assert doc.supervision_item_id is None


def test_there_must_be_a_批示_and_someone_to_carry_it_out(clock, clerk, leader, commissioner):
    doc = instructed(clerk, leader)
    with pytest.raises(OfficeError, match="请先交办（指定承办单位或承办人），再转督办") as exc:
        item_from_incoming(actor=commissioner, document=doc)
    assert exc.value.code == "invalid"
    fresh = incoming.incoming_register(
        actor=clerk,
        channel=IncomingChannel.PAPER,
        fields=incoming.IncomingFields(issuing_body="市财政局", title="关于预算执行的通报"),
    )
    with pytest.raises(OfficeError, match="领导批示后才能转督办"):
        item_from_incoming(actor=commissioner, document=fresh)
    assert not SupervisionItem.objects.exists()
    assert fresh.status == IncomingStatus.REGISTERED


def test_a_secret_document_stays_out_of_sight_of_a_manager_not_cleared(
    clock, clerk, leader, commissioner, unit_a
):
    doc = instructed(clerk, leader)
    doc.classification = Classification.SECRET
    doc.save()
    incoming.incoming_assign(actor=clerk, document=doc, handler_unit=unit_a)
    from office.errors import NotFound

    with pytest.raises(NotFound):
        item_from_incoming(actor=commissioner, document=doc)
    # the deputy who wrote the 批示 sees it (clearance) and is a supervision manager
    assert item_from_incoming(actor=leader, document=doc).source_ref == doc.serial


def test_the_summary_reads_the_items_number_and_status(clock, commissioner, unit_a):
    from tests.supervision.factories import make_item

    item = make_item(actor=commissioner, lead_unit=unit_a)
    summary = linked_item_summary(item.pk)
    assert summary.number == item.number and summary.status == Status.DRAFT
    assert summary.url == reverse("supervision:detail", args=[item.pk])
    assert linked_item_summary(999999) is None
