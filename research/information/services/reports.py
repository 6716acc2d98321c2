"""A report's way: draft → signed and submitted by the unit's head → received by the information section
→ edited (every edit a version) → approved by a leader → sent upward or published in the bulletin.
Returned with a reason at any review stage."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.errors import forbidden
from office.files.validation import check_upload
from office.notifications.services import notify
from office.org.types import Actor

from .. import access, conf
from ..models import (
    BULLETIN_OUTLETS,
    UPWARD_OUTLETS,
    InfoAttachment,
    InfoReport,
    InfoStatus,
    InfoType,
    InfoVersion,
    Outlet,
    Stage,
)
from . import ranking, timeliness
from .common import InformationError, actor_label, check_version, locked_report, person


def _clean_text(title: str, text: str) -> tuple[str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    fields = {}
    if not title:
        fields["title"] = [_("请填写标题。")]
    if not text:
        fields["text"] = [_("请填写正文。")]
    if fields:
        raise InformationError(_("提交的数据有误，请检查后重试。"), code="invalid", fields=fields)
    return title[:200], text


def _check_type(info_type: str) -> None:
    if info_type not in InfoType.values:
        msg = _("请选择信息类型。")
        raise InformationError(msg, code="invalid", fields={"info_type": [msg]})


def linkable_urgent_reports(*, unit):
    """The unit's urgent reports of the last INFORMATION_URGENT_LINK_DAYS days (newest first)."""
    from duty.models import UrgentReport

    since = timezone.now() - timedelta(days=conf.urgent_link_days())
    return UrgentReport.objects.filter(source_unit=unit, received_at__gte=since).order_by("-received_at")


def _urgent_report(*, unit, urgent_report_id, facts_at):
    if not urgent_report_id:
        return None
    found = linkable_urgent_reports(unit=unit).filter(pk=urgent_report_id).first()
    if found is None:
        msg = _("只能关联本单位近期报送的紧急信息。")
        raise InformationError(msg, code="invalid", fields={"urgent_report": [msg]})
    if facts_at > found.received_at:
        msg = _("事实发生时间不能晚于关联紧急信息的接报时间（%(t)s）。") % {
            "t": timezone.localtime(found.received_at).strftime("%Y-%m-%d %H:%M")
        }
        raise InformationError(msg, code="invalid", fields={"facts_at": [msg]})
    return found


def _check_facts_at(facts_at: datetime) -> None:
    if facts_at > timezone.now() + timedelta(minutes=5):
        msg = _("事实发生时间不能晚于现在。")
        raise InformationError(msg, code="invalid", fields={"facts_at": [msg]})
    if facts_at < timezone.now() - timedelta(days=conf.facts_max_age_days()):
        msg = _("事实发生时间不能早于 %(days)s 天前，请核对日期。") % {"days": conf.facts_max_age_days()}
        raise InformationError(msg, code="invalid", fields={"facts_at": [msg]})


def _attach(report: InfoReport, attachments) -> None:
    for upload in attachments or []:
        checked = check_upload(upload, field="attachments")
        InfoAttachment.objects.create(
            report=report, file=checked.file, name=checked.original_name, size=checked.size
        )


@transaction.atomic
def report_create(
    *,
    actor: Actor,
    info_type: str,
    title: str,
    text: str,
    facts_at: datetime,
    urgent_report_id: int | None = None,
    attachments=(),
    unit=None,
) -> InfoReport:
    """A draft of the actor's unit. Its first stage's clock starts at the facts' time (or the linked
    urgent report's receipt), so a draft written late is late."""
    if not access.can_draft(actor):
        raise forbidden(_("只有所属单位的人员可以起草信息。"))
    own = access.actor_unit(actor)
    if unit is not None and unit.pk != own.pk:
        raise forbidden(_("只能为本单位起草信息。"))
    _check_type(info_type)
    title, text = _clean_text(title, text)
    _check_facts_at(facts_at)
    urgent = _urgent_report(unit=own, urgent_report_id=urgent_report_id, facts_at=facts_at)
    user = person(actor)
    report = InfoReport(
        unit=own,
        author=user,
        author_name=actor_label(actor),
        info_type=info_type,
        title=title,
        text=text,
        facts_at=facts_at,
        urgent_report=urgent,
    )
    report.full_clean()
    report.save()
    timeliness.stage_open(report, Stage.SUBMIT, timeliness.first_stage_start(report))
    report.save(update_fields=["submit_due_at"])
    _attach(report, attachments)
    audit_record(actor=actor, verb="information.created", subject=report, data={"type": info_type})
    return report


