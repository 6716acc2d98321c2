import pytest

from documents.models import DocStatus, DocumentNumberSequence
from documents.selectors import document_list_for_user
from documents.services import (
    DocumentError,
    document_publish,
    document_sign_off,
    document_submit_for_review,
    register_sign_off_hook,
)
from office.audit.models import AuditEvent
from office.org.models import Role
from tests.factories import make_user

from .factories import make_document

pytestmark = pytest.mark.django_db


def test_numbers_are_sequential_per_prefix_and_year():
    a = make_document()
    b = make_document()
    c = make_document(prefix="督办通报")
    assert (a.seq, b.seq, c.seq) == (1, 2, 1)
    assert b.number.endswith(f"〔{b.year}〕2号")
    assert DocumentNumberSequence.objects.get(prefix="督办通").last_value == 2


def test_sign_off_requires_review_and_opinion_and_runs_hook(director):
    called = []
    register_sign_off_hook("hooktest", lambda d: called.append(d.pk))
    doc = make_document(origin="hooktest")
    with pytest.raises(DocumentError):
        document_sign_off(actor=director, document=doc, opinion="同意")
    document_submit_for_review(actor=director, document=doc)
    with pytest.raises(DocumentError):
        document_sign_off(actor=director, document=doc, opinion=" ")
    doc = document_sign_off(actor=director, document=doc, opinion="同意。")
    assert doc.status == DocStatus.SIGNED and doc.signer == director
    assert called == [doc.pk]
    assert AuditEvent.objects.filter(verb="documents.document_signed", subject_id=str(doc.pk)).exists()


def test_publish_only_after_sign_off(director):
    doc = make_document()
    with pytest.raises(DocumentError):
        document_publish(actor=director, document=doc)


def test_external_unit_reads_only_published_documents_addressed_to_it(unit_a, unit_b, director):
    user_a = make_user(Role.EXTERNAL_UNIT, unit=unit_a)
    to_a = make_document(recipient_units=[unit_a])
    to_b = make_document(recipient_units=[unit_b])
    for d in (to_a, to_b):
        document_submit_for_review(actor=director, document=d)
        document_sign_off(actor=director, document=d, opinion="同意")
        document_publish(actor=director, document=d)
    draft_to_a = make_document(recipient_units=[unit_a])
    visible = set(document_list_for_user(user=user_a).values_list("pk", flat=True))
    assert visible == {to_a.pk}
    assert draft_to_a.pk not in visible


def test_docx_download_404_for_other_unit(client, unit_a, unit_b, director):
    user_a = make_user(Role.EXTERNAL_UNIT, unit=unit_a)
    doc = make_document(recipient_units=[unit_b])
    client.force_login(user_a)
    assert client.get(f"/documents/{doc.pk}/docx").status_code == 404
    client.force_login(director)
    resp = client.get(f"/documents/{doc.pk}/docx")
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
