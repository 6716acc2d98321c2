"""Editing the register on the portal (the leaders): posts and their holders, risks and their controls,
and an incident no risk was found for tied to its risk by hand. Every edit is audited with before and
after; an edit made on a page that someone else changed meanwhile is refused, never written over."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from office.audit.models import AuditEvent
from office.clock.models import Timer
from office.risks.models import Control, IncidentKind, Post, Risk, RiskIncident
from office.risks.services.campaigns import campaign_open, review_decide, review_submit
from office.risks.services.common import REVIEW_DUE
from office.risks.services.incidents import incident_record

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _risk_post(w, risk, **changes):
    data = {
        "area": risk.area,
        "title": risk.title,
        "description": risk.description,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "owner": risk.owner_id or "",
        "controls": "\n".join(risk.controls.order_by("order").values_list("description", flat=True)),
        "is_active": "on",
        "version": risk.version,
    }
    data.update(changes)
    return data


def _review_timer(risk):
    return Timer.objects.filter(
        kind=REVIEW_DUE, subject_id=str(risk.pk), fired_at__isnull=True, cancelled_at__isnull=True
    ).first()


def test_only_the_leaders_edit_the_register(office):
    """Rule: the director and the deputies edit; a section chief and staff are refused (403), units too."""
    pages = [
        ("get", "/risks/posts/"),
        ("get", "/risks/posts/new"),
        ("get", f"/risks/posts/{office.meeting_post.pk}/edit"),
        ("get", f"/risks/posts/{office.meeting_post.pk}/risks/new"),
        ("get", f"/risks/{office.av.pk}/edit"),
    ]
    for method, url in pages:
        assert getattr(_client(office.deputy), method)(url).status_code == 200, url
        for who in (office.chief, office.meeting_clerk, office.unit_user):
            assert getattr(_client(who), method)(url).status_code == 403, (url, who)
    before = Risk.objects.get(pk=office.av.pk)
    resp = _client(office.chief).post(f"/risks/{office.av.pk}/edit", _risk_post(office, before, likelihood=1))
    assert resp.status_code == 403 and Risk.objects.get(pk=office.av.pk).likelihood == 3
    # the posts page is the editors' own tab
    assert "岗位管理" in _client(office.director).get("/risks/").content.decode()
    assert "岗位管理" not in _client(office.chief).get("/risks/").content.decode()


def test_a_new_post_with_its_holders_and_then_a_risk_with_controls(office):
    """Rule: a post is created with its holders; a risk on it gets its level from its numbers, its next
    review from the level (高: 3 months), a reminder on the clock, and its controls owned by its owner."""
    c = _client(office.director)
    resp = c.post(
        "/risks/posts/new",
        {
            "code": "docs-check",
            "name": "文稿核校岗",
            "section": office.general.pk,
            "holders": [office.duty_clerk.pk, office.meeting_clerk.pk],
            "duties": "核校以办名义印发的文稿",
            "sort_order": 30,
        },
    )
    assert resp.status_code == 302
    post = Post.objects.get(code="docs-check")
    assert set(post.holders.all()) == {office.duty_clerk, office.meeting_clerk}
    listing = c.get("/risks/posts/").content.decode()
    assert "文稿核校岗" in listing and "李二" in listing

    resp = c.post(
        f"/risks/posts/{post.pk}/risks/new",
        {
            "code": "unchecked",
            "area": "documents",
            "title": "文稿未经核校即送签",
            "likelihood": 3,
            "impact": 5,
            "owner": office.duty_clerk.pk,
            "controls": "送签前逐字核校\n\n核校人签名留痕",
        },
    )
    risk = Risk.objects.get(post=post, code="unchecked")
    assert resp.status_code == 302 and resp["Location"] == f"/risks/{risk.pk}/"
    assert (risk.score, risk.level) == (15, "high")
    assert list(risk.controls.values_list("description", "owner")) == [
        ("送签前逐字核校", office.duty_clerk.pk),
        ("核校人签名留痕", office.duty_clerk.pk),
    ]
    expected = timezone.localtime(risk.last_reviewed_at)
    assert timezone.localtime(risk.next_review_at).month == (expected.month + 2) % 12 + 1
    assert _review_timer(risk).due_at == risk.next_review_at
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="risks.").order_by("pk").values_list("verb", flat=True)
    )
    assert verbs[-2:] == ["risks.post_created", "risks.risk_created"]


def test_the_forms_come_back_with_chinese_messages_and_write_nothing(office):
    """Rule: a taken code, a missing owner for the controls and numbers off the scale come back on the
    form (400) and leave the register as it was."""
    c = _client(office.director)
    posts, risks = Post.objects.count(), Risk.objects.count()
    resp = c.post(
        "/risks/posts/new",
        {"code": "meeting-service", "name": "重复", "section": office.general.pk, "sort_order": 1},
    )
    assert resp.status_code == 400 and "已存在" in resp.content.decode()
    resp = c.post(
        f"/risks/posts/{office.meeting_post.pk}/risks/new",
        {
            "code": "seating",
            "area": "meetings",
            "title": "座次错误",
            "likelihood": 2,
            "impact": 3,
            "controls": "核对座次图",
        },
    )
    assert resp.status_code == 400 and "登记防控措施时请选择责任人" in resp.content.decode()
    resp = c.post(
        f"/risks/posts/{office.meeting_post.pk}/risks/new",
        {"code": "av-failure", "area": "meetings", "title": "重复代码", "likelihood": 2, "impact": 3},
    )
    assert resp.status_code == 400 and "已存在" in resp.content.decode()
    resp = c.post(f"/risks/{office.av.pk}/edit", _risk_post(office, office.av, likelihood=9))
    assert resp.status_code == 400 and "有效的选项" in resp.content.decode()
    assert (Post.objects.count(), Risk.objects.count()) == (posts, risks)
    assert Risk.objects.get(pk=office.av.pk).likelihood == 3


def test_an_edit_sets_the_level_again_moves_the_review_and_keeps_the_controls_that_stay(office):
    """Rule: new numbers give a new level; the next review follows the new level from the last review
    (and its reminder moves with it); a control kept word for word keeps its owner, a new one is the
    risk owner's, a removed one is gone; the audit keeps before and after."""
    av = Risk.objects.get(pk=office.av.pk)
    kept = av.controls.get()
    Control.objects.filter(pk=kept.pk).update(owner=office.chief)  # owned by someone else than the risk
    last = timezone.now() - dt.timedelta(days=30)
    Risk.objects.filter(pk=av.pk).update(last_reviewed_at=last)
    av.refresh_from_db()
    resp = _client(office.director).post(
        f"/risks/{av.pk}/edit",
        _risk_post(office, av, likelihood=4, impact=4, controls=f"新增：备用话筒\n{kept.description}"),
    )
    assert resp.status_code == 302
    av.refresh_from_db()
    assert (av.score, av.level, av.version) == (16, "high", 2)
    assert timezone.localtime(av.next_review_at).date() > timezone.localdate()
    assert (av.next_review_at - last).days in range(89, 93)  # 高: three months from the last review
    assert _review_timer(av).due_at == av.next_review_at
    assert list(av.controls.order_by("order").values_list("description", "owner")) == [
        ("新增：备用话筒", office.meeting_clerk.pk),
        (kept.description, office.chief.pk),
    ]
    event = AuditEvent.objects.filter(verb="risks.risk_updated").get()
    assert event.data["before"]["level"] == "medium" and event.data["after"]["level"] == "high"
    # removing a control
    resp = _client(office.director).post(
        f"/risks/{av.pk}/edit", _risk_post(office, av, controls=kept.description)
    )
    assert resp.status_code == 302 and list(av.controls.values_list("pk", flat=True)) == [kept.pk]


