"""The review chain (审核流程): 核稿 (reviewers in order), 会签 (bodies in parallel or in sequence), 签发.

Steps of one ``stage`` run together; stages run in order. A step is approved (opinion), returned with
reasons to any earlier stage or to the drafter (the chain restarts there in a new ``round``; the old
rows and their opinions stay), or delegated (the step becomes "delegated" and a new step is opened
for the delegate). Each pending step has a deadline on the office clock (working hours on the
working-day calendar) with a reminder when it passes, and a manual 催办 limited per day.
"""

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import timer_cancel, timer_schedule
from office.notifications.services import notify
from office.org.types import Actor
from office.workdays.services import add_working_days

from .. import access, conf
from ..models import (
    OPEN_STEP_STATUSES,
    DocStatus,
    Document,
    ReviewStep,
    StepKind,
    StepReminder,
    StepStatus,
)
from .common import DocumentError, display_name, grant_view, locked, person
from .core import sign_off

STEP_DUE = "documents.step_due"
WORKING_HOURS_PER_DAY = 8


def step_due_at(start: datetime, hours: int) -> datetime:
    """The deadline of a step started at ``start`` with ``hours`` working hours: the closing time of the
    working day by which that many 8-hour working days have passed (the start day not counted)."""
    days = max(1, math.ceil(max(hours, 1) / WORKING_HOURS_PER_DAY))
    return add_working_days(start, days)


def document_url(document: Document) -> str:
    return f"/documents/{document.pk}/"


def current_round(document: Document) -> int:
    return ReviewStep.objects.filter(document=document).aggregate(r=Max("round"))["r"] or 0


def _plan(document: Document) -> list[ReviewStep]:
    """The chain as it now stands: for each stage, the steps of the latest round that has that stage,
    with a delegated step replaced by its delegate's."""
    steps = list(ReviewStep.objects.filter(document=document).order_by("stage", "round", "id"))
    latest: dict[int, int] = {}
    for s in steps:
        latest[s.stage] = max(latest.get(s.stage, 0), s.round)
    return [s for s in steps if s.round == latest[s.stage] and s.status != StepStatus.DELEGATED]


def _copy_into_round(document: Document, *, from_stage: int, new_round: int) -> None:
    for s in _plan(document):
        if s.stage >= from_stage:
            ReviewStep.objects.create(
                document=document,
                stage=s.stage,
                kind=s.kind,
                assignee_id=s.assignee_id,
                body_name=s.body_name,
                round=new_round,
                due_hours=s.due_hours,
            )


@transaction.atomic
def chain_configure(
    *,
    actor: Actor,
    document: Document,
    reviewers: Sequence,
    countersigners: Sequence[tuple] = (),
    countersign_parallel: bool = True,
    signer,
    due_hours: int | None = None,
) -> list[ReviewStep]:
    """Set the chain before submission: reviewers in order, countersigning (person, body) pairs in
    parallel (one stage) or in sequence, then the signer. Replaces a chain not yet started."""
    access.document_access_for_action(actor=actor, document=document, action="configure")
    doc = locked(document)
    if doc.status != DocStatus.DRAFT:
        raise DocumentError(_("公文已送审，不能再修改审核流程。"))
    if signer is None:
        raise DocumentError(_("请选择签发人。"), code="invalid", fields={"signer": [_("请选择签发人。")]})
    people = [*reviewers, *(p for p, _body in countersigners), signer]
    if any(not access.can_be_assigned(p) for p in people):
        message = _("审核流程只能指定机关工作人员。")
        raise DocumentError(message, code="invalid", fields={"signer": [message]})
    rows = _build_chain(
        doc,
        reviewers=reviewers,
        countersigners=countersigners,
        countersign_parallel=countersign_parallel,
        signer=signer,
        due_hours=due_hours,
    )
    for p in people:  # those named on the chain must read the draft, whatever its 密级
        grant_view(p, doc)
    audit_record(
        actor=actor,
        verb="documents.chain_configured",
        subject=doc,
        data={
            "round": rows[0].round,
            "steps": [
                {"stage": r.stage, "kind": r.kind, "assignee": r.assignee.get_username(), "body": r.body_name}
                for r in rows
            ],
        },
    )
    return rows


