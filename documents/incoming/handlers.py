"""What incoming documents register with the office clock: the handling deadline of an assigned
document. Step 0 (at the deadline) reminds the handler; step 1 (``DOCUMENTS_INCOMING_ESCALATE_HOURS``
later) tells the leader who instructed it (or every leader) and the clerks. A document already replied,
closed or reassigned away is left alone; notify's dedupe key makes a second firing write nothing."""

from django.utils import timezone
from django.utils.translation import gettext as _

from office.clock.registry import timer_handler
from office.notifications.services import notify, notify_units

from .models import IncomingDocument, IncomingStatus
from .services import DUE_TIMER_KIND, clerks, leaders


def _handler_label(doc: IncomingDocument) -> str:
    if doc.handler_unit is not None:
        return doc.handler_unit.name
    if doc.handler is not None:
        return doc.handler.get_full_name() or doc.handler.get_username()
    return ""


@timer_handler(DUE_TIMER_KIND)
def incoming_due(timer) -> None:
    doc = (
        IncomingDocument.objects.select_related("handler", "handler_unit", "instruction_leader")
        .filter(pk=timer.subject_id)
        .first()
    )
    if doc is None or doc.status != IncomingStatus.ASSIGNED or doc.due_at is None:
        return
    due = timezone.localtime(doc.due_at)
    if timer.step == 0:
        title = _("来文办理时限已到：{title}").format(title=doc.title)
        body = _("收文编号 {serial}，办理时限 {due:%Y-%m-%d %H:%M}，请尽快报送办理结果。").format(
            serial=doc.serial, due=due
        )
        if doc.handler_id:
            notify(
                recipients=[doc.handler],
                subject=doc,
                step="due",
                title=title,
                body=body,
                url=doc.get_absolute_url(),
                level="warning",
            )
        if doc.handler_unit_id:
            notify_units(
                units=[doc.handler_unit], subject=doc, step="due", title=title, body=body, level="warning"
            )
        return
    who = [doc.instruction_leader] if doc.instruction_leader_id else leaders()
    notify(
        recipients=who + clerks(),
        subject=doc,
        step="overdue",
        title=_("来文逾期未办复：{title}").format(title=doc.title),
        body=_("收文编号 {serial}，承办：{handler}，时限 {due:%Y-%m-%d %H:%M}。").format(
            serial=doc.serial,
            handler=_handler_label(doc),
            due=due,
        ),
        url=doc.get_absolute_url(),
        level="urgent",
    )
