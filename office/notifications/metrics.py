"""Prometheus counters (default registry; the clock module serves /metrics)."""

from prometheus_client import Counter

SENT = Counter("office_notifications_sent", "Notifications delivered, by channel.", ["channel"])
FAILED = Counter(
    "office_notifications_failed",
    "Failed notification delivery attempts (each failed attempt, retried or final), by channel.",
    ["channel"],
)
GAVE_UP = Counter(
    "office_notifications_gave_up",
    "Notifications marked failed after their last allowed attempt, by channel.",
    ["channel"],
)