def _build_chain(
    doc: Document, *, reviewers, countersigners, countersign_parallel: bool, signer, due_hours: int | None
) -> list[ReviewStep]:
    hours = due_hours or conf.step_due_hours()
    rnd = current_round(doc)
    if (
        rnd == 0
        or ReviewStep.objects.filter(document=doc, round=rnd).exclude(status=StepStatus.WAITING).exists()
    ):
        rnd += 1
    ReviewStep.objects.filter(document=doc, round=rnd, status=StepStatus.WAITING).delete()
    rows: list[ReviewStep] = []
    stage = 0
    for reviewer in reviewers:
        stage += 1
        rows.append(ReviewStep(document=doc, stage=stage, kind=StepKind.REVIEW, assignee=reviewer))
    if countersigners:
        if countersign_parallel:
            stage += 1
        for p, body in countersigners:
            if not countersign_parallel:
                stage += 1
            rows.append(
                ReviewStep(
                    document=doc,
                    stage=stage,
                    kind=StepKind.COUNTERSIGN,
                    assignee=p,
                    body_name=(body or "")[:100],
                )
            )
    stage += 1
    rows.append(ReviewStep(document=doc, stage=stage, kind=StepKind.SIGN_OFF, assignee=signer))
    for row in rows:
        row.round = rnd
        row.due_hours = hours
    ReviewStep.objects.bulk_create(rows)
    return rows


@transaction.atomic
def document_send_for_sign_off(
    *, document: Document, reviewers: Sequence = (), signer, actor: Actor = None, due_hours: int | None = None
) -> Document:
    """A draft another app wrote (the system, ``actor=None``) goes up a chain it names: reviewers in
    order, then a PERSON signs it (never the system). The proofreader's findings are shown to the
    reviewers but do not block a draft no person wrote; their count goes to the trail."""
    from ..proofreading import proofread

    access.document_access_for_action(actor=actor, document=document, action="submit")
    doc = locked(document)
    if doc.status != DocStatus.DRAFT:
        raise DocumentError(_("只有草稿可以送审。"))
    if signer is None:
        raise DocumentError(_("没有可以签发的人员，请先在人员中设置签发领导。"), code="invalid")
    people = [*reviewers, signer]
    if any(not access.can_be_assigned(p) for p in people):
        raise DocumentError(_("审核流程只能指定机关工作人员。"), code="invalid")
    rows = _build_chain(
        doc,
        reviewers=reviewers,
        countersigners=(),
        countersign_parallel=True,
        signer=signer,
        due_hours=due_hours,
    )
    for p in people:
        grant_view(p, doc)
    findings = proofread(doc.body, title=doc.title)
    doc.status = DocStatus.IN_REVIEW
    doc.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb="documents.document_submitted",
        subject=doc,
        data={
            "round": rows[0].round,
            "chain": [(r.kind, r.assignee.get_username()) for r in rows],
            "proofread_errors": sum(1 for f in findings if f.severity == "error"),
        },
    )
    _activate(doc, rows[0].round, rows[0].stage)
    return doc


def chain_submit(*, actor: Actor, document: Document, override_reason: str = "") -> Document:
    """Into the chain (called by ``document_submit_for_review`` after access). The proofreader runs:
    a finding of "error" severity blocks unless the drafter gives a reason, which is recorded."""
    from ..proofreading import has_errors, proofread

    doc = locked(document)
    if doc.status != DocStatus.DRAFT:
        raise DocumentError(_("只有草稿可以送审。"))
    rnd = current_round(doc)
    waiting = ReviewStep.objects.filter(document=doc, round=rnd, status=StepStatus.WAITING)
    if not waiting.exists():
        raise DocumentError(_("请先设置审核流程。"), code="invalid")
    findings = proofread(doc.body, title=doc.title)
    reason = (override_reason or "").strip()
    if has_errors(findings):
        errors = [f for f in findings if f.severity == "error"]
        if not reason:
            message = _("校对发现{n}处错误，请修改后再送审；确需保留的，请填写不改的理由。").format(
                n=len(errors)
            )
            raise DocumentError(message, code="invalid", fields={"override_reason": [message]})
        doc.proofread_override_reason = reason
        doc.proofread_override_by = person(actor)
        audit_record(
            actor=actor,
            verb="documents.proofread_overridden",
            subject=doc,
            data={"reason": reason, "errors": [f"{f.rule}@{f.start}" for f in errors][:50]},
        )
    doc.status = DocStatus.IN_REVIEW
    doc.save(update_fields=["status", "proofread_override_reason", "proofread_override_by", "updated_at"])
    audit_record(actor=actor, verb="documents.document_submitted", subject=doc, data={"round": rnd})
    first = waiting.order_by("stage").values_list("stage", flat=True).first()
    _activate(doc, rnd, first)
    return doc


def _activate(doc: Document, rnd: int, stage: int | None) -> None:
    if stage is None:
        return
    now = timezone.now()
    steps = list(
        ReviewStep.objects.select_related("assignee").filter(
            document=doc, round=rnd, stage=stage, status=StepStatus.WAITING
        )
    )
    for step in steps:
        _open(doc, step, now)


