"""Urgent reports (紧急信息): receipt starts the clock; the phone and written limits are timers on the
shared clock; reports upward are recorded with to whom, how and when, and late ones stay late."""

import math
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.models import PENDING_Q
from office.clock.selectors import timers_for_subject
from office.clock.services import TimerSpec, timer_cancel, timers_schedule
from office.files.validation import CheckedUpload, check_upload
from office.notifications.services import notify
from office.org.types import Actor
from office.risks.hooks import risk_event

from .. import access, conf
from ..errors import DutyError
from ..models import (
    ELEMENT_KEYS,
    REPORT_ELEMENTS,
    ReportAttachment,
    ReportChannel,
    ReportKind,
    ReportLevel,
    ReportSource,
    ReportStatus,
    ReportUpdate,
    UpdateKind,
    UpwardReport,
    UrgentReport,
)
from .figures import fill_from_text

TIMER_KIND: dict[str, str] = {
    ReportKind.PHONE: "duty.report_phone",
    ReportKind.WRITTEN: "duty.report_written",
}
# Who each step of a limit alerts, resolved when the step fires.
STEP_RECIPIENTS = {
    0: ("duty_main_officer_now",),
    1: ("duty_leader_now", "duty_main_officer_now"),
    2: ("director", "duty_leader_now"),
}


def completeness_of(elements: dict) -> int:
    """Percent of the required elements that are filled in."""
    filled = sum(1 for key in ELEMENT_KEYS if str(elements.get(key) or "").strip())
    return round(100 * filled / len(ELEMENT_KEYS))


def missing_elements(elements: dict) -> list[str]:
    return [str(label) for key, label, _k in REPORT_ELEMENTS if not str(elements.get(key) or "").strip()]


def _clean_elements(elements: dict | None) -> dict:
    out = {}
    for key, value in (elements or {}).items():
        if key not in ELEMENT_KEYS:
            raise DutyError(
                _("未知的要素“{key}”。").format(key=key),
                code="invalid",
                fields={"elements": [_("未知要素 {key}").format(key=key)]},
            )
        text = str(value or "").strip()
        if text:
            out[key] = text[:4000]
    return out


def limit_due(*, level: str, kind: str, received_at):
    return received_at + timedelta(minutes=conf.report_limit_minutes(level, kind))


def _steps(*, received_at: datetime, due_at: datetime) -> list[tuple[int, datetime]]:
    warn = max(received_at, due_at - timedelta(minutes=conf.warning_lead_minutes()))
    return [(0, warn), (1, due_at), (2, due_at + timedelta(minutes=conf.director_after_minutes()))]


def _schedule_limits(report: UrgentReport) -> None:
    timers_schedule(
        subject=report,
        timers=[
            TimerSpec(
                kind=TIMER_KIND[kind],
                due_at=when,
                step=step,
                data={"kind": str(kind), "recipients": list(STEP_RECIPIENTS[step])},
            )
            for kind in (ReportKind.PHONE, ReportKind.WRITTEN)
            if not getattr(report, f"{kind}_reported_at")
            for step, when in _steps(received_at=report.received_at, due_at=getattr(report, f"{kind}_due_at"))
        ],
    )


def _actor_fields(actor, actor_label: str):
    """(user or None, label): an API key's principal is never written into a user foreign key."""
    user = actor if isinstance(actor, get_user_model()) else None
    label = actor_label or ("" if user else str(actor))
    return user, label


def _check_attachments(attachments) -> list[CheckedUpload]:
    """Check every upload before anything is written: one rejected file rejects the submission, so
    no report, update or stored file is left behind half-written."""
    return [check_upload(f, field="attachments") for f in attachments or ()]


def _save_attachments(report, update, checked: list[CheckedUpload]) -> None:
    for upload in checked:
        att = ReportAttachment(
            report=report, update=update, name=upload.original_name[:200], size=upload.size
        )
        stored: Any = upload.file  # the uploaded file, renamed by check_upload
        att.file.save(stored.name, stored, save=False)
        att.save()


