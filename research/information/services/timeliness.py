"""Timeliness: each of the four stages gets a deadline when it starts (a timer on the office clock) and
ends on time or late (迟报). The timer marks an open stage late when its deadline passes and tells the
person who must act; a stage closed after its deadline is marked late even if the timer has not fired yet.

A return does not reopen the unit's first stage (timeliness counts the first submission); the stage
that follows a return starts afresh, with a new timer step (``stage + 10 × returns``)."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import timer_cancel, timer_schedule
from office.notifications.services import notify
from office.org.roles import INFORMATION_APPROVER_ROLES, INFORMATION_EDITOR_ROLES
from office.workdays.services import add_working_days

from .. import conf
from ..models import STAGE_FIELDS, InfoReport, InfoStatus, Stage
from . import ranking

TIMER_KIND = "information.stage_late"


def stage_deadline(info_type: str, stage: int, start: datetime) -> datetime:
    limit = conf.stage_limits(info_type)[stage]
    if limit.unit == "h":
        return start + timedelta(hours=limit.amount)
    return add_working_days(start, limit.amount)


def first_stage_start(report: InfoReport) -> datetime:
    """The facts' time; for a report linked to an urgent report, the duty room's receipt of it (the
    unit's speed in reporting the facts is the duty room's to measure, and is measured once)."""
    if report.urgent_report is not None:
        return report.urgent_report.received_at
    return report.facts_at


def timer_step(report: InfoReport, stage: int) -> int:
    return int(stage) + 10 * report.returns


def open_stage(report: InfoReport) -> int | None:
    status = report.status
    if status in (InfoStatus.DRAFT, InfoStatus.PENDING_SIGN) and report.submitted_at is None:
        return Stage.SUBMIT
    if status in (InfoStatus.SUBMITTED, InfoStatus.RECEIVED):
        return Stage.EDIT
    if status == InfoStatus.PENDING_APPROVAL:
        return Stage.APPROVE
    if status == InfoStatus.APPROVED:
        return Stage.SEND
    return None


def stage_open(report: InfoReport, stage: int, start: datetime) -> list[str]:
    """Set the stage's deadline and schedule its timer; return the changed fields."""
    due_field, _done, _late = STAGE_FIELDS[Stage(stage)]
    due = stage_deadline(report.info_type, stage, start)
    setattr(report, due_field, due)
    timer_schedule(
        subject=report,
        kind=TIMER_KIND,
        step=timer_step(report, stage),
        due_at=due,
        data={"stage": int(stage)},
    )
    return [due_field]


def stage_close(report: InfoReport, stage: int, at: datetime) -> list[str]:
    """End the stage at ``at``: late when past its deadline; its timer is cancelled."""
    due_field, done_field, late_field = STAGE_FIELDS[Stage(stage)]
    setattr(report, done_field, at)
    due = getattr(report, due_field)
    if due is not None and at > due:
        setattr(report, late_field, True)
    timer_cancel(subject=report, kind=TIMER_KIND, step=timer_step(report, stage))
    return [done_field, late_field]


def stage_cancel(report: InfoReport, stage: int) -> None:
    timer_cancel(subject=report, kind=TIMER_KIND, step=timer_step(report, stage))


def editors() -> list[User]:
    sections = conf.section_unit_codes()
    return list(
        User.objects.filter(
            is_active=True,
            staff__unit__code__in=sections,
            staff__is_active=True,
            groups__name__in=list(INFORMATION_EDITOR_ROLES),
        ).distinct()
    )


def approvers() -> list[User]:
    """The deputies in charge of the information section; every approver when none is."""
    sections = conf.section_unit_codes()
    qs = User.objects.filter(is_active=True, groups__name__in=list(INFORMATION_APPROVER_ROLES))
    in_charge = list(qs.filter(staff__sections_in_charge__code__in=sections).distinct())
    return in_charge or list(qs.distinct())


def who_must_act(report: InfoReport, stage: int) -> list[User]:
    if stage == Stage.SUBMIT:
        people = [u for u in (report.unit.head, report.author) if u is not None]
        return people
    if stage == Stage.APPROVE:
        return approvers()
    return editors()


def stage_mark_late(*, report: InfoReport, stage: int) -> bool:
    """The timer's work (inside the tick's transaction): mark the open stage late and notify. Returns
    False when there is nothing to do (the stage ended meanwhile, or is already late)."""
    if open_stage(report) != stage:
        return False
    _due, _done, late_field = STAGE_FIELDS[Stage(stage)]
    if getattr(report, late_field):
        return False
    setattr(report, late_field, True)
    report.save(update_fields=[late_field])
    ranking.bucket_refresh(report)
    audit_record(
        actor=None,
        actor_label="时钟",
        verb="information.stage_late",
        subject=report,
        data={"stage": int(stage)},
    )
    notify(
        recipients=who_must_act(report, stage),
        subject=report,
        step=f"late:{timer_step(report, stage)}",
        title=_("信息“%(title)s”%(stage)s环节已超时限（迟报），请尽快办理")
        % {"title": report.title, "stage": Stage(stage).label},
        url=reverse("information:detail", kwargs={"pk": report.pk}),
        level="urgent",
    )
    return True


def late_q() -> Q:
    return Q(submit_late=True) | Q(edit_late=True) | Q(approve_late=True) | Q(send_late=True)


def now() -> datetime:
    return timezone.now()