def _open(doc: Document, step: ReviewStep, now: datetime) -> None:
    step.status = StepStatus.PENDING
    step.started_at = now
    step.due_at = step_due_at(now, step.due_hours)
    step.save(update_fields=["status", "started_at", "due_at"])
    timer_schedule(subject=step, kind=STEP_DUE, due_at=step.due_at)
    notify(
        recipients=[step.assignee],
        subject=step,
        step="pending",
        title=_("待{kind}：{title}").format(kind=step.get_kind_display(), title=doc.title),
        url=document_url(doc),
        level="info",
    )


def _locked_step(step: ReviewStep) -> ReviewStep:
    return ReviewStep.objects.select_for_update().select_related("document", "assignee").get(pk=step.pk)


def _close(step: ReviewStep, status: str, opinion: str) -> None:
    step.status = status
    step.opinion = opinion
    step.acted_at = timezone.now()
    step.save(update_fields=["status", "opinion", "acted_at", "returned_to_stage"])
    timer_cancel(subject=step, kind=STEP_DUE)


def _pending_guard(step: ReviewStep) -> None:
    if step.status != StepStatus.PENDING or step.document.status != DocStatus.IN_REVIEW:
        raise DocumentError(_("该环节已办理或尚未开始，请刷新页面查看最新情况。"))


@transaction.atomic
def step_approve(*, actor: Actor, step: ReviewStep, opinion: str) -> ReviewStep:
    """同意 (with an opinion). The 签发 step's approval is the sign-off: signer, opinion and date are
    written and the origin's hooks run. When the last step of a stage is approved the next stage opens."""
    access.step_access_for_action(actor=actor, step=step, action="approve")
    doc = locked(step.document)
    step = _locked_step(step)
    _pending_guard(step)
    opinion = (opinion or "").strip()
    if step.kind == StepKind.SIGN_OFF and not opinion:
        raise DocumentError(
            _("请填写签发意见。"), code="invalid", fields={"opinion": [_("请填写签发意见。")]}
        )
    _close(step, StepStatus.APPROVED, opinion or _("同意。"))
    audit_record(
        actor=actor,
        verb="documents.step_approved",
        subject=doc,
        data={
            "step": step.pk,
            "kind": step.kind,
            "stage": step.stage,
            "round": step.round,
            "opinion": step.opinion,
        },
    )
    if step.kind == StepKind.SIGN_OFF:
        sign_off(actor=actor, document=doc, opinion=step.opinion)
        return step
    if ReviewStep.objects.filter(
        document=doc, round=step.round, stage=step.stage, status__in=OPEN_STEP_STATUSES
    ).exists():
        return step  # a parallel 会签 is still open
    next_stage = (
        ReviewStep.objects.filter(
            document=doc, round=step.round, stage__gt=step.stage, status=StepStatus.WAITING
        )
        .order_by("stage")
        .values_list("stage", flat=True)
        .first()
    )
    _activate(doc, step.round, next_stage)
    return step


def return_targets(document: Document, step: ReviewStep) -> list[tuple[int, str]]:
    """Where a step may send the document back: the drafter (0) and every earlier stage."""
    targets = [(0, _("拟稿人"))]
    seen: set[int] = set()
    for s in _plan(document):
        if s.stage < step.stage and s.stage not in seen:
            seen.add(s.stage)
            label = s.get_kind_display()
            who = s.body_name or display_name(s.assignee)
            stage_label = _("第{n}环节").format(n=s.stage)
            targets.append((s.stage, f"{stage_label} {label}（{who}）"))
    return targets