def report_url(report) -> str:
    return reverse("duty:report-detail", args=[report.pk])


@transaction.atomic
def report_receive(
    *,
    actor: Actor,
    title: str,
    level: str,
    elements: dict | None = None,
    text: str = "",
    source_unit=None,
    received_at=None,
    attachments=(),
    actor_label: str = "",
) -> UrgentReport:
    """Receive a new urgent report (the 首报): the clock starts at receipt.

    An external unit reports for its own unit only, whatever ``source_unit`` says."""
    from ..selectors.roster import shift_at

    source_unit = access.report_receive_access(actor=actor, source_unit=source_unit)
    if level not in ReportLevel.values:
        raise DutyError(_("请选择信息级别。"), code="invalid", fields={"level": [_("级别无效")]})
    if not (title or "").strip():
        raise DutyError(_("请填写标题。"), code="invalid", fields={"title": [_("标题必填")]})
    now = timezone.now()
    user, label = _actor_fields(actor, actor_label)
    from_unit = not access.can_view_duty_room(actor)
    if received_at is None or user is None or from_unit:
        received_at = now  # a unit cannot backdate its own report
    if received_at > now + timedelta(minutes=1):
        raise DutyError(
            _("接报时间不能晚于当前时间。"), code="invalid", fields={"received_at": [_("时间无效")]}
        )
    clean = fill_from_text(_clean_elements(elements), text or "")
    checked = _check_attachments(attachments)
    shift = shift_at(received_at)
    report = UrgentReport(
        title=title.strip()[:200],
        level=level,
        source_kind=ReportSource.API if from_unit else ReportSource.DUTY_ROOM,
        source_unit=source_unit,
        received_at=received_at,
        received_by=user,
        shift=shift,
        duty_officer=shift.main_officer if shift else None,
        elements=clean,
        completeness=completeness_of(clean),
        update_count=1,
        phone_due_at=limit_due(level=level, kind=ReportKind.PHONE, received_at=received_at),
        written_due_at=limit_due(level=level, kind=ReportKind.WRITTEN, received_at=received_at),
    )
    report.full_clean()
    report.save()
    update = ReportUpdate.objects.create(
        report=report,
        seq=0,
        kind=UpdateKind.FIRST,
        elements=clean,
        text=text or "",
        received_at=received_at,
        submitted_by=user,
        submitted_label=label[:100],
    )
    _save_attachments(report, update, checked)
    _schedule_limits(report)
    audit_record(
        actor=user,
        actor_label=label,
        verb="duty.report_received",
        subject=report,
        data={
            "level": level,
            "source_unit": source_unit.name if source_unit else "",
            "completeness": report.completeness,
        },
    )
    on_duty = [u for u in ((shift.main_officer, shift.deputy_officer, shift.leader) if shift else ()) if u]
    notify(
        recipients=on_duty,
        subject=report,
        step="received",
        title=_("新接紧急信息【{level}】{title}").format(
            level=report.get_level_display(), title=report.title
        )[:200],
        body=_("电话报告时限 {phone_due_at:%H:%M}，书面报告时限 {written_due_at:%H:%M}。").format(
            phone_due_at=timezone.localtime(report.phone_due_at),
            written_due_at=timezone.localtime(report.written_due_at),
        ),
        url=report_url(report),
        level="urgent",
    )
    return report


def _locked(report_id) -> UrgentReport:
    try:
        return UrgentReport.objects.select_for_update().get(pk=report_id)
    except UrgentReport.DoesNotExist:
        raise DutyError(_("该紧急信息不存在。"), code="not_found") from None


