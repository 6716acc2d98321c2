import pytest

from documents import demo
from documents.models import Classification, Document
from documents.selectors import document_list_for_user
from office.org.demo import build_organisation

pytestmark = pytest.mark.django_db


def test_demo_documents_show_need_to_know_and_load_twice_without_duplicates():
    data = build_organisation()
    demo.populate()
    demo.populate()
    assert Document.objects.filter(origin=demo.ORIGIN).count() == 4
    staff = data["staff"]

    def levels(username):
        user = staff[username].user
        return sorted(document_list_for_user(user=user).values_list("classification", flat=True))

    internal = [Classification.INTERNAL] * 2  # the published notice and the report in its chain
    assert levels("staff01") == internal
    assert levels("staff13") == sorted([*internal, Classification.SECRET])
    assert levels("director") == sorted([*internal, Classification.SECRET, Classification.CONFIDENTIAL])
    assert levels("deputy1") == sorted([*internal, Classification.SECRET])


def test_demo_has_a_report_in_its_chain_and_incoming_documents_at_three_stages():
    from documents.incoming.models import IncomingDocument, IncomingStatus
    from documents.models import ReviewStep, StepStatus

    build_organisation()
    demo.populate()
    demo.populate()
    report = Document.objects.get(origin=demo.ORIGIN, origin_ref="report-in-chain")
    assert not report.number  # numbered when registered after sign-off
    pending = ReviewStep.objects.get(document=report, status=StepStatus.PENDING)
    assert pending.kind == "review" and pending.assignee.staff.unit.code == "mishu"
    statuses = sorted(IncomingDocument.objects.values_list("status", flat=True))
    assert len(statuses) == 3 and IncomingStatus.PROPOSED in statuses
