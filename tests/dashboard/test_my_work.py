"""My work (待办 / 待阅 / 已办): after each kind of event, each role's list holds the action waiting on
them, and nobody else's."""

import datetime as dt

import pytest
from django.utils import timezone

from documents.incoming.models import Circulation, CirculationMode, IncomingStatus
from documents.models import DocStatus, ReviewStep, StepKind, StepStatus
from duty.models import Handover, ReportLevel
from duty.services.reports import report_receive
from office.dashboard.selectors import my_work_for_user, recent_actions_for_user, to_read_for_user
from supervision.models import FeedbackKind
from supervision.services import feedback_submit, item_acknowledge
from tests.documents.factories import make_document
from tests.documents.incoming_factories import make_incoming
from tests.duty.factories import make_shift
from tests.supervision.factories import make_item

from . import world as W

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(clock):
    w = W.people()
    W.shifts(w, timezone.now())
    return w


def kinds(user, app=None):
    return [(i.kind, i.title) for i in my_work_for_user(user=user) if app is None or i.app == app]


def test_a_unit_acknowledges_then_reports_and_the_commissioner_then_reviews(office):
    now = timezone.now()
    item = make_item(
        actor=office.director,
        lead_unit=office.unit_a,
        issue=True,
        due=now + dt.timedelta(days=20),
        commissioners=[office.commissioner],
        title="甲镇招商项目签约落地",
    )
    title = f"{item.number} 甲镇招商项目签约落地"
    assert ("签收", title) in kinds(office.user_a)
    assert kinds(office.user_b) == []  # another unit's item is not its work
    item_acknowledge(actor=office.user_a, item=item)
    after = kinds(office.user_a)
    assert ("签收", title) not in after and ("报结果", title) in after
    assert kinds(office.commissioner, "supervision") == []
    feedback_submit(actor=office.user_a, item=item, content="已完成签约前期工作", kind=FeedbackKind.PROGRESS)
    assert ("审核", title) in kinds(office.commissioner)
    assert ("审核", title) not in kinds(office.director)  # the commissioner named on it reviews


def test_an_internal_assignment_is_its_deputys_work(office):
    item = make_item(
        actor=office.director,
        assignee=office.deputy,
        source="internal",
        issue=True,
        due=timezone.now() + dt.timedelta(days=10),
        title="内设机构调研",
        category="other",
    )
    assert ("报结果", f"{item.number} 内设机构调研") in kinds(office.deputy)
    assert kinds(office.deputy2, "supervision") == []


def test_the_officer_on_shift_owes_each_limit_of_a_new_urgent_report_and_others_do_not(office):
    report_receive(actor=office.officer, title="某镇道路塌陷", level=ReportLevel.MAJOR)
    mine = kinds(office.officer, "duty")
    assert ("电话报告", "某镇道路塌陷") in mine and ("书面报告", "某镇道路塌陷") in mine
    by_kind = {i.kind: i for i in my_work_for_user(user=office.officer) if i.app == "duty"}
    # 重大: phone within 30 minutes (minutes from late: loud), written within the hour (not yet)
    assert by_kind["电话报告"].urgent is True and by_kind["书面报告"].urgent is False
    assert not by_kind["电话报告"].overdue and by_kind["电话报告"].due_at > timezone.now()
    assert kinds(office.staff, "duty") == []  # not in the duty room
    assert kinds(office.director, "duty") == []  # in the duty room, not on this shift


def test_the_incoming_officer_takes_over_the_shift(office):
    incoming = W.make_user(W.Role.DUTY_OFFICER, unit=office.root, name="郑值班员")
    start = office.shift.ends_at
    shift = make_shift(start + dt.timedelta(days=3), start + dt.timedelta(days=4), main=incoming)
    Handover.objects.create(to_shift=shift, outgoing_officer=office.officer, written_at=timezone.now())
    assert [k for k, _t in kinds(incoming, "duty")] == ["接班确认"]
    assert "接班确认" not in [k for k, _t in kinds(office.officer, "duty")]


