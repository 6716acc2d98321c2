"""After sign-off: number registration (per type and year, never reused, gaps explained), publication to
units with receipts, acknowledgement through the page or the API, archive."""

import threading

import pytest
from django.db import connection

from documents.models import DocStatus, DocumentReceipt, NumberGap
from documents.selectors import number_register
from documents.services import (
    DocumentError,
    chain_configure,
    document_archive,
    document_publish,
    document_register_number,
    document_submit_for_review,
    document_withdraw,
    next_number,
    receipt_acknowledge,
    step_approve,
)
from office.errors import Forbidden, NotFound
from office.notifications.models import Notification
from office.org.models import Role
from office.org.principals import UnitPrincipal
from tests.factories import make_user

from .factories import make_document

pytestmark = pytest.mark.django_db

BODY = "一、基本情况\n某某项目进度滞后，请各单位抓紧推进。"


def _signed(drafter, signer, **kw):
    doc = make_document(actor=drafter, prefix=None, origin="", body=BODY, **kw)
    chain_configure(actor=drafter, document=doc, reviewers=[], signer=signer)
    document_submit_for_review(actor=drafter, document=doc)
    step_approve(actor=signer, step=doc.steps.get(status="pending"), opinion="同意。")
    doc.refresh_from_db()
    return doc


@pytest.fixture
def cast(db, unit_a, unit_b):
    return {
        "drafter": make_user(Role.STAFF),
        "signer": make_user(Role.DIRECTOR),
        "clerk": make_user(Role.SECTION_CHIEF),
        "unit_a": make_user(Role.EXTERNAL_UNIT, unit=unit_a),
        "unit_b": make_user(Role.EXTERNAL_UNIT, unit=unit_b),
    }


def test_registration_numbers_per_type_prefix_and_year_without_leading_zero(cast, settings):
    settings.DOCUMENTS_NUMBER_PREFIXES = {"notice": "市委办发", "letter": "市委办函", "*": "市委办发"}
    c = cast
    a = _signed(c["drafter"], c["signer"])
    b = _signed(c["drafter"], c["signer"], doc_type="letter")
    with pytest.raises(Forbidden, match="只有文书人员可以登记发文字号"):
        document_register_number(actor=c["drafter"], document=a)
    a = document_register_number(actor=c["clerk"], document=a)
    b = document_register_number(actor=c["clerk"], document=b)
    year = a.signed_at.year
    assert (a.number, b.number) == (f"市委办发〔{year}〕1号", f"市委办函〔{year}〕1号")
    assert document_register_number(actor=c["clerk"], document=a).number == a.number  # once


def test_withdrawn_number_is_a_gap_with_its_reason_and_is_never_reused(cast):
    c = cast
    a = document_register_number(actor=c["clerk"], document=_signed(c["drafter"], c["signer"]))
    with pytest.raises(DocumentError, match="请填写撤回原因"):
        document_withdraw(actor=c["clerk"], document=a, reason=" ")
    withdrawn = document_withdraw(actor=c["clerk"], document=a, reason="领导要求暂缓发文")
    assert (withdrawn.status, withdrawn.number, withdrawn.signer) == (DocStatus.DRAFT, "", None)
    b = document_register_number(actor=c["clerk"], document=_signed(c["drafter"], c["signer"]))
    assert b.seq == 2
    register = number_register(prefix=a.prefix, year=a.year)
    assert [(r["seq"], r["gap"].reason if r["gap"] else None, r["document"]) for r in register["rows"]] == [
        (1, "领导要求暂缓发文", None),
        (2, None, b),
    ]
    # the withdrawn draft can go round the chain again
    document_submit_for_review(actor=c["drafter"], document=withdrawn)
    assert withdrawn.steps.filter(status="pending", round=2).count() == 1


def test_publish_needs_a_number_then_delivers_receipts_and_notifies_the_units(cast, unit_a, unit_b):
    c = cast
    doc = _signed(c["drafter"], c["signer"], recipient_units=[unit_a])
    with pytest.raises(DocumentError, match="请先登记发文字号"):
        document_publish(actor=c["clerk"], document=doc)
    document_register_number(actor=c["clerk"], document=doc)
    doc = document_publish(actor=c["clerk"], document=doc)
    assert doc.status == DocStatus.PUBLISHED
    assert list(DocumentReceipt.objects.filter(document=doc).values_list("unit", flat=True)) == [unit_a.pk]
    assert Notification.objects.filter(recipient=c["unit_a"], title__contains="请签收公文").exists()
    assert not Notification.objects.filter(recipient=c["unit_b"]).exists()


def test_units_acknowledge_through_the_page_or_their_key_and_others_cannot(cast, unit_a, unit_b):
    from office.org.models import UnitAPIKey

    c = cast
    doc = _signed(c["drafter"], c["signer"], recipient_units=[unit_a, unit_b])
    document_register_number(actor=c["clerk"], document=doc)
    document_publish(actor=c["clerk"], document=doc)
    r = receipt_acknowledge(actor=c["unit_a"], document=doc)
    assert (r.acknowledged_by, r.acknowledged_via) == (c["unit_a"], "page")
    first = r.acknowledged_at
    assert receipt_acknowledge(actor=c["unit_a"], document=doc).acknowledged_at == first  # twice harmless
    _key, raw = UnitAPIKey.objects.create_key(name="乙", unit=unit_b)
    principal = UnitPrincipal(_key)
    r = receipt_acknowledge(actor=principal, document=doc, via="api")
    assert (r.acknowledged_by, r.acknowledged_via) == (None, "api")
    with pytest.raises(Forbidden, match="只有收文单位可以签收"):
        receipt_acknowledge(actor=c["clerk"], document=doc)
    other = make_user(Role.EXTERNAL_UNIT)
    with pytest.raises(NotFound):
        receipt_acknowledge(actor=other, document=doc)


def test_archive_only_after_publication(cast, unit_a):
    c = cast
    doc = _signed(c["drafter"], c["signer"], recipient_units=[unit_a])
    with pytest.raises(DocumentError, match="印发后才能归档"):
        document_archive(actor=c["clerk"], document=doc)
    document_register_number(actor=c["clerk"], document=doc)
    document_publish(actor=c["clerk"], document=doc)
    doc = document_archive(actor=c["clerk"], document=doc)
    assert doc.status == DocStatus.ARCHIVED and doc.archived_at is not None
    # the receiving unit still sees what it received
    from documents.access import can_view

    assert can_view(c["unit_a"], doc)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_numbering_under_concurrency_on_postgresql_hands_out_each_number_once():
    """Eight clerks register eight signed documents at the same instant, each thread on its own
    connection: numbers 1..8, each once, no gap."""
    assert connection.vendor == "postgresql"
    drafter, signer = make_user(Role.STAFF), make_user(Role.DIRECTOR)
    clerks = [make_user(Role.SECTION_CHIEF) for _ in range(8)]
    docs = [_signed(drafter, signer) for _ in range(8)]
    barrier = threading.Barrier(len(docs))
    got: list[str] = []
    errors: list[Exception] = []

    def register(clerk, doc):
        try:
            barrier.wait()
            got.append(document_register_number(actor=clerk, document=doc).number)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=pair) for pair in zip(clerks, docs, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    year = docs[0].signed_at.year
    assert sorted(got, key=lambda n: int(n.split("〕")[1][:-1])) == [
        f"市委办发〔{year}〕{i}号" for i in range(1, 9)
    ]
    from django.db import transaction

    with transaction.atomic():
        assert next_number(prefix="市委办发", year=year) == 9
    assert not NumberGap.objects.exists()
