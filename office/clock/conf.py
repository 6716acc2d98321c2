"""The clock's tunables: Django settings first, then the environment, then these defaults."""

from datetime import timedelta

from office.conf import office_setting


def tick_seconds() -> int:
    """How often the sweeper (manage.py clock_sweeper) sweeps (OFFICE_CLOCK_TICK_SECONDS, default 15)."""
    return max(1, int(office_setting("OFFICE_CLOCK_TICK_SECONDS", 15)))


def poll_seconds() -> float:
    """How often the sweeper looks up the next due time between ticks (OFFICE_CLOCK_POLL_SECONDS, default 1):
    a timer falls due and is fired within this long, even with its fast-path task lost."""
    return max(0.1, float(office_setting("OFFICE_CLOCK_POLL_SECONDS", 1)))


def batch_size() -> int:
    """Timers claimed per transaction by a sweep (OFFICE_CLOCK_BATCH_SIZE, default 25): small, so one slow
    handler holds back at most its own batch, which commits on its own."""
    return max(1, int(office_setting("OFFICE_CLOCK_BATCH_SIZE", 25)))


def fast_path_seconds() -> int:
    """A timer due within this many seconds also gets a countdown task (OFFICE_CLOCK_FAST_PATH_SECONDS)."""
    return max(0, int(office_setting("OFFICE_CLOCK_FAST_PATH_SECONDS", 300)))


def max_attempts() -> int:
    """After this many failed attempts a timer is marked failed and shown on the clock page."""
    return max(1, int(office_setting("OFFICE_CLOCK_MAX_ATTEMPTS", 8)))


def retry_base_seconds() -> int:
    """First retry delay; doubles per attempt, at most an hour (OFFICE_CLOCK_RETRY_BASE_SECONDS)."""
    return max(1, int(office_setting("OFFICE_CLOCK_RETRY_BASE_SECONDS", 30)))


def tick_fanout() -> int:
    """Extra drain tasks a tick sends when it finds more than a batch due, so every worker helps."""
    return max(0, int(office_setting("OFFICE_CLOCK_TICK_FANOUT", 3)))


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(retry_base_seconds() * 2 ** max(0, attempts - 1), 3600))


def tick_budget_seconds() -> float:
    """A tick stops claiming new batches after this long; the next tick (or a drain task) goes on."""
    return float(max(tick_seconds() * 2, 20))


def stale_after() -> timedelta:
    """/readyz reports the clock unhealthy when no tick ran for three intervals."""
    return timedelta(seconds=3 * tick_seconds())


def metrics_token() -> str:
    """When set, /metrics requires ``Authorization: Bearer <token>`` (OFFICE_METRICS_TOKEN)."""
    return str(office_setting("OFFICE_METRICS_TOKEN", "") or "")
