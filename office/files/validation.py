"""Uploads are accepted by what they are, not by what they are called: the type is read from the
content (``filetype``), checked against an allow-list, and the stored name takes the extension of the
detected type. The original name is kept only as a label, reduced to a safe name."""

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

from office.conf import office_setting
from office.errors import Invalid, TooLarge

# Detected extension -> what the clerk is told it is. PDF, Office documents (OOXML, OLE, ODF, RTF),
# images (no SVG: it carries script), and plain text.
ALLOWED_TYPES = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "rtf": "RTF",
    "odt": "ODF",
    "xls": "Excel",
    "xlsx": "Excel",
    "ods": "ODF",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "odp": "ODF",
    "jpg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WebP",
    "bmp": "BMP",
    "tif": "TIFF",
    "heic": "HEIC",
    "txt": "TXT",
}
_MARKUP = re.compile(rb"^\s*(<\?xml|<!doctype|<html|<svg|<script|<body|<head|<iframe|<meta|<a\s)", re.I)
_TEXT_ENCODINGS = ("utf-8", "gb18030")


def max_upload_bytes() -> int:
    return int(office_setting("OFFICE_UPLOAD_MAX_MB", 20)) * 1024 * 1024


def safe_filename(name: str, *, default: str = "附件") -> str:
    """The original name reduced to something safe to show and to put in a header: no path, no
    control or separator characters, at most 100 characters (the extension kept)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*;\x00]', "", name).strip().lstrip(".").strip()
    if not name:
        return default
    stem, ext = os.path.splitext(name)
    if len(name) > 100:
        name = stem[: 100 - len(ext[:10])] + ext[:10]
    return name


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head or _MARKUP.match(head):
        return False
    for enc in _TEXT_ENCODINGS:
        try:
            head.decode(enc)
            return True
        except UnicodeDecodeError as exc:
            # the sample may end inside a multi-byte character
            if len(head) >= 8192 and exc.start >= len(head) - 4:
                return True
    return False


def detect_extension(head: bytes) -> str | None:
    """The allowed extension of this content, or None when it is not an allowed type."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.extension if kind.extension in ALLOWED_TYPES else None
    return "txt" if head and _looks_like_text(head) else None


@dataclass(frozen=True)
class CheckedUpload:
    file: object  # the uploaded file, renamed for storage
    original_name: str
    extension: str
    size: int


def allowed_types_label() -> str:
    return "PDF、Word、Excel、PowerPoint、WPS/ODF 文档、图片（JPG、PNG、GIF、WebP、BMP、TIFF）、纯文本"


def check_upload(upload, *, field: str = "attachment") -> CheckedUpload:
    """Check one uploaded file; raise ``TooLarge`` (413) or ``Invalid`` (400) with a clerk's message.

    On success the file object's ``name`` is replaced by a random name with the detected extension,
    so the stored path cannot be guessed and never carries the sender's extension."""
    original = safe_filename(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    limit = max_upload_bytes()
    if size > limit:
        msg = _("附件“{name}”过大（{size:.1f} MB），不能超过 {limit} MB。").format(
            name=original, size=size / 1048576, limit=limit // 1048576
        )
        raise TooLarge(msg, fields={field: [msg]})
    if size == 0:
        msg = _("附件“{name}”是空文件。").format(name=original)
        raise Invalid(msg, fields={field: [msg]})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    ext = detect_extension(head)
    if ext is None:
        msg = _("不接受附件“{name}”的文件类型。只接受：{types}。").format(
            name=original, types=allowed_types_label()
        )
        raise Invalid(msg, fields={field: [msg]})
    upload.name = f"{uuid.uuid4().hex}.{ext}"
    return CheckedUpload(file=upload, original_name=original, extension=ext, size=size)


def stored_name(prefix: str, filename: str) -> str:
    from django.utils import timezone

    ext = os.path.splitext(filename)[1].lower()[:10]
    now = timezone.localdate()
    return f"{prefix}/{now:%Y/%m}/{uuid.uuid4().hex}{ext}"