@transaction.atomic
def report_update_draft(
    *,
    actor: Actor,
    report: InfoReport,
    info_type: str,
    title: str,
    text: str,
    facts_at: datetime,
    urgent_report_id: int | None = None,
    attachments=(),
    version=None,
) -> InfoReport:
    access.report_access_for_action(actor=actor, report=report, action="edit_draft")
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="edit_draft")
    check_version(report, version)
    _check_type(info_type)
    title, text = _clean_text(title, text)
    _check_facts_at(facts_at)
    report.urgent_report = _urgent_report(
        unit=report.unit, urgent_report_id=urgent_report_id, facts_at=facts_at
    )
    report.info_type, report.title, report.text, report.facts_at = info_type, title, text, facts_at
    report.version += 1
    fields = ["info_type", "title", "text", "facts_at", "urgent_report", "version"]
    if report.submitted_at is None:
        fields += timeliness.stage_open(report, Stage.SUBMIT, timeliness.first_stage_start(report))
    report.save(update_fields=fields)
    _attach(report, attachments)
    audit_record(actor=actor, verb="information.draft_updated", subject=report)
    return report


@transaction.atomic
def report_ask_sign(*, actor: Actor, report: InfoReport) -> InfoReport:
    """The author hands the draft to the unit's head for signing."""
    access.report_access_for_action(actor=actor, report=report, action="ask_sign")
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="ask_sign")
    if report.status == InfoStatus.PENDING_SIGN:
        raise InformationError(_("已提交单位负责人签发。"), code="conflict")
    report.status = InfoStatus.PENDING_SIGN
    report.save(update_fields=["status"])
    audit_record(actor=actor, verb="information.sign_requested", subject=report)
    if report.unit.head_id:
        notify(
            recipients=[report.unit.head],
            subject=report,
            step=f"sign:{report.version}",
            title=_("信息“%(title)s”待您签发报送") % {"title": report.title},
            url=report.get_absolute_url(),
            level="warning",
        )
    return report


def _new_version(report: InfoReport, *, actor: Actor, note: str) -> InfoVersion:
    last = report.versions.order_by("-number").first()
    return InfoVersion.objects.create(
        report=report,
        number=(last.number + 1) if last else 1,
        title=report.title,
        text=report.text,
        editor=person(actor),
        editor_label=actor_label(actor),
        note=note,
        created_at=timezone.now(),
    )


@transaction.atomic
def report_sign(*, actor: Actor, report: InfoReport) -> InfoReport:
    """签发: the unit's head signs and the report goes to the office (the first stage ends). A report
    returned earlier goes back in; its next stage starts afresh."""
    access.report_access_for_action(actor=actor, report=report, action="sign")
    ranking.bucket_lock([report], submitting_at=timezone.now())
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="sign")
    now = timezone.now()
    first = report.submitted_at is None
    fields = ["status", "signed_by", "signer_label", "return_reason"]
    if first:
        fields += timeliness.stage_close(report, Stage.SUBMIT, now)
    report.status = InfoStatus.SUBMITTED
    report.signed_by, report.signer_label, report.return_reason = person(actor), actor_label(actor), ""
    fields += timeliness.stage_open(report, Stage.EDIT, now)
    report.save(update_fields=fields)
    ranking.bucket_refresh(report)
    _new_version(report, actor=actor, note=_("单位报送") if first else _("退回后重新报送"))
    audit_record(actor=actor, verb="information.submitted", subject=report, data={"late": report.submit_late})
    notify(
        recipients=timeliness.editors(),
        subject=report,
        step=f"submitted:{report.returns}",
        title=_("%(unit)s报送信息“%(title)s”，请接收编辑")
        % {"unit": report.unit.short_name or report.unit.name, "title": report.title},
        url=report.get_absolute_url(),
        level="urgent" if report.info_type == InfoType.URGENT else "info",
    )
    return report


@transaction.atomic
def report_receive(*, actor: Actor, report: InfoReport) -> InfoReport:
    access.report_access_for_action(actor=actor, report=report, action="receive")
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="receive")
    report.status = InfoStatus.RECEIVED
    report.received_at, report.received_by = timezone.now(), person(actor)
    report.save(update_fields=["status", "received_at", "received_by"])
    audit_record(actor=actor, verb="information.received", subject=report)
    return report


@transaction.atomic
def report_edit(
    *, actor: Actor, report: InfoReport, title: str, text: str, note: str = "", version=None
) -> InfoReport:
    """The information section's edit: the new text becomes a version with its editor and time."""
    access.report_access_for_action(actor=actor, report=report, action="edit")
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="edit")
    check_version(report, version)
    title, text = _clean_text(title, text)
    if title == report.title and text == report.text:
        raise InformationError(_("内容没有改动。"), code="invalid")
    report.title, report.text = title, text
    report.editor = person(actor)
    report.version += 1
    report.save(update_fields=["title", "text", "editor", "version"])
    v = _new_version(report, actor=actor, note=(note or "").strip()[:200] or _("信息科编辑"))
    audit_record(actor=actor, verb="information.edited", subject=report, data={"version": v.number})
    return report


