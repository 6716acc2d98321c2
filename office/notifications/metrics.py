"""Prometheus metrics of delivery, registered in the default registry (the clock module serves
/metrics). They are read from the database, not counted in memory: deliveries happen in Celery
workers, while /metrics is served by the web processes."""

import logging

from prometheus_client import REGISTRY
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

CHANNELS = ("email", "webhook")


class NotificationCollector(Collector):
    def collect(self):
        from . import selectors

        try:
            stats = selectors.delivery_stats()
        except Exception:  # no database (e.g. during start-up): report nothing rather than fail the scrape
            logger.warning("notification metrics unavailable", exc_info=True)
            return
        sent = CounterMetricFamily(
            "office_notifications_sent",
            "E-mail and robot messages delivered, by channel.",
            labels=["channel"],
        )
        failed = CounterMetricFamily(
            "office_notifications_failed",
            "Failed delivery attempts (each attempt, retried or final), by channel.",
            labels=["channel"],
        )
        gave_up = GaugeMetricFamily(
            "office_notifications_gave_up",
            "Notifications marked failed after their last attempt (until an admin re-sends them).",
            labels=["channel"],
        )
        waiting = GaugeMetricFamily(
            "office_notifications_waiting", "Deliveries pending or in flight, by channel.", labels=["channel"]
        )
        for channel in CHANNELS:
            sent.add_metric([channel], stats["sent"].get(channel, 0))
            failed.add_metric([channel], stats["failed"].get(channel, 0))
            gave_up.add_metric([channel], stats["gave_up"].get(channel, 0))
            waiting.add_metric([channel], stats["waiting"].get(channel, 0))
        yield sent
        yield failed
        yield gave_up
        yield waiting
        yield GaugeMetricFamily(
            "office_notifications_oldest_due_seconds",
            "How long the oldest due delivery has been waiting.",
            value=stats["oldest_due_seconds"],
        )

    def describe(self):
        # Describing without collecting keeps registration free of database access.
        return []


_collector = NotificationCollector()


def register() -> None:
    try:
        REGISTRY.register(_collector)
    except ValueError:  # already registered (ready() ran twice)
        pass
