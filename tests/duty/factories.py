"""Factories of the duty room: published shifts and urgent reports."""

from datetime import datetime
from zoneinfo import ZoneInfo

from duty.models import Roster, RosterStatus, Shift

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


def make_shift(
    starts_at, ends_at, *, leader=None, main=None, deputy=None, slot=None, published=True
) -> Shift:
    local = starts_at.astimezone(TZ)
    roster, _ = Roster.objects.get_or_create(
        year=local.year,
        month=local.month,
        defaults={"status": RosterStatus.PUBLISHED if published else RosterStatus.DRAFT},
    )
    if slot is None:
        slot = Shift.objects.filter(day=local.date()).count()
    return Shift.objects.create(
        roster=roster,
        day=local.date(),
        slot=slot,
        starts_at=starts_at,
        ends_at=ends_at,
        leader=leader,
        main_officer=main,
        deputy_officer=deputy,
    )


# Real file heads: uploads are checked by content, so a test's "photo" must look like one.
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03" + b"\x00" * 200
HTML_BYTES = b"<html><body><script>alert(document.cookie)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
