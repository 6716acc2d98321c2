"""What the duty room registers with the clock: recipient resolvers (who is on duty now) and the
timer handlers of urgent-report limits, handovers and phone records. Handlers are idempotent: each
alarm is one ``DutyAlert`` key, and a subject already dealt with is left alone."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.clock.registry import recipient_resolver, resolve_recipients, timer_handler
from office.risks.hooks import risk_event

from .models import HandoverStatus, PhoneRecord, PhoneStatus, ReportKind, Shift, UrgentReport
from .selectors.roster import duty_leader_now, duty_main_officer_now
from .services.alerts import raise_alert


@recipient_resolver("duty_main_officer_now")
def _main_officer_now(subject) -> list:
    user = duty_main_officer_now()
    return [user] if user else []


@recipient_resolver("duty_leader_now")
def _leader_now(subject) -> list:
    user = duty_leader_now()
    return [user] if user else []


def _recipients(timer) -> list:
    names = timer.data.get("recipients") or []
    users = resolve_recipients(",".join(names), timer.subject) if names else []
    if not users:
        # Nobody on duty (a hole in the roster): the alarm must still reach someone.
        users = resolve_recipients("director", timer.subject)
    return users


def _hm(dt) -> str:
    return f"{timezone.localtime(dt):%H:%M}"


STEP_WORDS = {
    0: gettext_lazy("即将超时"),
    1: gettext_lazy("已超时未报"),
    2: gettext_lazy("严重超时未报"),
}


def _report_limit(timer, kind: str) -> None:
    from .services.reports import report_url

    # Locked first, before the alarm's audit row takes the audit chain's head: the same order as a
    # follow-up or an upward report (report row, then audit), so the two cannot deadlock (bench/typhoon).
    report = (
        UrgentReport.objects.select_for_update(of=("self",))
        .filter(pk=timer.subject_id)
        .select_related("source_unit")
        .first()
    )
    if report is None or getattr(report, f"{kind}_reported_at") is not None:
        return
    due = getattr(report, f"{kind}_due_at")
    label = ReportKind(kind).label
    title = _("【{word}】{title} {label}时限 {due}").format(
        word=STEP_WORDS.get(timer.step) or _("超时"), title=report.title, label=label, due=_hm(due)
    )
    raise_alert(
        key=f"report:{report.pk}:{kind}:{timer.step}",
        kind=f"report_{kind}",
        step=timer.step,
        subject=report,
        recipients=_recipients(timer),
        title=title,
        body=_("{level}信息，{received_at}接报，{label}时限 {due}。请立即按程序报告。").format(
            level=report.get_level_display(), received_at=_hm(report.received_at), label=label, due=_hm(due)
        ),
        url=report_url(report),
        level="warning" if timer.step == 0 else "urgent",
        due_at=timer.due_at,
        report=report,
    )


@timer_handler("duty.report_phone")
def report_phone_limit(timer) -> None:
    _report_limit(timer, ReportKind.PHONE)


@timer_handler("duty.report_written")
def report_written_limit(timer) -> None:
    _report_limit(timer, ReportKind.WRITTEN)


@timer_handler("duty.handover")
def handover_not_acknowledged(timer) -> None:
    from django.urls import reverse

    shift = Shift.objects.filter(pk=timer.subject_id).select_related("handover_in").first()
    if shift is None:
        return
    handover = getattr(shift, "handover_in", None)
    if handover is not None and handover.status == HandoverStatus.ACKNOWLEDGED:
        return
    state = _("交班记录未填写") if handover is None else _("接班人未确认")
    raise_alert(
        key=f"handover:{shift.pk}:{timer.step}",
        kind="handover",
        step=timer.step,
        subject=shift,
        recipients=_recipients(timer),
        title=_("【交接班未确认】{shift} 班次已开始，{state}").format(shift=shift, state=state),
        url=reverse("duty:shift-detail", args=[shift.pk]),
        level="urgent",
        due_at=timer.due_at,
        shift=shift,
    )
    risk_event(
        "duty_missed_handover",
        shift,
        _("%(shift)s：%(state)s") % {"shift": shift, "state": state},
        timer.due_at,
        responsible=shift.main_officer,
        label=str(shift),
        url=reverse("duty:shift-detail", args=[shift.pk]),
    )


@timer_handler("duty.phone")
def phone_record_due(timer) -> None:
    from django.urls import reverse

    record = PhoneRecord.objects.filter(pk=timer.subject_id).first()
    if record is None or record.status == PhoneStatus.HANDLED:
        return
    if record.importance == "important" and timer.step == 0:
        title = _("【重要来电】{caller_unit} {caller_name}：{content}").format(
            caller_unit=record.caller_unit, caller_name=record.caller_name, content=record.content[:60]
        )
    else:
        title = _("【来电逾期未办】{caller_unit} {caller_name}，时限 {due_at}").format(
            caller_unit=record.caller_unit, caller_name=record.caller_name, due_at=_hm(record.due_at)
        )
    raise_alert(
        key=f"phone:{record.pk}:{timer.step}",
        kind="phone",
        step=timer.step,
        subject=record,
        recipients=_recipients(timer),
        title=title,
        url=reverse("duty:phone-list"),
        level="urgent" if record.importance == "important" else "warning",
        due_at=timer.due_at,
        phone_record=record,
    )


@timer_handler("duty.gap_scan")
def gap_scan(timer) -> None:
    from .services.roster import gaps_scan_and_warn

    gaps_scan_and_warn()