@transaction.atomic
def report_to_approval(*, actor: Actor, report: InfoReport, outlet: str) -> InfoReport:
    """Editing done (the second stage ends): to a leader for approval, with the proposed outlet."""
    access.report_access_for_action(actor=actor, report=report, action="to_approval")
    if outlet not in Outlet.values:
        msg = _("请选择报送去向。")
        raise InformationError(msg, code="invalid", fields={"outlet": [msg]})
    ranking.bucket_lock([report])
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="to_approval")
    now = timezone.now()
    report.status, report.outlet = InfoStatus.PENDING_APPROVAL, outlet
    if report.editor_id is None:
        report.editor = person(actor)
    fields = ["status", "outlet", "editor"]
    fields += timeliness.stage_close(report, Stage.EDIT, now)
    fields += timeliness.stage_open(report, Stage.APPROVE, now)
    report.save(update_fields=fields)
    ranking.bucket_refresh(report)
    audit_record(actor=actor, verb="information.to_approval", subject=report, data={"outlet": outlet})
    notify(
        recipients=timeliness.approvers(),
        subject=report,
        step=f"approve:{report.returns}",
        title=_("信息“%(title)s”待您审批") % {"title": report.title},
        url=report.get_absolute_url(),
        level="urgent" if report.info_type == InfoType.URGENT else "warning",
    )
    return report


@transaction.atomic
def report_approve(*, actor: Actor, report: InfoReport) -> InfoReport:
    access.report_access_for_action(actor=actor, report=report, action="approve")
    ranking.bucket_lock([report])
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="approve")
    now = timezone.now()
    report.status, report.approved_by = InfoStatus.APPROVED, person(actor)
    fields = ["status", "approved_by"]
    fields += timeliness.stage_close(report, Stage.APPROVE, now)
    fields += timeliness.stage_open(report, Stage.SEND, now)
    report.save(update_fields=fields)
    ranking.bucket_refresh(report)
    audit_record(actor=actor, verb="information.approved", subject=report)
    return report


@transaction.atomic
def report_return(*, actor: Actor, report: InfoReport, reason: str) -> InfoReport:
    """退回 with a reason: the information section returns to the unit; a leader to the information
    section. The open stage's timer is cancelled; the stage after the resubmission starts afresh."""
    access.report_access_for_action(actor=actor, report=report, action="return")
    reason = (reason or "").strip()
    if len(reason) < 2:
        msg = _("请写明退回理由。")
        raise InformationError(msg, code="invalid", fields={"reason": [msg]})
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="return")
    stage = timeliness.open_stage(report)
    if stage is not None:
        timeliness.stage_cancel(report, stage)
    report.returns += 1
    report.return_reason = reason
    fields = ["status", "returns", "return_reason"]
    if report.status == InfoStatus.PENDING_APPROVAL:
        # back to the information section: editing starts again now
        report.status = InfoStatus.RECEIVED
        fields += timeliness.stage_open(report, Stage.EDIT, timezone.now())
        recipients = [u for u in [report.editor] if u] or timeliness.editors()
    else:
        report.status = InfoStatus.RETURNED
        recipients = [u for u in (report.unit.head, report.author) if u]
    report.save(update_fields=fields)
    audit_record(actor=actor, verb="information.returned", subject=report, data={"reason": reason})
    notify(
        recipients=recipients,
        subject=report,
        step=f"returned:{report.returns}",
        title=_("信息“%(title)s”被退回：%(reason)s") % {"title": report.title, "reason": reason[:80]},
        url=report.get_absolute_url(),
        level="warning",
    )
    return report


@transaction.atomic
def report_send_upward(*, actor: Actor, report: InfoReport) -> InfoReport:
    """Submitted to the municipal, provincial or central level (the last stage ends)."""
    access.report_access_for_action(actor=actor, report=report, action="send")
    ranking.bucket_lock([report])
    report = locked_report(report)
    access.report_access_for_action(actor=actor, report=report, action="send")
    if report.outlet not in UPWARD_OUTLETS:
        raise InformationError(_("这条信息的去向是本办刊物，请在刊物页面编入一期刊发。"), code="conflict")
    report.status = InfoStatus.SENT
    fields = ["status", *timeliness.stage_close(report, Stage.SEND, timezone.now())]
    report.save(update_fields=fields)
    ranking.bucket_refresh(report)
    audit_record(actor=actor, verb="information.sent", subject=report, data={"outlet": report.outlet})
    return report


def is_bulletin(report: InfoReport) -> bool:
    return report.outlet in BULLETIN_OUTLETS


@transaction.atomic
def report_create_and_submit(*, actor: Actor, attachments=(), **fields) -> InfoReport:
    """A unit's system (its API key) sends a finished report: drafted, signed and submitted at once.
    A person through the API gets a draft, signed at once only when they are the unit's head."""
    report = report_create(actor=actor, attachments=attachments, **fields)
    if access.can(actor, report, "sign"):
        report = report_sign(actor=actor, report=report)
    return report
