"""The engine: claim due timers, run their handlers, mark them fired — exactly once.

The database is the clock. The tick claims due timers in batches with ``SELECT ... FOR UPDATE SKIP
LOCKED`` on PostgreSQL, so any number of workers can tick at once and each timer is claimed by one of
them. On SQLite the connection begins every transaction IMMEDIATE (settings), so ticks serialise on
the write lock and the second one sees the first one's fired marks. Each handler runs in its own
savepoint: one that raises is rolled back alone, its timer records the error and is retried later,
and the rest of the batch fires. The handler's writes and the fired mark commit together, so a worker
killed mid-batch leaves the whole batch unfired for the next tick, never half-fired.
"""

import logging
import time
import traceback
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import conf, registry
from ..models import PENDING_Q, ClockState, Timer

logger = logging.getLogger("office.clock")

_SAVE_FIELDS = ["fired_at", "attempts", "last_error", "next_attempt_at", "failed_at", "updated_at"]


@dataclass
class TickResult:
    fired: int = 0
    failed: int = 0
    batches: int = 0
    duration_ms: int = 0
    fanned_out: int = 0
    errors: list = field(default_factory=list)


class UnknownTimerKind(LookupError):
    pass


def _claimable(now):
    return Timer.objects.filter(PENDING_Q, due_at__lte=now).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _lock(qs):
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True)
    return qs  # SQLite: the IMMEDIATE transaction already holds the database's write lock


def _error_text(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-6))
    return text[-4000:]


def _run_handler(timer: Timer) -> bool:
    """Run the timer's handler in a savepoint and set the timer's fields (the caller saves them)."""
    handler = registry.get_handler(timer.kind)
    try:
        with transaction.atomic():
            if handler is None:
                raise UnknownTimerKind(f"no timer handler registered for kind {timer.kind!r}")
            handler(timer)
    except Exception as exc:
        now = timezone.now()
        timer.attempts += 1
        timer.last_error = _error_text(exc)
        if timer.attempts >= conf.max_attempts():
            timer.failed_at, timer.next_attempt_at = now, None
            logger.error(
                "clock timer %s (%s) failed for good after %s attempts", timer.pk, timer.kind, timer.attempts
            )
        else:
            timer.next_attempt_at = now + conf.retry_delay(timer.attempts)
            logger.warning(
                "clock timer %s (%s) attempt %s failed: %s", timer.pk, timer.kind, timer.attempts, exc
            )
        return False
    timer.attempts += 1
    timer.fired_at = timezone.now()
    timer.next_attempt_at = None
    return True


def _bump_state(**changes) -> None:
    """Add to the clock's counters (F expressions, so concurrent ticks add up)."""
    if not ClockState.objects.filter(pk=1).update(**changes):
        ClockState.objects.bulk_create([ClockState(pk=1)], ignore_conflicts=True)
        ClockState.objects.filter(pk=1).update(**changes)


def _run_batch(limit: int, on_full=None) -> tuple[int, int, int]:
    """Claim and fire up to ``limit`` due timers in one transaction: (claimed, fired, failed).

    ``on_full`` is called as soon as a full batch is claimed (more may be waiting), before the handlers run.
    """
    with transaction.atomic():
        now = timezone.now()
        timers = list(_lock(_claimable(now).order_by("due_at", "id"))[:limit])
        if not timers:
            return 0, 0, 0
        if on_full is not None and len(timers) == limit:
            on_full()
        ok: list[Timer] = []
        failed: list[Timer] = []
        for t in timers:
            (ok if _run_handler(t) else failed).append(t)
        # One statement marks the batch fired: it all commits at one moment anyway.
        now = timezone.now()
        if ok:
            Timer.objects.filter(pk__in=[t.pk for t in ok]).update(
                fired_at=now, attempts=F("attempts") + 1, next_attempt_at=None, updated_at=now
            )
        for t in failed:  # rare: each keeps its own error and backoff
            t.save(update_fields=_SAVE_FIELDS)
        _bump_state(fired_total=F("fired_total") + len(ok), failures_total=F("failures_total") + len(failed))
        return len(timers), len(ok), len(failed)


def _fan_out(n: int) -> int:
    from ..tasks import clock_tick_task

    sent = 0
    for _ in range(n):
        try:
            clock_tick_task.apply_async(kwargs={"drain": True}, queue="critical")
            sent += 1
        except Exception:
            logger.warning("clock drain task not sent", exc_info=True)
            break
    return sent


def clock_tick(*, drain: bool = False) -> TickResult:
    """Fire every due timer, batch after batch, until none is left or the time budget is spent.

    A tick from beat that finds more than one batch due asks ``tick_fanout`` more workers to drain
    alongside it (``drain=True`` ticks never fan out further).
    """
    started = time.monotonic()
    result = TickResult()
    limit = conf.batch_size()
    budget = conf.tick_budget_seconds()

    def fan_out():
        result.fanned_out = _fan_out(conf.tick_fanout())

    while True:
        ask_help = not drain and result.batches == 0 and conf.tick_fanout()
        claimed, fired, failed = _run_batch(limit, on_full=fan_out if ask_help else None)
        result.batches += 1
        result.fired += fired
        result.failed += failed
        if claimed < limit:
            break
        if time.monotonic() - started > budget:
            break
    result.duration_ms = int((time.monotonic() - started) * 1000)
    if not drain:
        with transaction.atomic():
            _bump_state(
                last_tick_at=timezone.now(),
                last_tick_duration_ms=result.duration_ms,
                last_tick_fired=result.fired,
                ticks_total=F("ticks_total") + 1,
            )
    return result


def timer_fire(*, timer_id: int) -> str:
    """The fast path: fire one timer if it is due and nobody else holds it. Safe to run any number of times.

    Returns "fired", "failed" (its handler raised; retried later by the tick) or "skipped" (missing,
    fired, cancelled, given up, not due yet, backing off, or claimed by a tick right now).
    """
    with transaction.atomic():
        timer = _lock(_claimable(timezone.now()).filter(pk=timer_id)).first()
        if timer is None:
            return "skipped"
        ok = _run_handler(timer)
        timer.save(update_fields=_SAVE_FIELDS)
        _bump_state(fired_total=F("fired_total") + int(ok), failures_total=F("failures_total") + int(not ok))
        return "fired" if ok else "failed"
