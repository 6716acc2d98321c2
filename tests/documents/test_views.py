"""The pages: home tabs (query count independent of the number of documents), new draft, the draft page
(findings inline, versions, diff, comments, chain and its actions), the conflict page keeping the text,
the number register, acknowledgement by the unit."""

import pytest
from django.urls import reverse

from documents.models import Classification, DocStatus, DocumentReceipt, ReviewStep, StepStatus
from documents.services import (
    chain_configure,
    document_register_number,
    document_save_text,
    document_submit_for_review,
    step_approve,
)
from office.org.models import Role
from tests.factories import make_user

from .factories import make_document

pytestmark = pytest.mark.django_db

BODY = "一、基本情况\n某某项目进度滞后，请各单位抓紧推进。\n二、工作要求\n请于5个工作日内报送整改情况。"


@pytest.fixture
def cast(db, unit_a):
    return {
        "drafter": make_user(Role.STAFF),
        "chief": make_user(Role.SECTION_CHIEF),
        "signer": make_user(Role.DIRECTOR),
        "unit": make_user(Role.EXTERNAL_UNIT, unit=unit_a),
    }


def _login(client, user):
    client.force_login(user)
    return client


def test_new_draft_form_errors_in_chinese_and_nothing_written(client, cast):
    from documents.models import Document

    _login(client, cast["drafter"])
    before = Document.objects.count()
    resp = client.post(reverse("documents:new"), {"doc_type": "notice", "title": "", "body": ""})
    assert resp.status_code == 400
    assert "这个字段是必填项" in resp.content.decode() or "必填" in resp.content.decode()
    assert Document.objects.count() == before
    resp = client.post(
        reverse("documents:new"),
        {"doc_type": "notice", "title": "关于做好年终工作的通知", "body": BODY, "classification": "internal"},
    )
    assert resp.status_code == 302
    doc = Document.objects.latest("id")
    assert doc.created_by == cast["drafter"] and doc.versions.count() == 1


def test_draft_page_shows_findings_inline_and_comments_on_their_paragraph(client, cast):
    doc = make_document(
        actor=cast["drafter"], prefix=None, body="一、基本情况\n我们,你们都要抓紧推进。", origin=""
    )
    from documents.services import comment_add

    comment_add(actor=cast["chief"], document=doc, paragraph=1, text="请改用全角逗号")
    page = _login(client, cast["drafter"]).get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert 'class="pf-error"' in page
    assert "请改用全角逗号" in page and 'id="para-1"' in page


def test_conflicting_save_answers_409_shows_the_other_version_and_keeps_the_users_text(client, cast):
    doc = make_document(actor=cast["drafter"], prefix=None, body=BODY, origin="")
    document_save_text(
        actor=cast["drafter"], document=doc, base_revision=1, title=doc.title, body=BODY + "\n甲的修改"
    )
    resp = _login(client, cast["drafter"]).post(
        reverse("documents:save", args=[doc.pk]),
        {"revision": 1, "title": doc.title, "body": BODY + "\n乙的修改"},
    )
    assert resp.status_code == 409
    page = resp.content.decode()
    assert "保存冲突" in page and 'data-testid="conflict-body"' in page and "甲的修改" in page
    assert "乙的修改" in page  # the user's text is still in the form
    doc.refresh_from_db()
    assert doc.body.endswith("甲的修改")


def test_diff_page_side_by_side(client, cast):
    doc = make_document(actor=cast["drafter"], prefix=None, body=BODY, origin="")
    document_save_text(
        actor=cast["drafter"], document=doc, base_revision=1, title=doc.title, body=BODY + "甲"
    )
    page = _login(client, cast["drafter"]).get(reverse("documents:diff", args=[doc.pk]) + "?a=1&b=2")
    assert page.status_code == 200 and "<ins>甲</ins>" in page.content.decode()