def test_a_raised_level_whose_interval_has_passed_is_due_for_review_now(office):
    av = Risk.objects.get(pk=office.av.pk)
    Risk.objects.filter(pk=av.pk).update(last_reviewed_at=timezone.now() - dt.timedelta(days=120))
    av.refresh_from_db()
    before = timezone.now()
    _client(office.director).post(f"/risks/{av.pk}/edit", _risk_post(office, av, likelihood=5))
    av.refresh_from_db()
    assert av.level == "high" and before <= av.next_review_at <= timezone.now()


def test_an_edit_on_a_page_that_changed_meanwhile_is_refused_and_overwrites_nothing(office):
    """Rule: the version the editor saw must be the risk's: another leader's save, a review approved or a
    repeat incident in between and the stale page is refused (400 with the reason), nothing written."""
    av = Risk.objects.get(pk=office.av.pk)
    stale = _risk_post(office, av, title="甲的修改")
    assert (
        _client(office.deputy)
        .post(f"/risks/{av.pk}/edit", _risk_post(office, av, title="乙的修改"))
        .status_code
        == 302
    )
    resp = _client(office.director).post(f"/risks/{av.pk}/edit", stale)
    assert resp.status_code == 400 and "已被他人修改，请刷新后重新填写" in resp.content.decode()
    assert "甲的修改" in resp.content.decode()  # what he typed is still on his page
    assert Risk.objects.get(pk=av.pk).title == "乙的修改"

    # a review approved meanwhile moves the version too
    av.refresh_from_db()
    seen = _risk_post(office, av, likelihood=1)
    campaign = campaign_open(
        actor=office.director,
        title="排查",
        deadline=timezone.now() + dt.timedelta(days=7),
        sections=[office.general],
    )
    review = campaign.reviews.get(risk=av)
    review_submit(
        actor=office.meeting_clerk,
        review=review,
        likelihood=4,
        impact=4,
        controls_effective=False,
        assessment="话筒备用不足，需增加备用设备并提前测试",
    )
    review_decide(actor=office.chief, review=review, approve=True, note="")
    resp = _client(office.director).post(f"/risks/{av.pk}/edit", seen)
    assert resp.status_code == 400 and Risk.objects.get(pk=av.pk).likelihood == 4

    # a post edited meanwhile
    post = office.meeting_post
    form = {
        "name": "会务保障岗",
        "section": office.general.pk,
        "holders": [office.meeting_clerk.pk],
        "sort_order": 1,
        "is_active": "on",
        "version": post.version,
    }
    assert (
        _client(office.deputy)
        .post(f"/risks/posts/{post.pk}/edit", {**form, "holders": [office.duty_clerk.pk]})
        .status_code
        == 302
    )
    resp = _client(office.director).post(f"/risks/posts/{post.pk}/edit", form)
    assert resp.status_code == 400 and list(Post.objects.get(pk=post.pk).holders.all()) == [office.duty_clerk]


