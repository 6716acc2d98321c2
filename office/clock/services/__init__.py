"""Every write of the clock. Split by concern: timers (schedule, cancel, retry), the engine (tick and
fast path) and escalation ladders. Import from here: ``from office.clock.services import timer_schedule``."""

from ..selectors import timers_for_subject
from .engine import TickResult, clock_tick, timer_fire
from .errors import ClockError
from .ladders import (
    LADDER_STEP_KIND,
    ladder_next_action,
    ladder_pause,
    ladder_plan,
    ladder_restart_from,
    ladder_resume,
    ladder_start,
    ladder_stop,
)
from .timers import TimerSpec, timer_cancel, timer_retry, timer_schedule, timers_schedule

__all__ = [
    "LADDER_STEP_KIND",
    "ClockError",
    "TickResult",
    "TimerSpec",
    "clock_tick",
    "ladder_next_action",
    "ladder_pause",
    "ladder_plan",
    "ladder_restart_from",
    "ladder_resume",
    "ladder_start",
    "ladder_stop",
    "timer_cancel",
    "timer_fire",
    "timer_retry",
    "timer_schedule",
    "timers_schedule",
    "timers_for_subject",
]
