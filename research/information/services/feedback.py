"""Adoption feedback (采用) and leaders' instructions (批示) on a sent or published report."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.types import Actor

from .. import access
from ..models import Adoption, AdoptionKind, InfoReport
from . import ranking
from .common import InformationError, locked_report, person


@transaction.atomic
def adoption_record(
    *,
    actor: Actor,
    report: InfoReport,
    kind: str,
    adopted_on: date | None = None,
    leader: str = "",
    text: str = "",
) -> Adoption:
    access.report_access_for_action(actor=actor, report=report, action="adopt")
    if kind not in AdoptionKind.values:
        msg = _("请选择采用层级或批示。")
        raise InformationError(msg, code="invalid", fields={"kind": [msg]})
    leader = (leader or "").strip()
    if kind == AdoptionKind.INSTRUCTION and not leader:
        msg = _("请填写批示领导。")
        raise InformationError(msg, code="invalid", fields={"leader": [msg]})
    ranking.bucket_lock([report])
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="adopt")
    adopted_on = adopted_on or timezone.localdate()
    if report.sent_at and adopted_on < timezone.localtime(report.sent_at).date():
        msg = _("采用日期不能早于报送日期。")
        raise InformationError(msg, code="invalid", fields={"adopted_on": [msg]})
    try:
        with transaction.atomic():
            row = Adoption.objects.create(
                report=report,
                kind=kind,
                adopted_on=adopted_on,
                leader=leader[:60],
                text=(text or "").strip(),
                recorded_by=person(actor),
            )
    except IntegrityError:
        raise InformationError(_("这条信息已登记过该层级的采用。"), code="conflict") from None
    ranking.bucket_refresh(report)
    audit_record(
        actor=actor, verb="information.adopted", subject=report, data={"kind": kind, "leader": leader}
    )
    return row