def test_a_post_taken_out_of_use_reminds_nobody_and_put_back_reminds_again(office):
    post = office.meeting_post
    form = {
        "name": post.name,
        "section": office.general.pk,
        "holders": [office.meeting_clerk.pk],
        "sort_order": 1,
        "version": post.version,
    }
    c = _client(office.director)
    assert c.post(f"/risks/posts/{post.pk}/edit", form).status_code == 302  # no is_active: 停用
    assert _review_timer(office.av) is None
    event = AuditEvent.objects.filter(verb="risks.post_updated").get()
    assert event.data["before"]["is_active"] is True and event.data["after"]["is_active"] is False
    assert "已停用" in c.get("/risks/posts/").content.decode()
    assert (
        c.post(
            f"/risks/posts/{post.pk}/edit", {**form, "is_active": "on", "version": post.version + 1}
        ).status_code
        == 302
    )
    assert _review_timer(office.av).due_at == Risk.objects.get(pk=office.av.pk).next_review_at


def test_an_unassigned_incident_is_tied_to_its_risk_by_a_leader_and_the_repeat_rule_applies(office):
    """Rule: an incident no risk was found for is listed for the leaders, who tie it to a risk; a second
    incident within the window then raises that risk's likelihood, as if it had been found at once. An
    incident already on a risk cannot be moved."""
    now = timezone.now()
    incident_record(
        kind=IncidentKind.DOCUMENT_UNREVIEWED,
        summary="先例",
        occurred_at=now - dt.timedelta(days=40),
        risk=office.late,
    )
    orphan = incident_record(kind=IncidentKind.OTHER, summary="无人认领的事件", occurred_at=now)
    assert orphan.risk_id is None  # no risk is mapped for this kind
    c = _client(office.director)
    page = c.get("/risks/failed/").content.decode()
    assert "无人认领的事件" in page and f"/risks/incidents/{orphan.pk}/assign" in page
    assert (
        f"/risks/incidents/{orphan.pk}/assign"
        not in _client(office.chief).get("/risks/failed/").content.decode()
    )
    assert (
        _client(office.chief)
        .post(f"/risks/incidents/{orphan.pk}/assign", {"risk": office.late.pk})
        .status_code
        == 403
    )

    resp = c.post(f"/risks/incidents/{orphan.pk}/assign", {"risk": office.late.pk})
    assert resp.status_code == 302
    orphan.refresh_from_db()
    late = Risk.objects.get(pk=office.late.pk)
    assert orphan.risk_id == late.pk and orphan.raised_likelihood and late.likelihood == 3
    assert late.version == office.late.version + 1  # a page opened before the raise is now stale
    assert AuditEvent.objects.filter(verb="risks.incident_assigned", subject_id=str(orphan.pk)).exists()
    # assigned: gone from the list, and a second assignment is refused (404: no longer unassigned)
    assert c.post(f"/risks/incidents/{orphan.pk}/assign", {"risk": office.av.pk}).status_code == 404
    assert RiskIncident.objects.get(pk=orphan.pk).risk_id == late.pk
    # no risk chosen: a message, nothing written
    other = incident_record(kind=IncidentKind.OTHER, summary="另一件", occurred_at=now)
    resp = c.post(f"/risks/incidents/{other.pk}/assign", {"risk": ""}, follow=True)
    assert (
        "请选择要归入的风险点" in resp.content.decode()
        and RiskIncident.objects.get(pk=other.pk).risk_id is None
    )


def test_a_review_past_its_date_is_marked_overdue_on_the_risk_and_in_the_register(office):
    Risk.objects.filter(pk=office.av.pk).update(next_review_at=timezone.now() - dt.timedelta(days=3))
    c = _client(office.director)
    assert "复核已逾期" in c.get(f"/risks/{office.av.pk}/").content.decode()
    assert "复核已逾期" not in c.get(f"/risks/{office.late.pk}/").content.decode()
    register = c.get("/risks/").content.decode()
    assert register.count("复核已逾期") == 1
