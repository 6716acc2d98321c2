"""The sweeper: the office clock's own loop, which does not ride the broker.

The database is the clock, so the safety net that fires due timers must not depend on a message
arriving. ``clock_sweep_forever`` runs ``clock_tick`` every ``OFFICE_CLOCK_TICK_SECONDS`` in its own
process (``manage.py clock_sweeper``, started by the run command's supervisor, the Procfile and the
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

from office.audit.chain import chain_link_all

from .. import conf
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


def clock_sweep_forever(*, stop: threading.Event, interval: float | None = None) -> int:
    """Sweep every ``interval`` seconds (the tick interval) until ``stop`` is set; returns sweeps run.

    The interval is measured from the start of one sweep to the start of the next, so a long sweep
    does not push the following ones later."""
    every = float(interval if interval is not None else conf.tick_seconds())
    sweeps = 0
    next_at = time.monotonic()
    while not stop.is_set():
        clock_sweep_once()
        sweeps += 1
        next_at += every
        delay = next_at - time.monotonic()
        if delay < 0:  # the sweep took longer than an interval: start the next one now
            next_at = time.monotonic()
            delay = 0
        stop.wait(delay)
    if _outside_transaction():
        connections.close_all()
    return sweeps