@transaction.atomic
def report_add_update(
    *,
    actor: Actor,
    report: UrgentReport,
    kind: str,
    elements: dict | None = None,
    text: str = "",
    attachments=(),
    actor_label: str = "",
    missing_reason: str | None = None,
) -> ReportUpdate:
    """A follow-up (续报, only what is new) or the final report (终报), numbered in order.

    The parent row is locked first, so concurrent follow-ups queue and take consecutive numbers. A
    终报 while elements are still missing is refused with their names when the caller asks for a
    reason (``missing_reason`` a string: the page) and none is given; the missing elements and the
    reason are recorded with the update and in the audit trail (``None``: the API, which records them
    without asking). Loss and casualty figures typed
    in the text fill 损失情况 / 伤亡情况 when those are still empty.
    """
    access.report_access_for_action(actor=actor, report=report, action="update")
    if kind not in (UpdateKind.FOLLOWUP, UpdateKind.FINAL):
        raise DutyError(_("报告类型只能是续报或终报。"), code="invalid", fields={"kind": [_("类型无效")]})
    report = _locked(report.pk)
    if report.status == ReportStatus.CLOSED:
        raise DutyError(_("该紧急信息已终报，不能再续报。"))
    clean = fill_from_text(_clean_elements(elements), text or "", known=report.elements)
    if not clean and not (text or "").strip() and kind == UpdateKind.FOLLOWUP:
        raise DutyError(
            _("续报只需报送新情况，但不能为空。"), code="invalid", fields={"text": [_("请填写新情况")]}
        )
    missing = missing_elements({**report.elements, **clean}) if kind == UpdateKind.FINAL else []
    asked = missing_reason is not None
    missing_reason = (missing_reason or "").strip()
    if missing and asked and not missing_reason:
        names = "、".join(missing)
        raise DutyError(
            _("终报尚缺以下要素：%(names)s。如确需终报，请填写缺项说明后再提交。") % {"names": names},
            code="invalid",
            fields={"missing_reason": [_("尚缺：%(names)s") % {"names": names}]},
        )
    if missing and missing_reason:
        text = "\n".join(
            p for p in ((text or "").strip(), _("【缺项说明】%(reason)s") % {"reason": missing_reason}) if p
        )
    checked = _check_attachments(attachments)
    user, label = _actor_fields(actor, actor_label)
    now = timezone.now()
    followups = report.updates.filter(kind=UpdateKind.FOLLOWUP).count()
    update = ReportUpdate.objects.create(
        report=report,
        seq=report.update_count,
        kind=kind,
        followup_no=followups + 1 if kind == UpdateKind.FOLLOWUP else 0,
        elements=clean,
        text=text or "",
        received_at=now,
        submitted_by=user,
        submitted_label=label[:100],
    )
    _save_attachments(report, update, checked)
    merged = {**report.elements, **clean}
    report.elements = merged
    report.completeness = completeness_of(merged)
    report.update_count += 1
    fields = ["elements", "completeness", "update_count", "updated_at"]
    if kind == UpdateKind.FINAL:
        # The upward reports still owed keep their timers: closing the incident does not report it.
        report.status = ReportStatus.CLOSED
        report.closed_at = now
        fields += ["status", "closed_at"]
    report.save(update_fields=fields)
    audit_record(
        actor=user,
        actor_label=label,
        verb="duty.report_final" if kind == UpdateKind.FINAL else "duty.report_followup",
        subject=report,
        data={
            "seq": update.seq,
            "label": update.label,
            "elements": sorted(clean),
            **({"missing": missing, "reason_missing": missing_reason} if missing else {}),
        },
    )
    from ..selectors.roster import shift_at

    shift = shift_at(now)
    notify(
        recipients=[u for u in ((shift.main_officer, shift.leader) if shift else ()) if u],
        subject=report,
        step=f"update-{update.seq}",
        title=f"{update.label}：{report.title}"[:200],
        url=report_url(report),
        level="warning",
    )
    return update


