"""The office's bulletin: approved reports whose outlet is 信息专报 or 每日要情 are published together as
one issue, numbered per kind and year from the documents' number register (``next_number``)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.services.registration import next_number
from office.audit.services import audit_record
from office.org.types import Actor

from .. import access
from ..models import BulletinIssue, BulletinKind, InfoReport, InfoStatus, Stage
from . import ranking, timeliness
from .common import InformationError, locked_report, person


def number_prefix(kind: str) -> str:
    return str(BulletinKind(kind).label)


@transaction.atomic
def bulletin_publish(*, actor: Actor, kind: str, report_ids: list[int], title: str = "") -> BulletinIssue:
    if kind not in BulletinKind.values:
        msg = _("请选择刊物。")
        raise InformationError(msg, code="invalid", fields={"kind": [msg]})
    ids = sorted({int(i) for i in report_ids})
    if not ids:
        msg = _("请选择要编入本期的信息。")
        raise InformationError(msg, code="invalid", fields={"reports": [msg]})
    found_all = []
    for pk in ids:
        found = InfoReport.objects.select_related("unit").filter(pk=pk).first()
        if found is None:
            raise InformationError(
                _("所选信息不存在。"), code="invalid", fields={"reports": [_("所选信息不存在。")]}
            )
        access.report_access_for_action(actor=actor, report=found, action="send")
        found_all.append(found)
    ranking.bucket_lock(found_all)  # the ranking's rows before the reports' (services.ranking)
    reports = []
    for found in found_all:
        row = locked_report(found)
        if row.outlet != kind:
            msg = _("信息“%(title)s”的去向不是本刊物。") % {"title": row.title}
            raise InformationError(msg, code="invalid", fields={"reports": [msg]})
        reports.append(row)
    now = timezone.now()
    year = timezone.localtime(now).year
    number = next_number(prefix=number_prefix(kind), year=year)
    issue = BulletinIssue.objects.create(
        kind=kind,
        year=year,
        number=number,
        title=(title or "").strip()[:200] or reports[0].title,
        published_at=now,
        published_by=person(actor),
    )
    for row in reports:
        row.status, row.issue = InfoStatus.PUBLISHED, issue
        row.save(update_fields=["status", "issue", *timeliness.stage_close(row, Stage.SEND, now)])
        ranking.bucket_refresh(row)
        audit_record(actor=actor, verb="information.published", subject=row, data={"issue": str(issue)})
    audit_record(actor=actor, verb="information.issue_published", subject=issue, data={"reports": ids})
    return issue
