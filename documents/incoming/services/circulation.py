"""传阅 with read tracking: at once or in order; 阅毕 passes it on; 催阅 the holder, limited per day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from office.errors import not_found
from office.notifications.services import notify
from office.org.types import Actor

from .. import access, conf
from ..models import (
    CIRCULATION_STATUSES,
    Circulation,
    CirculationMode,
    IncomingDocument,
)
from .common import (
    IncomingError,
    audit,
    checked,
    guard,
    invalid,
    person,
    text,
)


def _send(circ: Circulation, doc: IncomingDocument, now: dt.datetime) -> None:
    circ.sent_at = now
    circ.save(update_fields=["sent_at"])
    notify(
        recipients=[circ.reader],
        subject=doc,
        step=f"circulate:{circ.pk}",
        title=_("请阅文：{title}").format(title=doc.title),
        body=_("收文编号 {serial}，阅毕请在页面点击“阅毕”。").format(serial=doc.serial),
        url=doc.get_absolute_url(),
    )


@transaction.atomic
def incoming_circulate(
    *, actor: Actor, document: IncomingDocument | int, readers: Iterable, mode: str
) -> list[Circulation]:
    """传阅 to several readers, at once or in the order given (the next receives it when the previous has
    read it). A reader already on the list is skipped. Being on the list lets a reader see a classified
    document (need-to-know, granted per document)."""
    doc = checked(actor=actor, document=document, action="circulate")
    guard(doc, CIRCULATION_STATUSES, _("来文初审后、归档前才能传阅。"))
    if mode not in CirculationMode.values:
        raise invalid("mode", _("请选择传阅方式。"))
    readers = list(dict.fromkeys(readers))
    if not readers:
        raise invalid("readers", _("请选择阅文人。"))
    if any(not access.is_office_staff(r) for r in readers):
        raise invalid("readers", _("阅文人必须是机关工作人员。"))
    already = set(doc.circulations.values_list("reader_id", flat=True))
    new = [r for r in readers if r.pk not in already]
    if not new:
        raise invalid("readers", _("所选人员都已在传阅名单中。"))
    start = (doc.circulations.aggregate(m=Max("order"))["m"] or 0) + 1
    now = timezone.now()
    rows = [
        Circulation.objects.create(
            document=doc, reader=r, order=start + i, mode=mode, started_by=person(actor), created_at=now
        )
        for i, r in enumerate(new)
    ]
    if mode == CirculationMode.PARALLEL:
        for circ in rows:
            _send(circ, doc, now)
    elif not doc.circulations.filter(
        mode=CirculationMode.SEQUENTIAL, sent_at__isnull=False, read_at__isnull=True
    ).exists():
        _send(rows[0], doc, now)
    audit(actor, "circulated", doc, mode=mode, readers=[r.get_username() for r in new])
    return rows


@transaction.atomic
def incoming_mark_read(*, actor: Actor, document: IncomingDocument | int, note: str = "") -> Circulation:
    """阅毕: the reader holding it marks it read; in sequential 传阅 it goes on to the next reader."""
    doc = checked(actor=actor, document=document, action="read")
    circ = Circulation.objects.select_for_update().get(document=doc, reader_id=getattr(actor, "pk", None))
    if circ.read_at is not None:
        raise IncomingError(_("您已阅毕该文件。"), code="conflict")
    if circ.sent_at is None:
        raise IncomingError(_("还没有轮到您阅文。"), code="conflict")
    now = timezone.now()
    circ.read_at = now
    circ.note = text(note)[:500]
    circ.save(update_fields=["read_at", "note"])
    if circ.mode == CirculationMode.SEQUENTIAL:
        nxt = (
            doc.circulations.select_related("reader")
            .filter(mode=CirculationMode.SEQUENTIAL, sent_at__isnull=True)
            .order_by("order", "id")
            .first()
        )
        if nxt is not None:
            _send(nxt, doc, now)
    audit(actor, "read", doc, note=circ.note)
    return circ


@transaction.atomic
def incoming_urge_reader(
    *, actor: Actor, document: IncomingDocument | int, circulation_id: int
) -> Circulation:
    """催阅 the reader who holds it, at most ``DOCUMENTS_INCOMING_URGE_PER_DAY`` times a day."""
    doc = checked(actor=actor, document=document, action="urge")
    circ = (
        Circulation.objects.select_for_update()
        .select_related("reader")
        .filter(document=doc, pk=circulation_id)
        .first()
    )
    if circ is None:
        raise not_found(_("传阅记录不存在。"))
    if not circ.holding:
        raise IncomingError(_("只能催阅正在阅文的人员。"), code="conflict")
    today = timezone.localdate()
    count = circ.urge_day_count if circ.urge_day == today else 0
    if count >= conf.urge_limit_per_day():
        raise IncomingError(_("今天已催阅 {n} 次，请明天再催。").format(n=count), code="conflict")
    circ.urge_day, circ.urge_day_count = today, count + 1
    circ.urge_count += 1
    circ.urged_at = timezone.now()
    circ.save(update_fields=["urge_day", "urge_day_count", "urge_count", "urged_at"])
    notify(
        recipients=[circ.reader],
        subject=doc,
        step=f"urge:{circ.pk}:{circ.urge_count}",
        title=_("催阅：{title}").format(title=doc.title),
        body=_("该文件正在等您阅毕，请尽快阅文。"),
        url=doc.get_absolute_url(),
        level="warning",
    )
    audit(actor, "reader_urged", doc, reader=circ.reader.get_username(), count=circ.urge_count)
    return circ