@transaction.atomic
def report_record_upward(
    *, actor: Actor, report: UrgentReport, kind: str, channel: str, recipients: str, reported_at=None
) -> UpwardReport:
    """Record a report made upward. Made after its limit, it is marked 迟报 for good."""
    access.report_access_for_action(actor=actor, report=report, action="upward")
    actor = access.duty_person(actor)
    if kind not in ReportKind.values:
        raise DutyError(_("请选择报告类别。"), code="invalid", fields={"kind": [_("类别无效")]})
    if channel not in ReportChannel.values:
        raise DutyError(_("请选择报告方式。"), code="invalid", fields={"channel": [_("方式无效")]})
    if not (recipients or "").strip():
        raise DutyError(
            _("请填写报告对象（如市委领导、省委总值班室）。"),
            code="invalid",
            fields={"recipients": [_("必填")]},
        )
    # The limit's unfired timers first, then the report row: the order in which the clock's sweep takes
    # them (a claimed timer, then its report, duty.handlers), so that recording a report upward while its
    # alarm fires cannot deadlock (found by bench/typhoon.py).
    list(
        timers_for_subject(report)
        .filter(PENDING_Q, kind=TIMER_KIND[kind])
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    report = _locked(report.pk)
    now = timezone.now()
    reported_at = reported_at or now
    if reported_at > now + timedelta(minutes=1):
        raise DutyError(
            _("报告时间不能晚于当前时间。"), code="invalid", fields={"reported_at": [_("时间无效")]}
        )
    if reported_at < report.received_at:
        raise DutyError(
            _("报告时间不能早于接报时间。"), code="invalid", fields={"reported_at": [_("时间无效")]}
        )
    due = getattr(report, f"{kind}_due_at")
    late_seconds = (reported_at - due).total_seconds()
    is_first = getattr(report, f"{kind}_reported_at") is None
    # Only the first report of each kind is measured against the limit; later ones are extra copies.
    is_late = is_first and late_seconds > 0
    upward = UpwardReport(
        report=report,
        kind=kind,
        channel=channel,
        recipients=recipients.strip()[:200],
        reported_at=reported_at,
        recorded_by=actor,
        is_late=is_late,
        minutes_late=math.ceil(late_seconds / 60) if is_late else 0,
    )
    upward.full_clean()
    upward.save()
    if is_first:
        setattr(report, f"{kind}_reported_at", reported_at)
        setattr(report, f"{kind}_late", is_late)
        setattr(report, f"{kind}_minutes_late", upward.minutes_late)
        report.save(
            update_fields=[f"{kind}_reported_at", f"{kind}_late", f"{kind}_minutes_late", "updated_at"]
        )
        timer_cancel(subject=report, kind=TIMER_KIND[kind])
    audit_record(
        actor=actor,
        verb="duty.report_reported_upward",
        subject=report,
        data={
            "kind": kind,
            "channel": channel,
            "recipients": upward.recipients,
            "reported_at": reported_at.isoformat(),
            "late": is_late,
            "minutes_late": upward.minutes_late,
        },
    )
    if is_late:  # 岗位风险排查: a late urgent report is an incident of the duty post
        risk_event(
            "duty_late_report",
            upward,
            _("%(title)s：%(kind)s迟报 %(minutes)s 分钟")
            % {"title": report.title, "kind": ReportKind(kind).label, "minutes": upward.minutes_late},
            reported_at,
            responsible=actor,
            label=report.title,
            url=report_url(report),
        )
    return upward


@transaction.atomic
def report_change_level(*, actor: Actor, report: UrgentReport, level: str) -> UrgentReport:
    """Re-grade a report: the limits not yet met are re-timed from the receipt."""
    access.report_access_for_action(actor=actor, report=report, action="change_level")
    if level not in ReportLevel.values:
        raise DutyError(_("级别无效。"), code="invalid", fields={"level": [_("级别无效")]})
    report = _locked(report.pk)
    if report.level == level:
        return report
    before = report.level
    report.level = level
    report.phone_due_at = limit_due(level=level, kind=ReportKind.PHONE, received_at=report.received_at)
    report.written_due_at = limit_due(level=level, kind=ReportKind.WRITTEN, received_at=report.received_at)
    report.full_clean()
    report.save(update_fields=["level", "phone_due_at", "written_due_at", "updated_at"])
    _schedule_limits(report)
    audit_record(
        actor=actor, verb="duty.report_level_changed", subject=report, data={"before": before, "after": level}
    )
    return report
