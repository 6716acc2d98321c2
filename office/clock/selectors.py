"""Reads of the clock: a subject's timers and ladder plan, and the clock's health for administrators."""

import time
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from . import conf
from .models import PENDING_Q, ClockState, LadderStatus, LadderStepStatus, SubjectLadder, Timer

# When this process started: /readyz gives a freshly started system three intervals for its first tick.
PROCESS_STARTED = time.monotonic()


def timers_for_subject(subject) -> QuerySet[Timer]:
    ct = ContentType.objects.get_for_model(subject)
    return Timer.objects.filter(subject_type=ct, subject_id=str(subject.pk)).order_by("due_at", "id")


def subject_ladder_latest(subject) -> SubjectLadder | None:
    ct = ContentType.objects.get_for_model(subject)
    return (
        SubjectLadder.objects.filter(subject_type=ct, subject_id=str(subject.pk))
        .order_by("-started_at", "-id")
        .prefetch_related("steps")
        .first()
    )


def _step_dict(step, ladder) -> dict:
    return {
        "id": step.pk,
        "order": step.order,
        "number": step.order + 1,
        "name": step.name,
        "wait": step.wait_display(),
        "due_at": step.due_at,
        "fired_at": step.fired_at,
        "status": step.status,
        "status_label": step.get_status_display(),
        "recipients": step.recipients,
        "recipients_resolved": step.recipients_resolved,
        "action": step.action,
        "ladder_status": ladder.status,
        "ladder_status_label": ladder.get_status_display(),
        "ladder_name": ladder.template_name,
    }


def ladder_plan(subject) -> list[dict]:
    ladder = subject_ladder_latest(subject)
    if ladder is None:
        return []
    return [_step_dict(s, ladder) for s in sorted(ladder.steps.all(), key=lambda s: s.order)]


def ladder_next_action(subject) -> dict | None:
    """The next pending step of the subject's live ladder (``ladder_status`` says whether it is paused)."""
    ladder = subject_ladder_latest(subject)
    if ladder is None or ladder.status not in (LadderStatus.RUNNING, LadderStatus.PAUSED):
        return None
    pending = sorted(
        (s for s in ladder.steps.all() if s.status == LadderStepStatus.PENDING), key=lambda s: s.order
    )
    return _step_dict(pending[0], ladder) if pending else None


def clock_state() -> ClockState:
    return ClockState.objects.filter(pk=1).first() or ClockState(pk=1)


def _waiting() -> QuerySet[Timer]:
    return Timer.objects.filter(PENDING_Q)


def next_due_at() -> datetime | None:
    """When the next waiting timer can be claimed: the earliest due time of those not backing off, or the
    earliest retry time of those that are (two small queries on the waiting timers' partial index)."""
    first = (
        _waiting().filter(next_attempt_at__isnull=True).order_by("due_at").values_list("due_at", flat=True)
    )
    retry = _waiting().filter(next_attempt_at__isnull=False).aggregate(m=Min("next_attempt_at"))["m"]
    times = [t for t in (first.first(), retry) if t is not None]
    return min(times) if times else None


def due_summary(now: datetime | None = None) -> dict:
    """How many timers are due and unfired now, and how late the oldest of them is."""
    now = now or timezone.now()
    due = _waiting().filter(due_at__lte=now)
    agg = due.aggregate(oldest=Min("due_at"))
    count = due.count()
    lag = (now - agg["oldest"]).total_seconds() if agg["oldest"] else 0.0
    return {"due": count, "oldest_due_at": agg["oldest"], "lag_seconds": max(0.0, lag)}


def troubled_timers(*, limit: int = 100) -> QuerySet[Timer]:
    """Timers whose handler raised: retrying ones and those given up (failed), newest trouble first."""
    return (
        Timer.objects.filter(fired_at__isnull=True, cancelled_at__isnull=True, attempts__gt=0)
        .select_related("subject_type")
        .order_by("-updated_at")[:limit]
    )


def timer_counts() -> dict:
    qs = Timer.objects.filter(fired_at__isnull=True, cancelled_at__isnull=True)
    return {
        "waiting": qs.filter(failed_at__isnull=True).count(),
        "retrying": qs.filter(failed_at__isnull=True, attempts__gt=0).count(),
        "failed": qs.filter(failed_at__isnull=False).count(),
    }


def clock_health(now: datetime | None = None) -> tuple[bool, str]:
    """Healthy when a tick ran within three intervals, or this process started less than three
    intervals ago (a freshly started system whose beat has not had its first chance yet)."""
    now = now or timezone.now()
    try:
        last = ClockState.objects.filter(pk=1).values_list("last_tick_at", flat=True).first()
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"
    limit = conf.stale_after()
    if last is not None and now - last <= limit:
        return True, f"last tick {int((now - last).total_seconds())}s ago"
    if time.monotonic() - PROCESS_STARTED <= limit.total_seconds():
        return True, "starting: waiting for the first tick"
    if last is None:
        return False, "no tick has run"
    return False, f"last tick {int((now - last).total_seconds())}s ago (limit {int(limit.total_seconds())}s)"


def failed_timer_q() -> Q:
    return Q(fired_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=False)


def clock_stopped_seconds(now: datetime | None = None) -> int | None:
    """Seconds since the last sweep when the clock is stale (beyond ``stale_after``), else None.

    Read on every page of the duty room and the director (the red banner), so it is one indexed row."""
    now = now or timezone.now()
    limit = conf.stale_after()
    if time.monotonic() - PROCESS_STARTED <= limit.total_seconds():
        return None  # this web process just started: the sweeper may not have had its first chance
    try:
        last = ClockState.objects.filter(pk=1).values_list("last_tick_at", flat=True).first()
    except Exception:
        return None  # the database itself is down: the error page says so, not this banner
    if last is None:
        return None  # a system that never swept (a fresh install, or tests) has no deadlines to miss yet
    age = (now - last).total_seconds()
    return int(age) if age > limit.total_seconds() else None
