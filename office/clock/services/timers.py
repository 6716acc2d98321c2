"""Scheduling timers: upsert on (subject, kind, step), cancel, and an administrator's retry."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.org.types import Actor

from .. import conf, registry
from ..models import PENDING_Q, Timer
from .errors import ClockError

logger = logging.getLogger(__name__)


def _subject_key(subject) -> tuple[ContentType, str]:
    if subject is None or subject.pk is None:
        raise ValueError("a timer needs a saved subject")
    return ContentType.objects.get_for_model(subject), str(subject.pk)


def send_fast_path(timer_id: int, due_at: datetime) -> None:
    """Send the countdown task for one timer. Losing it is harmless: the tick fires the timer anyway."""
    from ..tasks import clock_fire_timer_task

    countdown = max(0.0, (due_at - timezone.now()).total_seconds())
    try:
        clock_fire_timer_task.apply_async(
            kwargs={"timer_id": timer_id}, countdown=countdown, queue="critical"
        )
    except Exception:  # a broker outage must not fail the caller; the tick covers it
        logger.warning(
            "clock fast path for timer %s not sent; the tick will fire it", timer_id, exc_info=True
        )


def _maybe_fast_path(timer: Timer) -> None:
    if timer.due_at - timezone.now() <= timedelta(seconds=conf.fast_path_seconds()):
        transaction.on_commit(partial(send_fast_path, timer.pk, timer.due_at))


@transaction.atomic
def timer_schedule(*, subject, kind: str, due_at: datetime, step: int = 0, data: dict | None = None) -> Timer:
    """Schedule (or move) the timer (subject, kind, step) to ``due_at``.

    An unfired timer, cancelled or not, is moved to ``due_at`` and starts its attempts afresh; a fired
    one is returned unchanged: a step never fires twice. A timer due within the fast-path window also
    gets a countdown task after commit.
    """
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be timezone-aware")
    if registry.get_handler(kind) is None:
        raise LookupError(f"no timer handler registered for kind {kind!r}")
    ct, subject_id = _subject_key(subject)
    key = {"subject_type": ct, "subject_id": subject_id, "kind": kind, "step": step}
    timer = Timer.objects.select_for_update().filter(**key).first()
    if timer is None:
        try:
            with transaction.atomic():
                timer = Timer.objects.create(**key, due_at=due_at, data=data or {})
        except IntegrityError:  # scheduled concurrently by another request: move that one
            timer = Timer.objects.select_for_update().get(**key)
        else:
            _maybe_fast_path(timer)
            return timer
    if timer.fired_at is not None:
        return timer
    timer.due_at = due_at
    timer.cancelled_at = None
    timer.failed_at = None
    timer.next_attempt_at = None
    timer.attempts = 0
    if data is not None:
        timer.data = data
    timer.save(
        update_fields=[
            "due_at",
            "cancelled_at",
            "failed_at",
            "next_attempt_at",
            "attempts",
            "data",
            "updated_at",
        ]
    )
    _maybe_fast_path(timer)
    return timer


@dataclass(frozen=True)
class TimerSpec:
    """One timer of a subject, as ``timer_schedule`` takes it."""

    kind: str
    due_at: datetime
    step: int = 0
    data: dict | None = None


@transaction.atomic
def timers_schedule(*, subject, timers: Sequence[TimerSpec]) -> list[Timer]:
    """``timer_schedule`` for each of ``timers`` (one subject), returning them in the same order.

    The same rules, fewer statements: one read of the subject's timers, then one insert of all those
    that do not exist yet (a subject just created: an urgent report's six limits in two statements
    instead of twenty-four). Existing ones are moved as ``timer_schedule`` moves them; a fired one is
    left as it is. If another transaction creates one of them meanwhile, each is scheduled on its own.
    """
    for spec in timers:
        if timezone.is_naive(spec.due_at):
            raise ValueError("due_at must be timezone-aware")
        if registry.get_handler(spec.kind) is None:
            raise LookupError(f"no timer handler registered for kind {spec.kind!r}")
    ct, subject_id = _subject_key(subject)
    kinds = {spec.kind for spec in timers}
    existing = {
        (t.kind, t.step): t
        for t in Timer.objects.select_for_update().filter(
            subject_type=ct, subject_id=subject_id, kind__in=kinds
        )
    }
    fresh = [
        Timer(
            subject_type=ct,
            subject_id=subject_id,
            kind=spec.kind,
            step=spec.step,
            due_at=spec.due_at,
            data=spec.data or {},
        )
        for spec in timers
        if (spec.kind, spec.step) not in existing
    ]
    if fresh:
        try:
            with transaction.atomic():
                Timer.objects.bulk_create(fresh)
        except IntegrityError:  # scheduled concurrently by another request: one at a time, as usual
            return [_schedule_one(subject, spec) for spec in timers]
        for timer in fresh:
            _maybe_fast_path(timer)
    made = {(t.kind, t.step): t for t in fresh}
    return [
        made[(spec.kind, spec.step)] if (spec.kind, spec.step) in made else _schedule_one(subject, spec)
        for spec in timers
    ]


def _schedule_one(subject, spec: TimerSpec) -> Timer:
    return timer_schedule(subject=subject, kind=spec.kind, due_at=spec.due_at, step=spec.step, data=spec.data)


@transaction.atomic
def timer_cancel(*, subject, kind: str | None = None, step: int | None = None) -> int:
    """Cancel the subject's unfired timers (all, or of one kind / step). Returns how many."""
    ct, subject_id = _subject_key(subject)
    qs = Timer.objects.filter(PENDING_Q, subject_type=ct, subject_id=subject_id)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if step is not None:
        qs = qs.filter(step=step)
    now = timezone.now()
    return qs.update(cancelled_at=now, next_attempt_at=None, updated_at=now)


@transaction.atomic
def timer_retry(*, actor: Actor, timer_id: int) -> Timer:
    """An administrator asks for another try of a failing or given-up timer, now."""
    timer = Timer.objects.select_for_update().filter(pk=timer_id).first()
    if timer is None:
        raise ClockError(_("定时任务不存在。"), code="not_found")
    if timer.fired_at is not None:
        raise ClockError(_("该定时任务已触发，无需重试。"))
    if timer.cancelled_at is not None:
        raise ClockError(_("该定时任务已取消，不能重试。"))
    previous = {"attempts": timer.attempts, "failed": timer.failed_at is not None}
    timer.failed_at = None
    timer.next_attempt_at = None
    timer.attempts = 0
    timer.save(update_fields=["failed_at", "next_attempt_at", "attempts", "updated_at"])
    audit_record(
        actor=actor,
        verb="clock.timer_retried",
        subject=timer,
        data={"kind": timer.kind, "step": timer.step, **previous, "last_error": timer.last_error[:500]},
    )
    transaction.on_commit(partial(send_fast_path, timer.pk, timezone.now()))
    return timer
