"""Prometheus metrics of the clock, read from the database at scrape time so that the web process
serving /metrics reports what the workers did (their in-process counters would be invisible here)."""

from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from . import selectors

# Gauges an app adds to /metrics (registered in its AppConfig.ready()): name → (help, value function).
_APP_GAUGES: dict[str, tuple[str, Callable[[], float]]] = {}


def register_gauge(name: str, help_text: str, value: Callable[[], float]) -> None:
    """An app's gauge, read from the database at scrape time (e.g. the duty room's open urgent reports)."""
    _APP_GAUGES[name] = (help_text, value)


def _queue_depths() -> dict[str, int] | None:
    """Messages waiting in each Celery queue (Redis list length, or the filesystem broker's files)."""
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    queues = ("critical", "default")
    try:
        if url.startswith("redis"):
            import redis

            client = redis.Redis.from_url(url, socket_timeout=2)
            return {q: int(client.llen(q)) for q in queues}
        if url.startswith("filesystem"):
            from pathlib import Path

            folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", ""))
            if not folder.is_dir():
                return None
            names = [p.name for p in folder.iterdir()]
            return {q: sum(1 for n in names if n.endswith(f".{q}.msg")) for q in queues}
    except Exception:
        return None
    return None


class ClockCollector(Collector):
    def collect(self):
        state = selectors.clock_state()
        due = selectors.due_summary()
        counts = selectors.timer_counts()
        yield GaugeMetricFamily("office_clock_timers_due", "Timers due and not fired yet.", value=due["due"])
        yield GaugeMetricFamily(
            "office_clock_oldest_due_lag_seconds",
            "How late the oldest due, unfired timer is.",
            value=due["lag_seconds"],
        )
        yield GaugeMetricFamily(
            "office_clock_timers_overdue",
            "Timers due more than one tick interval ago and not fired yet: the clock is behind its bound"
            " (should stay 0; timers waiting for a retry are not counted).",
            value=_overdue(),
        )
        yield GaugeMetricFamily(
            "office_clock_last_tick_age_seconds",
            "Seconds since the last sweep finished (the sweeper alive: under one tick interval; -1 before"
            " the first).",
            value=(timezone.now() - state.last_tick_at).total_seconds() if state.last_tick_at else -1,
        )
        yield GaugeMetricFamily(
            "office_clock_timers_waiting",
            "Timers scheduled and not fired yet (due or not).",
            value=counts["waiting"],
        )
        yield GaugeMetricFamily(
            "office_clock_timers_retrying",
            "Timers whose handler raised and that will be retried.",
            value=counts["retrying"],
        )
        yield GaugeMetricFamily(
            "office_clock_timers_failed", "Timers given up after their last attempt.", value=counts["failed"]
        )
        yield GaugeMetricFamily(
            "office_clock_tick_duration_seconds",
            "Duration of the last tick.",
            value=state.last_tick_duration_ms / 1000,
        )
        yield GaugeMetricFamily(
            "office_clock_last_tick_timestamp_seconds",
            "Unix time of the last tick (0 before the first).",
            value=state.last_tick_at.timestamp() if state.last_tick_at else 0,
        )
        yield CounterMetricFamily("office_clock_ticks", "Ticks run.", value=state.ticks_total)
        yield CounterMetricFamily("office_clock_timers_fired", "Timers fired.", value=state.fired_total)
        yield CounterMetricFamily(
            "office_clock_timer_failures",
            "Handler failures (each failed attempt).",
            value=state.failures_total,
        )
        for name, (help_text, value) in sorted(_APP_GAUGES.items()):
            try:
                yield GaugeMetricFamily(name, help_text, value=float(value()))
            except Exception:  # one app's gauge failing must not take the others down
                continue
        depths = _queue_depths()
        if depths is not None:
            family = GaugeMetricFamily(
                "office_broker_queue_depth", "Messages waiting in each Celery queue.", labels=["queue"]
            )
            for queue, depth in depths.items():
                family.add_metric([queue], depth)
            yield family
        failed_notifications = _failed_notifications()
        if failed_notifications is not None:
            yield GaugeMetricFamily(
                "office_notifications_failed_current",
                "Notifications whose delivery was given up (all processes, from the database).",
                value=failed_notifications,
            )


def _overdue() -> int:
    """Due more than one tick interval ago, never attempted (or retrying and due again), not fired."""
    from datetime import timedelta

    from .conf import tick_seconds
    from .models import PENDING_Q, Timer

    cutoff = timezone.now() - timedelta(seconds=tick_seconds())
    return (
        Timer.objects.filter(PENDING_Q, due_at__lt=cutoff)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=cutoff))
        .count()
    )


def _failed_notifications() -> int | None:
    try:
        from office.notifications.models import Notification, Status
    except ImportError:
        return None
    return Notification.objects.filter(status=Status.FAILED).count()
