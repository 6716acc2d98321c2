"""Prometheus metrics of the clock, read from the database at scrape time so that the web process
serving /metrics reports what the workers did (their in-process counters would be invisible here)."""

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from . import selectors


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
        failed_notifications = _failed_notifications()
        if failed_notifications is not None:
            yield GaugeMetricFamily(
                "office_notifications_failed_current",
                "Notifications whose delivery was given up (all processes, from the database).",
                value=failed_notifications,
            )


def _failed_notifications() -> int | None:
    try:
        from office.notifications.models import Notification, Status
    except ImportError:
        return None
    return Notification.objects.filter(status=Status.FAILED).count()