def test_the_director_signs_off_and_instructs_and_a_reader_reads_a_circulation(office):
    doc = make_document(actor=office.staff, title="关于加强值班工作的通知")
    doc.status = DocStatus.IN_REVIEW
    doc.save(update_fields=["status"])
    ReviewStep.objects.create(
        document=doc,
        stage=1,
        kind=StepKind.SIGN_OFF,
        assignee=office.director,
        status=StepStatus.PENDING,
        due_at=timezone.now() + dt.timedelta(hours=4),
    )
    make_incoming(title="省委办公厅关于防汛工作的通知", status=IncomingStatus.PROPOSED, with_file=False)
    work = kinds(office.director, "documents")
    assert ("签发", "关于加强值班工作的通知") in work and ("批示", "省委办公厅关于防汛工作的通知") in work
    assert ("签发", "关于加强值班工作的通知") not in kinds(office.deputy, "documents")
    circulated = make_incoming(
        title="市政府关于春耕生产的通报", status=IncomingStatus.ASSIGNED, with_file=False
    )
    Circulation.objects.create(
        document=circulated, reader=office.staff, mode=CirculationMode.choices[0][0], sent_at=timezone.now()
    )
    assert [(r.kind, r.title) for r in to_read_for_user(user=office.staff)] == [
        ("传阅", "市政府关于春耕生产的通报")
    ]
    assert to_read_for_user(user=office.staff2) == []


def test_a_staff_member_short_of_the_campaign_minimum_has_it_to_do_until_done(office):
    from suggestions.services.campaigns import campaign_open, submission_submit

    campaign = campaign_open(
        actor=office.director, title="出点子、吐心声", deadline=timezone.now() + dt.timedelta(days=2)
    )
    assert ("提交意见", "出点子、吐心声") in kinds(office.staff)
    prompt = campaign.prompts.first()
    for text in ("希望每月组织一次业务培训", "建议改善值班室条件"):
        submission_submit(actor=office.staff, campaign=campaign, prompt=prompt, text=text)
    assert ("提交意见", "出点子、吐心声") not in kinds(office.staff)
    assert ("提交意见", "出点子、吐心声") in kinds(office.staff2)


def test_work_is_sorted_by_deadline_with_the_undated_last(office):
    now = timezone.now()
    make_item(
        actor=office.director,
        lead_unit=office.unit_a,
        issue=True,
        due=now + dt.timedelta(days=30),
        title="远",
    )
    make_item(
        actor=office.director, lead_unit=office.unit_a, issue=True, due=now + dt.timedelta(days=3), title="近"
    )
    work = my_work_for_user(user=office.user_a)
    dues = [i.due_at for i in work]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated


def test_done_lists_my_own_recent_actions_with_links(office):
    item = make_item(
        actor=office.director, lead_unit=office.unit_a, issue=True, due=timezone.now() + dt.timedelta(days=20)
    )
    done = recent_actions_for_user(user=office.director)
    assert done and done[0]["url"] == f"/supervision/{item.pk}/"
    assert recent_actions_for_user(user=office.staff) == []


def test_my_work_page_for_a_unit_user(client, office):
    make_item(
        actor=office.director,
        lead_unit=office.unit_a,
        issue=True,
        due=timezone.now() + dt.timedelta(days=20),
        title="甲镇招商项目签约落地",
    )
    client.force_login(office.user_a)
    body = client.get("/").content.decode()
    assert "甲镇招商项目签约落地" in body and "签收" in body and "data-deadline" in body
    assert client.get("/dashboard/my-work/live/").status_code == 200


def test_the_my_work_poll_rereads_only_the_apps_that_wrote_and_shows_their_new_work(client, office, builds):
    """Every staff member's my-work page polls its list: a new urgent report brings the officer on shift
    its limits on the next poll, and only the duty room's provider reads again for it."""
    client.force_login(office.officer)
    assert client.get("/dashboard/my-work/live/").status_code == 200
    assert builds["work:duty"] == 1 and builds["work:supervision"] == 1
    builds.clear()
    report_receive(actor=office.officer, title="某镇道路塌陷", level=ReportLevel.MAJOR)
    body = client.get("/dashboard/my-work/live/").content.decode()
    assert "某镇道路塌陷" in body
    assert dict(builds) == {"work:duty": 1}, dict(builds)
