"""The sweeper: the office clock's own loop, which does not ride the broker.

The database is the clock, so the safety net that fires due timers must not depend on a message
arriving. ``clock_sweep_forever`` runs ``clock_tick`` the moment the next waiting timer falls due (its due
time looked up in the database every ``OFFICE_CLOCK_POLL_SECONDS``) and at least every
``OFFICE_CLOCK_TICK_SECONDS``, in its own process (``manage.py clock_sweeper``, started by the run command's supervisor, the Procfile and the
compose file). It never waits behind e-mail or fast-path tasks in a Celery queue, and a flushed or
restarted broker cannot delete its next sweep. Several sweepers may run (SKIP LOCKED hands each due
timer to one of them; on SQLite the IMMEDIATE transaction serialises them), so a second one is
redundancy, not a race. Celery keeps the fast path (a countdown task per timer due soon) and the drain
tasks a sweep sends when more than a batch is due. After each sweep the sweeper also links the audit
logs' new rows onto their hash chains (the one periodic loop of the office that does not ride the broker).
"""

import logging
import threading
import time

from django.db import close_old_connections, connection, connections
from django.utils import timezone

from office.audit.chain import chain_link_all

from .. import conf
from ..selectors import next_due_at
from .engine import clock_tick

logger = logging.getLogger("office.clock")


def _outside_transaction() -> bool:
    # (a caller's open transaction — a test's, say — is never closed under it)
    return not connection.in_atomic_block


def clock_sweep_once() -> int:
    """One sweep, then the audit logs' rows written since the last one are linked onto their hash chains
    (office/audit/chain.py: rows are linked after commit, so that audited writes never queue on one
    lock). Database errors are logged and the loop goes on (the next sweep retries on a fresh
    connection, so a terminated backend or a restarted database costs one interval at most)."""
    if _outside_transaction():
        close_old_connections()
    try:
        fired = clock_tick().fired
    except Exception:
        logger.exception("clock sweep failed; retrying at the next interval")
        if _outside_transaction():
            connections.close_all()
        return 0
    try:
        chain_link_all()
    except Exception:
        logger.exception("linking the audit chains failed; retrying at the next interval")
        if _outside_transaction():
            connections.close_all()
    return fired


# A sweep that finds a timer due that it could not claim (another sweeper or a fast-path task holds it)
# looks again this much later rather than spinning on it.
BUSY_RETRY_SECONDS = 1.0
MIN_WAIT_SECONDS = 0.01


def next_sweep_delay(*, cap: float, fired: int) -> tuple[float, bool]:
    """How long to sleep, at most ``cap`` seconds, and whether to sweep then: when the next waiting timer
    falls due within ``cap`` (read from the database), sleep until then and sweep; else sleep ``cap`` and
    look again. ``fired``: what the sweep just before fired (a full batch may have left more due)."""
    try:
        due = next_due_at()
    except Exception:  # the database is away: the tick's sweep will say so in the log
        return cap, False
    if due is None:
        return cap, False
    wait = (due - timezone.now()).total_seconds()
    if wait <= 0:  # already due: we just fired a batch (more may wait), or someone else holds it
        return (0.0 if fired else min(cap, BUSY_RETRY_SECONDS)), True
    if wait <= cap:
        return max(wait, MIN_WAIT_SECONDS), True
    return cap, False


def clock_sweep_forever(
    *, stop: threading.Event, interval: float | None = None, poll: float | None = None
) -> int:
    """Sweep until ``stop`` is set; returns sweeps run.

    Between sweeps the sweeper looks up the next waiting timer's due time every ``poll`` seconds
    (``OFFICE_CLOCK_POLL_SECONDS``, 1 s: one indexed query) and sweeps the moment one falls due — so a
    deadline fires on time from the database alone, whatever happened to its fast-path task, the broker
    or the workers — and sweeps at least once every ``interval`` (the tick) in any case."""
    every = float(interval if interval is not None else conf.tick_seconds())
    look = float(poll if poll is not None else conf.poll_seconds())
    sweeps = 0
    while not stop.is_set():
        fired = clock_sweep_once()
        sweeps += 1
        next_tick = time.monotonic() + every
        while not stop.is_set():
            remaining = next_tick - time.monotonic()
            if remaining <= 0:
                break
            delay, sweep_then = next_sweep_delay(cap=min(look, remaining), fired=fired)
            fired = 0
            if stop.wait(delay) or sweep_then:
                break
    if _outside_transaction():
        connections.close_all()
    return sweeps