def test_chain_walk_on_the_pages_then_register_publish_and_unit_acknowledges(client, cast, unit_a):
    c = cast
    doc = make_document(actor=c["drafter"], prefix=None, body=BODY, origin="", recipient_units=[unit_a])
    _login(client, c["drafter"])
    resp = client.post(
        reverse("documents:chain", args=[doc.pk]),
        {"reviewer_1": c["chief"].pk, "signer": c["signer"].pk, "countersign_parallel": "1"},
    )
    assert resp.status_code == 302
    assert client.post(reverse("documents:submit", args=[doc.pk])).status_code == 302
    step = ReviewStep.objects.get(document=doc, status=StepStatus.PENDING)
    assert step.assignee == c["chief"]
    # the drafter may not approve the chief's step
    resp = client.post(reverse("documents:step-action", args=[doc.pk, step.pk, "approve"]))
    assert resp.status_code == 403
    _login(client, c["chief"])
    home = client.get(reverse("documents:home") + "?tab=todo").content.decode()
    assert doc.title in home
    client.post(
        reverse("documents:step-action", args=[doc.pk, step.pk, "approve"]), {f"s{step.pk}-opinion": "已核。"}
    )
    sign = ReviewStep.objects.get(document=doc, status=StepStatus.PENDING)
    _login(client, c["signer"])
    client.post(
        reverse("documents:step-action", args=[doc.pk, sign.pk, "approve"]), {f"s{sign.pk}-opinion": "同意。"}
    )
    doc.refresh_from_db()
    assert doc.status == DocStatus.SIGNED and not doc.signed_without_review
    _login(client, c["chief"])  # a section chief is a 文书
    client.post(reverse("documents:action", args=[doc.pk, "register"]))
    client.post(reverse("documents:action", args=[doc.pk, "publish"]))
    doc.refresh_from_db()
    assert doc.status == DocStatus.PUBLISHED and doc.number
    _login(client, c["unit"])
    assert doc.title in client.get(reverse("documents:home") + "?tab=read").content.decode()
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert 'data-testid="acknowledge"' in page and 'data-testid="chain"' not in page
    client.post(reverse("documents:action", args=[doc.pk, "acknowledge"]))
    assert DocumentReceipt.objects.get(document=doc, unit=unit_a).acknowledged_via == "page"
    _login(client, c["drafter"])
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "已签收 1 / 1" in page


def test_secret_draft_never_appears_for_someone_not_cleared(client, cast):
    doc = make_document(
        actor=cast["drafter"],
        prefix=None,
        body=BODY,
        origin="",
        classification=Classification.SECRET,
        title="秘密级草稿标题",
    )
    chief = make_user(Role.SECTION_CHIEF)
    _login(client, chief)
    for tab in ("todo", "read", "done", "drafts"):
        assert "秘密级草稿标题" not in client.get(reverse("documents:home") + f"?tab={tab}").content.decode()
    assert client.get(reverse("documents:detail", args=[doc.pk])).status_code == 404
    assert client.get(reverse("documents:diff", args=[doc.pk])).status_code == 404
    assert (
        client.post(
            reverse("documents:comment-add", args=[doc.pk]), {"paragraph": 0, "text": "x"}
        ).status_code
        == 404
    )
    _login(client, cast["drafter"])
    assert "秘密级草稿标题" in client.get(reverse("documents:home") + "?tab=drafts").content.decode()


def _pending_for(user, n):
    signer = make_user(Role.DIRECTOR)
    drafter = make_user(Role.STAFF)
    for i in range(n):
        doc = make_document(actor=drafter, prefix=None, body=BODY, origin="", title=f"待办公文{i}")
        chain_configure(actor=drafter, document=doc, reviewers=[user], signer=signer)
        document_submit_for_review(actor=drafter, document=doc)


def test_home_tabs_query_count_does_not_grow_with_documents(client, cast, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = cast["chief"]
    _login(client, user)
    counts = {}
    for n in (2, 12):
        _pending_for(user, n if n == 2 else 10)
        for tab in ("todo", "read", "done", "drafts"):
            client.get(reverse("documents:home") + f"?tab={tab}")  # warm caches
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("documents:home") + f"?tab={tab}").status_code == 200
            counts[(n, tab)] = len(ctx.captured_queries)
    for tab in ("todo", "read", "done", "drafts"):
        assert counts[(2, tab)] == counts[(12, tab)], counts


def test_number_register_page_lists_gaps_with_reasons(client, cast):
    from documents.services import document_withdraw

    c = cast
    doc = make_document(actor=c["drafter"], prefix=None, body=BODY, origin="")
    chain_configure(actor=c["drafter"], document=doc, reviewers=[], signer=c["signer"])
    document_submit_for_review(actor=c["drafter"], document=doc)
    step_approve(actor=c["signer"], step=doc.steps.get(status="pending"), opinion="同意。")
    document_register_number(actor=c["chief"], document=doc)
    document_withdraw(actor=c["chief"], document=doc, reason="标题有误，重新拟稿")
    page = _login(client, c["chief"]).get(reverse("documents:numbers")).content.decode()
    assert "空号" in page and "标题有误，重新拟稿" in page
    assert _login(client, c["drafter"]).get(reverse("documents:numbers")).status_code == 403


def test_htmx_actions_answer_next_to_the_control_or_reload_the_page(client, cast):
    doc = make_document(actor=cast["drafter"], prefix=None, body=BODY, origin="")
    _login(client, cast["drafter"])
    url = reverse("documents:submit", args=[doc.pk])
    refused = client.post(url, headers={"HX-Request": "true"})
    assert refused.status_code == 200 and "请先设置审核流程" in refused.content.decode()
    resp = client.post(
        reverse("documents:chain", args=[doc.pk]),
        {"signer": cast["signer"].pk, "countersign_parallel": "1"},
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 204 and resp["HX-Redirect"] == reverse("documents:detail", args=[doc.pk])
    bad = client.post(reverse("documents:chain", args=[doc.pk]), {}, headers={"HX-Request": "true"})
    assert "签发人" in bad.content.decode()
