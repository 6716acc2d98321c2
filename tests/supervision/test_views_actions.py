import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import DocStatus, DocType, Document
from office.clock.services import clock_tick
from supervision.models import ExtensionStatus, LadderStep, SiteVisit, Status, StepKind
from supervision.services import item_acknowledge, ladder_register_miss

from .conftest import at
from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(clock, director, unit_a, user_a, commissioner):
    item = make_item(
        actor=director,
        lead_unit=unit_a,
        issue=True,
        commissioners=[commissioner],
        due=dt.date(2026, 4, 30),
        milestones=[("方案", dt.date(2026, 3, 13))],
    )
    item_acknowledge(actor=user_a, item=item)
    return item


def test_commissioner_logs_visit_with_photos(client, item, commissioner):
    client.force_login(commissioner)
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff jpeg", content_type="image/jpeg")
    resp = client.post(
        f"/supervision/{item.pk}/visit",
        {
            "visited_at": "2026-03-09T10:30",
            "place": "产业园工地",
            "people_met": "李局长、王经理",
            "findings": "土地平整完成七成",
            "photos": [photo],
        },
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 204
    visit = SiteVisit.objects.get(item=item)
    assert visit.photos.count() == 1 and visit.place == "产业园工地"
    body = client.get(f"/supervision/{item.pk}/").content.decode()
    assert "产业园工地" in body and "土地平整完成七成" in body


def test_unit_user_cannot_log_visits_or_close(client, item, user_a):
    client.force_login(user_a)
    assert client.post(f"/supervision/{item.pk}/visit", {}).status_code == 403
    assert client.post(f"/supervision/{item.pk}/close").status_code == 403
    assert client.post(f"/supervision/{item.pk}/cancel", {"reason": "x"}).status_code == 403


def test_commissioner_logs_the_communication_task(client, clock, item, commissioner):
    clock.move_to(at(2026, 3, 14))
    clock_tick()
    step = LadderStep.objects.get(item=item, kind=StepKind.COMMUNICATION)
    client.force_login(commissioner)
    resp = client.post(
        f"/supervision/{item.pk}/steps/{step.pk}/communication",
        {
            "contact_mode": "call",
            "contact_person": "李局长",
            "contact_at": "2026-03-14T10:00",
            "agreed": "3月18日前报送方案",
        },
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 204
    step.refresh_from_db()
    assert step.logged_by == commissioner and step.agreed == "3月18日前报送方案"


def test_extension_requested_by_unit_and_approved_on_the_page(client, item, user_a, director):
    client.force_login(user_a)
    resp = client.post(
        f"/supervision/{item.pk}/extension",
        {"new_due": "2026-05-29", "reason": "征地"},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 204
    ext = item.extensions.get()
    client.force_login(director)
    assert "延期申请待审批" in client.get(f"/supervision/{item.pk}/").content.decode()
    resp = client.post(
        f"/supervision/{item.pk}/extension/{ext.pk}/decide",
        {"approve": "1", "note": "同意"},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 204
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.APPROVED


def test_cancel_needs_a_reason_on_the_page(client, item, director):
    client.force_login(director)
    resp = client.post(f"/supervision/{item.pk}/cancel", {"reason": ""}, HTTP_HX_REQUEST="true")
    assert "撤销理由" in resp.content.decode()
    resp = client.post(
        f"/supervision/{item.pk}/cancel", {"reason": "市委决定不再推进"}, HTTP_HX_REQUEST="true"
    )
    item.refresh_from_db()
    assert resp.status_code == 204 and item.status == Status.CANCELLED


def test_director_signs_the_circular_on_the_documents_page(client, item, director, commissioner, user_a):
    step = None
    for _ in range(3):
        step = ladder_register_miss(item=item, trigger="测试", from_step=step)
    circular = Document.objects.get(doc_type=DocType.CIRCULAR)
    client.force_login(commissioner)
    assert client.post(f"/documents/{circular.pk}/sign-off", {"opinion": "同意"}).status_code == 403
    client.force_login(user_a)  # not published yet: invisible to units
    assert client.get(f"/documents/{circular.pk}/").status_code == 404
    # the commissioner checks the draft (核稿) first; then the director signs it on the page
    from documents.models import ReviewStep, StepKind, StepStatus
    from documents.services import step_approve

    review = ReviewStep.objects.get(document=circular, kind=StepKind.REVIEW, status=StepStatus.PENDING)
    assert review.assignee == commissioner
    step_approve(actor=commissioner, step=review, opinion="已核。")
    client.force_login(director)
    assert "签发意见" in client.get(f"/documents/{circular.pk}/").content.decode()
    resp = client.post(f"/documents/{circular.pk}/sign-off", {"opinion": "同意通报。"})
    assert resp.status_code == 302
    circular.refresh_from_db()
    assert circular.status == DocStatus.PUBLISHED
    client.force_login(user_a)
    assert client.get(f"/documents/{circular.pk}/").status_code == 200
    assert circular.number in client.get("/supervision/").content.decode()


def test_manager_adds_a_milestone_that_arms_a_timer(client, item, director):
    from office.clock.models import Timer

    client.force_login(director)
    resp = client.post(
        f"/supervision/{item.pk}/milestones",
        {"due": "2026-04-10", "title": "主体完工"},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 204
    ms = item.milestones.get(title="主体完工")
    assert Timer.objects.filter(kind="supervision.milestone_due", subject_id=str(ms.pk)).exists()