@transaction.atomic
def step_return(*, actor: Actor, step: ReviewStep, to_stage: int, reason: str) -> ReviewStep:
    """退回 with reasons to an earlier stage or to the drafter (``to_stage`` 0): the open steps of this
    round are cancelled and the chain restarts from there in a new round; opinions so far are kept."""
    access.step_access_for_action(actor=actor, step=step, action="return")
    doc = locked(step.document)
    step = _locked_step(step)
    _pending_guard(step)
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("请填写退回理由。"), code="invalid", fields={"reason": [_("请填写退回理由。")]})
    allowed = {stage for stage, _label in return_targets(doc, step)}
    if to_stage not in allowed:
        message = _("只能退回拟稿人或之前的环节。")
        raise DocumentError(message, code="invalid", fields={"to_stage": [message]})
    step.returned_to_stage = to_stage
    _close(step, StepStatus.RETURNED, reason)
    for other in ReviewStep.objects.filter(document=doc, round=step.round, status__in=OPEN_STEP_STATUSES):
        other.returned_to_stage = None
        _close(other, StepStatus.CANCELLED, other.opinion)
    new_round = step.round + 1
    _copy_into_round(doc, from_stage=max(to_stage, 1), new_round=new_round)
    audit_record(
        actor=actor,
        verb="documents.step_returned",
        subject=doc,
        data={"step": step.pk, "to_stage": to_stage, "reason": reason, "round": new_round},
    )
    if to_stage == 0:
        doc.status = DocStatus.DRAFT
        doc.save(update_fields=["status", "updated_at"])
        if doc.created_by_id:
            notify(
                recipients=[doc.created_by],
                subject=step,
                step="returned",
                title=_("公文被退回修改：{title}").format(title=doc.title),
                body=reason,
                url=document_url(doc),
                level="warning",
            )
    else:
        _activate(doc, new_round, to_stage)
    return step


@transaction.atomic
def step_delegate(*, actor: Actor, step: ReviewStep, to_user, reason: str = "") -> ReviewStep:
    """转办: the step becomes "delegated" and the delegate gets a new step of the same stage."""
    access.step_access_for_action(actor=actor, step=step, action="delegate")
    doc = locked(step.document)
    step = _locked_step(step)
    _pending_guard(step)
    if to_user is None or not access.can_be_assigned(to_user):
        message = _("只能转给机关工作人员办理。")
        raise DocumentError(message, code="invalid", fields={"to_user": [message]})
    if to_user.pk == step.assignee_id:
        message = _("不能转给自己。")
        raise DocumentError(message, code="invalid", fields={"to_user": [message]})
    _close(step, StepStatus.DELEGATED, (reason or "").strip())
    new = ReviewStep.objects.create(
        document=doc,
        stage=step.stage,
        kind=step.kind,
        assignee=to_user,
        body_name=step.body_name,
        round=step.round,
        delegated_from=step,
        due_hours=step.due_hours,
    )
    grant_view(to_user, doc)
    _open(doc, new, timezone.now())
    audit_record(
        actor=actor,
        verb="documents.step_delegated",
        subject=doc,
        data={"step": step.pk, "new_step": new.pk, "to": to_user.get_username(), "reason": step.opinion},
    )
    return new


def _reminder_window(now: datetime) -> tuple[datetime, datetime]:
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


@transaction.atomic
def step_remind(*, actor: Actor, step: ReviewStep) -> StepReminder:
    """催办 a pending step: the assignee is notified; at most ``DOCUMENTS_REMINDERS_PER_DAY`` a day."""
    access.step_access_for_action(actor=actor, step=step, action="remind")
    locked(step.document)
    step = _locked_step(step)
    _pending_guard(step)
    now = timezone.now()
    start, tomorrow = _reminder_window(now)
    limit = conf.reminders_per_day()
    sent = StepReminder.objects.filter(step=step, sent_at__gte=start, sent_at__lt=tomorrow).count()
    if sent >= limit:
        raise DocumentError(
            _("该环节今天已催办{n}次，达到每日上限；{when}后可再次催办。").format(
                n=sent, when=f"{tomorrow:%Y年%-m月%-d日 %H:%M}"
            ),
            code="throttled",
        )
    reminder = StepReminder.objects.create(step=step, sent_by=person(actor), sent_at=now)
    notify(
        recipients=[step.assignee],
        subject=step,
        step=f"remind-{reminder.pk}",
        title=_("催办：请尽快办理“{title}”（{kind}）").format(
            title=step.document.title, kind=step.get_kind_display()
        ),
        url=document_url(step.document),
        level="warning",
    )
    audit_record(
        actor=actor,
        verb="documents.step_reminded",
        subject=step.document,
        data={"step": step.pk, "today": sent + 1},
    )
    return reminder


def step_deadline_passed(step_id: int) -> None:
    """The clock's reminder when a step's deadline passes (idempotent: a step acted on is skipped, and
    notify writes one message per step and recipient)."""
    step = ReviewStep.objects.select_related("document__created_by", "assignee").filter(pk=step_id).first()
    if step is None or step.status != StepStatus.PENDING:
        return
    recipients = [step.assignee] + ([step.document.created_by] if step.document.created_by_id else [])
    notify(
        recipients=recipients,
        subject=step,
        step="overdue",
        title=_("已超过办理期限：{title}（{kind}，{who}）").format(
            title=step.document.title, kind=step.get_kind_display(), who=display_name(step.assignee)
        ),
        url=document_url(step.document),
        level="warning",
    )
