"""签收 and 登记: at the desk (paper, 机要交通) and from another office's system (the API)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Classification, Urgency
from documents.services import format_number, next_number
from office.files.validation import CheckedUpload, check_upload
from office.notifications.services import notify
from office.org.types import Actor

from .. import access, conf
from ..models import (
    IncomingChannel,
    IncomingDocument,
)
from .common import (
    IncomingError,
    audit,
    clerks,
    invalid,
    person,
    text,
)


@dataclass(frozen=True)
class IncomingFields:
    """What the register records about a document (the sign-for form and the API fill it)."""

    issuing_body: str
    title: str
    their_number: str = ""
    their_date: dt.date | None = None
    classification: str = Classification.INTERNAL
    urgency: str = ""
    pages: int = 1
    copies: int = 1


def _clean_fields(f: IncomingFields) -> IncomingFields:
    errors: dict[str, list[str]] = {}
    if not text(f.title):
        errors["title"] = [_("请填写来文标题。")]
    if not text(f.issuing_body):
        errors["issuing_body"] = [_("请填写来文机关。")]
    if f.classification not in Classification.values:
        errors["classification"] = [_("密级不正确。")]
    if f.urgency not in Urgency.values:
        errors["urgency"] = [_("紧急程度不正确。")]
    if not isinstance(f.pages, int) or f.pages < 1:
        errors["pages"] = [_("页数至少为 1。")]
    if not isinstance(f.copies, int) or f.copies < 1:
        errors["copies"] = [_("份数至少为 1。")]
    if f.their_date and f.their_date > timezone.localdate():
        errors["their_date"] = [_("成文日期不能晚于今天。")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise IncomingError(first, code="invalid", fields=errors)
    return IncomingFields(
        issuing_body=text(f.issuing_body)[:100],
        title=text(f.title)[:200],
        their_number=text(f.their_number)[:60],
        their_date=f.their_date,
        classification=f.classification,
        urgency=f.urgency,
        pages=f.pages,
        copies=f.copies,
    )


def _new_serial(doc: IncomingDocument) -> None:
    year = timezone.localdate().year
    prefix = conf.serial_prefix()
    doc.prefix, doc.year = prefix, year
    doc.seq = next_number(prefix=prefix, year=year)
    doc.serial = format_number(prefix, year, doc.seq)


def _store_file(doc: IncomingDocument, checked: CheckedUpload | None) -> None:
    if checked is None:
        return
    stored: Any = checked.file
    doc.file.save(stored.name, stored, save=False)
    doc.file_name = checked.original_name[:200]


@transaction.atomic
def incoming_register(
    *,
    actor: Actor,
    channel: str,
    fields: IncomingFields,
    upload=None,
    received_at: dt.datetime | None = None,
) -> IncomingDocument:
    """签收 and 登记 in one step at the desk: a paper or 机要交通 document gets its incoming serial
    (e.g. 收〔2026〕12号) from the documents number register. The file is optional for paper."""
    access.incoming_register_access(actor=actor)
    if channel not in (IncomingChannel.PAPER, IncomingChannel.COURIER):
        raise invalid("channel", _("请选择来文方式（纸质或机要交通）。"))
    clean = _clean_fields(fields)
    now = timezone.now()
    if received_at is None:
        received_at = now
    if received_at > now + dt.timedelta(minutes=1):
        raise invalid("received_at", _("签收时间不能晚于当前时间。"))
    checked = check_upload(upload, field="file") if upload else None
    user = person(actor)
    doc = IncomingDocument(
        channel=channel,
        received_at=received_at,
        received_by=user,
        received_label=(user.get_full_name() or user.get_username()) if user else _("系统"),
        **clean.__dict__,
    )
    _new_serial(doc)
    _store_file(doc, checked)
    doc.full_clean()
    doc.save()
    audit(actor, "registered", doc, channel=channel, title=doc.title, issuing_body=doc.issuing_body)
    return doc


@transaction.atomic
def incoming_receive_via_api(
    *, actor: Actor, fields: IncomingFields, upload
) -> tuple[IncomingDocument, bool]:
    """Another office's system sends a document with its file. The sending unit is the caller's own;
    the office registers it as received through the API. A retry with the same 来文字号 from the same
    unit returns the document already registered (``created`` False) and registers nothing."""
    unit = access.incoming_api_submit_access(actor=actor)
    clean = _clean_fields(fields)
    if not clean.their_number:
        raise invalid("their_number", _("请填写来文字号（用于防止重复报送）。"))
    if clean.classification not in (Classification.PUBLIC, Classification.INTERNAL):
        raise invalid("classification", _("秘密级及以上公文不得通过系统接口报送，请走机要渠道。"))
    existing = IncomingDocument.objects.filter(sender_unit=unit, their_number=clean.their_number).first()
    if existing is not None:
        return existing, False
    if upload is None:
        raise invalid("attachment", _("请上传公文文件。"))
    checked = check_upload(upload, field="attachment")
    doc = IncomingDocument(
        channel=IncomingChannel.API,
        received_at=timezone.now(),
        received_label=str(actor)[:100],
        sender_unit=unit,
        **clean.__dict__,
    )
    _new_serial(doc)
    _store_file(doc, checked)
    doc.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError:
        # the same retry arrived twice at once: the other request registered it
        existing = IncomingDocument.objects.filter(sender_unit=unit, their_number=clean.their_number).first()
        if existing is None:
            raise
        return existing, False
    audit(
        actor,  # the key's unit, written as the actor's label (never into a user foreign key)
        "received_via_api",
        doc,
        sender_unit=unit.name,
        their_number=doc.their_number,
        title=doc.title,
    )
    notify(
        recipients=clerks(),
        subject=doc,
        step="received",
        title=_("新来文待初审：{title}").format(title=doc.title),
        body=_("{unit}通过系统接口报送，来文字号 {number}。").format(unit=unit.name, number=doc.their_number),
        url=doc.get_absolute_url(),
        level="warning" if doc.urgency else "info",
    )
    return doc, True
