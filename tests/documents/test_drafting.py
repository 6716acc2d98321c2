"""Drafting: every save a version with author and time; optimistic locking (two editors: the second gets
a conflict, both texts survive); paragraph comments; the side-by-side diff; 秘密 drafts scoped."""

import pytest

from documents.diff import side_by_side
from documents.models import Classification, DocumentVersion
from documents.selectors import version_pair_for_user
from documents.services import (
    DocumentError,
    DraftConflict,
    chain_configure,
    comment_add,
    comment_resolve,
    document_save_text,
    document_submit_for_review,
)
from office.errors import Forbidden, NotFound
from office.org.models import Role
from tests.factories import make_user

from .factories import make_document

pytestmark = pytest.mark.django_db

BODY = "一、基本情况\n某某项目进度滞后。\n二、工作要求\n请于5个工作日内报送整改情况。"


@pytest.fixture
def drafter(db):
    return make_user(Role.STAFF)


def test_every_save_is_a_version_with_author_and_revision_moves_on(drafter):
    doc = make_document(actor=drafter, prefix=None, body=BODY)
    assert list(doc.versions.values_list("number", "author")) == [(1, drafter.pk)]
    v2 = document_save_text(
        actor=drafter, document=doc, base_revision=1, title=doc.title, body=BODY + "\n三、其他"
    )
    doc.refresh_from_db()
    assert (v2.number, v2.author, doc.revision) == (2, drafter, 2)
    # an unchanged save writes no version
    assert (
        document_save_text(actor=drafter, document=doc, base_revision=2, title=doc.title, body=doc.body)
        is None
    )
    assert doc.versions.count() == 2


def test_two_concurrent_editors_the_second_gets_a_conflict_and_nothing_is_lost(drafter):
    """Two 会签 bodies in parallel both hold the draft; both open it at the same revision, the first
    saves, the second's save is refused with the first's version named; both texts exist afterwards."""
    doc = make_document(actor=drafter, prefix=None, body=BODY)
    finance, planning = make_user(Role.STAFF), make_user(Role.STAFF)
    signer = make_user(Role.DIRECTOR)
    chain_configure(
        actor=drafter,
        document=doc,
        reviewers=[],
        countersigners=[(finance, "市财政局"), (planning, "市发展改革委")],
        countersign_parallel=True,
        signer=signer,
    )
    document_submit_for_review(actor=drafter, document=doc)
    doc.refresh_from_db()
    loaded = doc.revision  # both pages were opened at this revision
    document_save_text(
        actor=finance, document=doc, base_revision=loaded, title=doc.title, body=BODY + "\n财政局的修改"
    )
    with pytest.raises(DraftConflict, match="保存冲突：.*已于.*第2版") as exc:
        document_save_text(
            actor=planning, document=doc, base_revision=loaded, title=doc.title, body=BODY + "\n发改委的修改"
        )
    assert exc.value.code == "conflict" and exc.value.current.body.endswith("财政局的修改")
    assert exc.value.current.author == finance
    doc.refresh_from_db()
    assert doc.body.endswith("财政局的修改") and doc.versions.count() == 2
    # reloaded at the new revision, the second editor's text goes in as version 3
    document_save_text(
        actor=planning,
        document=doc,
        base_revision=doc.revision,
        title=doc.title,
        body=BODY + "\n发改委的修改",
    )
    assert [v.body.rsplit("\n", 1)[-1] for v in doc.versions.order_by("number")][1:] == [
        "财政局的修改",
        "发改委的修改",
    ]


def test_editing_is_the_drafters_in_draft_and_the_pending_assignees_in_review(drafter):
    doc = make_document(actor=drafter, prefix=None, body=BODY)
    other = make_user(Role.STAFF)
    with pytest.raises(Forbidden, match="草稿只能由拟稿人修改"):
        document_save_text(actor=other, document=doc, base_revision=1, title="改", body="改")
    with pytest.raises(DocumentError, match="请填写标题和正文"):
        document_save_text(actor=drafter, document=doc, base_revision=1, title=" ", body="")


def test_comments_anchor_to_a_paragraph_with_its_quote_and_can_be_resolved(drafter):
    doc = make_document(actor=drafter, prefix=None, body=BODY)
    chief = make_user(Role.SECTION_CHIEF)
    c = comment_add(actor=chief, document=doc, paragraph=1, text="“滞后”程度请量化")
    assert (c.paragraph, c.quote, c.version_number) == (1, "某某项目进度滞后。", 1)
    with pytest.raises(DocumentError, match="所选段落不存在"):
        comment_add(actor=chief, document=doc, paragraph=9, text="x")
    with pytest.raises(Forbidden, match="只有批注人或拟稿人可以处理批注"):
        comment_resolve(actor=make_user(Role.STAFF), comment=c)
    c = comment_resolve(actor=drafter, comment=c)
    assert c.resolved_by == drafter and c.resolved_at is not None


def test_diff_side_by_side_marks_changed_paragraphs_and_characters():
    rows = side_by_side("甲\n乙丙丁\n戊", "甲\n乙丙戊丁\n己")
    assert rows[0]["tag"] == "equal"
    changed = rows[1]
    assert changed["tag"] == "replace"
    assert "<ins>戊</ins>" in changed["right"] and changed["left"] == "乙丙丁"
    assert any(r["tag"] in ("replace", "insert", "delete") for r in rows[2:])
    assert side_by_side("<b>", "<i>")[0]["left"].startswith("&lt;")  # escaped


def test_a_secret_drafts_versions_are_not_found_for_someone_not_cleared(drafter):
    doc = make_document(actor=drafter, prefix=None, body=BODY, classification=Classification.SECRET)
    document_save_text(actor=drafter, document=doc, base_revision=1, title=doc.title, body=BODY + "\n补充")
    a, b = version_pair_for_user(user=drafter, document_id=doc.pk, a=1, b=2)
    assert (a.number, b.number) == (1, 2)
    with pytest.raises(NotFound):
        version_pair_for_user(user=make_user(Role.SECTION_CHIEF), document_id=doc.pk, a=1, b=2)
    assert DocumentVersion.objects.filter(document=doc).count() == 2
