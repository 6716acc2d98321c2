"""Incoming documents for tests, written with the ORM where a test needs a state without walking the
flow (the flow itself is tested through the services in test_incoming*.py)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from documents.incoming.models import IncomingChannel, IncomingDocument, IncomingStatus
from documents.models import Classification
from documents.services import format_number, next_number

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def make_incoming(
    *,
    title: str = "关于做好防汛工作的通知",
    sender_unit=None,
    classification: str = Classification.INTERNAL,
    status: str = IncomingStatus.REGISTERED,
    with_file: bool = True,
    **fields,
) -> IncomingDocument:
    year = timezone.localdate().year
    seq = next_number(prefix="收", year=year)
    doc = IncomingDocument(
        channel=IncomingChannel.API if sender_unit else IncomingChannel.PAPER,
        sender_unit=sender_unit,
        issuing_body=sender_unit.name if sender_unit else "市应急管理局",
        their_number=fields.pop("their_number", f"测发〔{year}〕{seq}号"),
        title=title,
        classification=classification,
        status=status,
        prefix="收",
        year=year,
        seq=seq,
        serial=format_number("收", year, seq),
        **fields,
    )
    if with_file:
        doc.file.save("incoming.pdf", ContentFile(PDF_BYTES), save=False)
        doc.file_name = "来文.pdf"
    doc.save()
    return doc


def incoming_world(w):
    """The authorization matrix's incoming documents: one unit A sent through the API, one 秘密."""
    if not hasattr(w, "incoming"):
        w.incoming = make_incoming(title="甲镇关于防汛准备情况的报告", sender_unit=w.unit_a)
        w.secret_incoming = make_incoming(title="秘密级来文测试", classification=Classification.SECRET)
    return w
