"""Outputs are documents; evaluation; adoption into decisions. THE measure: an output adopted by a
leader's instruction shows on the topic and counts in the statistics once (two instructions on one
output = one adopted output, two instructions), computed with a constant number of queries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from documents.models import DocStatus, DocType
from office.errors import OfficeError
from research import selectors
from research.models import AdoptionKind, Grade, TopicStatus
from research.services.outputs import adoption_record, output_create, output_evaluate
from research.services.plans import plan_approve, plan_create, plan_submit, topic_add
from research.services.topics import record_add

BODY = "一、基本情况\n县域经济稳步增长。\n二、对策建议\n建议统筹用地指标，设立产业引导基金。"


def test_output_is_a_report_document_drafted_by_the_lead(approved_topic, office):
    output = output_create(actor=office.researcher, topic=approved_topic, title="县域经济调研报告", body=BODY)
    doc = output.document
    assert doc.doc_type == DocType.REPORT and doc.status == DocStatus.DRAFT
    assert doc.origin == "research" and doc.origin_ref == f"topic:{approved_topic.pk}"
    assert doc.created_by == office.researcher and doc.versions.count() == 1


def test_someone_off_the_topic_cannot_add_an_output(approved_topic, office):
    with pytest.raises(OfficeError) as exc:
        output_create(actor=office.outsider, topic=approved_topic, title="县域经济调研报告", body=BODY)
    assert exc.value.code == "not_found"


def test_team_member_adds_output_but_may_not_evaluate_or_record_adoption(approved_topic, office):
    output = output_create(actor=office.clerk, topic=approved_topic, title="县域经济调研报告", body=BODY)
    with pytest.raises(OfficeError, match="政研室"):
        output_evaluate(actor=office.clerk, output=output, grade=Grade.EXCELLENT)
    with pytest.raises(OfficeError, match="政研室"):
        adoption_record(
            actor=office.clerk, output=output, kind="instruction", leader=office.director, text="很好"
        )


def test_fail_grade_needs_remarks(approved_topic, office):
    output = output_create(actor=office.researcher, topic=approved_topic, title="县域经济调研报告", body=BODY)
    with pytest.raises(OfficeError, match="评价意见"):
        output_evaluate(actor=office.chief, output=output, grade=Grade.FAIL)
    output = output_evaluate(actor=office.chief, output=output, grade=Grade.GOOD, remarks="")
    assert output.grade == Grade.GOOD and output.reviewer == office.chief


def test_instruction_adoption_shows_on_topic_and_counts_once(
    approved_topic, office, client, django_assert_num_queries
):
    w = office
    adopted = output_create(actor=w.researcher, topic=approved_topic, title="县域经济调研报告", body=BODY)
    output_create(actor=w.researcher, topic=approved_topic, title="县域经济调研附件报告", body=BODY)
    adoption_record(
        actor=w.chief,
        output=adopted,
        kind="instruction",
        leader=w.director,
        text="此报告很有价值，请研究吸收。",
    )
    adoption_record(
        actor=w.chief,
        output=adopted,
        kind="instruction",
        leader_name="市委书记",
        text="同意主任意见，抓好落实。",
    )
    # the topic page shows the chain topic → output → adoptions
    client.force_login(w.clerk)
    page = client.get(reverse("research:topic", kwargs={"pk": approved_topic.pk})).content.decode()
    assert "县域经济调研报告" in page and "此报告很有价值，请研究吸收。" in page and "市委书记" in page
    with django_assert_num_queries(3):
        stats = selectors.statistics(user=w.chief, year=2026)
    assert stats["totals"]["outputs"] == 2
    assert stats["totals"]["adopted_outputs"] == 1  # once, though two instructions
    assert stats["totals"]["instructions"] == 2
    assert stats["totals"]["adoptions"] == 2
    [row] = stats["by_researcher"]
    assert (
        row["staff__name"],
        row["topics"],
        row["outputs"],
        row["adopted_outputs"],
        row["instructions"],
    ) == (
        "李研究员",
        1,
        2,
        1,
        2,
    )


def test_statistics_query_count_does_not_grow_with_the_year(
    approved_topic, office, django_assert_num_queries
):
    w = office
    plan = plan_create(actor=w.chief, year=2027)
    for i in range(4):
        t = topic_add(actor=w.chief, plan=plan, title=f"第{i}个专项课题研究", kind="special", lead=w.chief)
        del t
    plan_submit(actor=w.chief, plan=plan)
    plan_approve(actor=w.director, plan=plan)
    with django_assert_num_queries(3):
        stats = selectors.statistics(user=w.chief, year=2027)
    assert stats["totals"]["topics"] == 4 and stats["by_researcher"][0]["topics"] == 4


def test_per_unit_statistics_follow_the_unit_proposals(office):
    import time_machine

    from research.services.calls import call_open, proposal_submit

    from .conftest import at

    w = office
    with time_machine.travel(at(2026, 1, 5, 9, 0), tick=False):
        call = call_open(actor=w.chief, year=2026, deadline=at(2026, 2, 6, 17, 30))
        p = proposal_submit(
            actor=w.liaison, call=call, title="乡村振兴研究", reasons="需要总结经验，形成对策建议。"
        )
        proposal_submit(
            actor=w.liaison, call=call, title="乡村治理研究", reasons="需要总结经验，形成对策建议。"
        )
    plan = plan_create(actor=w.chief, year=2026)
    topic = topic_add(
        actor=w.chief, plan=plan, title="乡村振兴示范研究", kind="major", lead=w.researcher, proposals=[p.pk]
    )
    plan_submit(actor=w.chief, plan=plan)
    plan_approve(actor=w.director, plan=plan)
    out = output_create(actor=w.researcher, topic=topic, title="乡村振兴调研报告", body=BODY)
    adoption_record(actor=w.chief, output=out, kind="instruction", leader=w.director, text="很好，请推广。")
    [row] = selectors.statistics(user=w.chief, year=2026)["by_unit"]
    assert (
        row["name"],
        row["proposals"],
        row["placed"],
        row["topics"],
        row["adopted_outputs"],
        row["instructions"],
    ) == (
        "甲镇人民政府",
        2,
        1,
        1,
        1,
        1,
    )


def test_adoption_by_document_supervision_item_and_meeting_reference(approved_topic, office):
    from tests.documents.factories import make_document

    w = office
    output = output_create(actor=w.researcher, topic=approved_topic, title="县域经济调研报告", body=BODY)
    resulting = make_document(
        actor=w.director, doc_type=DocType.OPINION, prefix=None, title="关于加快县域经济发展的意见"
    )
    a = adoption_record(actor=w.director, output=output, kind=AdoptionKind.DOCUMENT, document=resulting.pk)
    assert a.document == resulting and a.url == reverse("documents:detail", kwargs={"pk": resulting.pk})
    # a meeting decision of any app: a generic reference (here a document stands in for a MinutesDecision)
    b = adoption_record(
        actor=w.director,
        output=output,
        kind=AdoptionKind.MEETING,
        target=resulting,
        target_label="市委常委会第5次会议：同意",
    )
    assert b.target_type == ContentType.objects.get_for_model(resulting) and b.target_id == resulting.pk
    c = adoption_record(
        actor=w.director,
        output=output,
        kind=AdoptionKind.MEETING,
        target_label="市委常委会第6次会议",
        target_url="/meetings/6/",
    )
    assert c.target_type is None and c.url == "/meetings/6/"
    with pytest.raises(OfficeError, match="本系统内"):
        adoption_record(
            actor=w.director,
            output=output,
            kind=AdoptionKind.MEETING,
            target_label="会议",
            target_url="https://evil.example/",
        )
    with pytest.raises(OfficeError, match="督办事项"):
        adoption_record(
            actor=w.director, output=output, kind=AdoptionKind.SUPERVISION, supervision_item=999999
        )
    assert output.adoptions.count() == 3


def test_field_record_attachment_served_to_topic_members_only(approved_topic, office, client):
    import datetime as dt

    import time_machine
    from django.core.files.uploadedfile import SimpleUploadedFile

    from office.files.registry import file_url
    from tests.access.conftest import PDF_BYTES

    from .conftest import at

    w = office
    with time_machine.travel(at(2026, 3, 12, 9, 0), tick=False):
        record = record_add(
            actor=w.clerk,
            topic=approved_topic,
            date=dt.date(2026, 3, 10),
            place="甲镇工业园",
            people_met="园区管委会",
            findings="园区配套不足，用地指标紧张。",
            attachments=[SimpleUploadedFile("纪要.pdf", PDF_BYTES, content_type="application/pdf")],
        )
    att = record.attachments.get()
    assert att.name == "纪要.pdf"
    url = file_url("research-record-attachment", att.pk)
    client.force_login(w.clerk)
    assert client.get(url).status_code == 200
    client.force_login(w.outsider)
    assert client.get(url).status_code == 404
    assert approved_topic.status == TopicStatus.IN_PROGRESS
