"""Tunable rules of notification delivery. Each can be overridden in settings (``OFFICE_NOTIFY_*``)."""

from office.conf import office_setting


def max_attempts() -> int:
    """Attempts per delivery before it is marked failed (an admin may grant another round)."""
    return int(office_setting("OFFICE_NOTIFY_MAX_ATTEMPTS", 6))


def backoff_seconds(attempt: int) -> int:
    """Wait after the ``attempt``-th failed attempt: 30 s, 60 s, 120 s ... capped at one hour."""
    base = int(office_setting("OFFICE_NOTIFY_BACKOFF_BASE_SECONDS", 30))
    cap = int(office_setting("OFFICE_NOTIFY_BACKOFF_MAX_SECONDS", 3600))
    return min(cap, base * 2 ** max(0, attempt - 1))


def lease_seconds() -> int:
    """How long a claimed ("sending") delivery is left alone before the sweep assumes its worker died."""
    return int(office_setting("OFFICE_NOTIFY_LEASE_SECONDS", 300))


def sweep_seconds() -> int:
    """How often beat runs the sweep that re-sends due deliveries whose task was lost."""
    return int(office_setting("OFFICE_NOTIFY_SWEEP_SECONDS", 60))


def sweep_grace_seconds() -> int:
    """The sweep only re-sends rows overdue by this much: the row's own (countdown) task normally comes
    first, and re-sending sooner would only queue duplicates behind it."""
    return int(office_setting("OFFICE_NOTIFY_SWEEP_GRACE_SECONDS", 60))


def sweep_batch() -> int:
    return int(office_setting("OFFICE_NOTIFY_SWEEP_BATCH", 200))


def webhook_timeout() -> float:
    return float(office_setting("OFFICE_NOTIFY_WEBHOOK_TIMEOUT_SECONDS", 5))


def email_timeout() -> float:
    return float(office_setting("OFFICE_NOTIFY_EMAIL_TIMEOUT_SECONDS", 10))


def webhook_allowed_hosts() -> list[str]:
    """Hosts a robot webhook may point at ("*" allows any): stops the server being used to reach
    arbitrary intranet addresses through a personal robot URL."""
    return list(office_setting("OFFICE_NOTIFY_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]))


def site_url() -> str:
    return str(office_setting("OFFICE_SITE_URL", "") or "").rstrip("/")


def live_poll_seconds() -> float:
    """How often every signed-in page asks the live channel for its state (unread count and alarms).
    Four seconds keeps the promise "an alarm is on screen within 5 s of its moment"."""
    return float(office_setting("OFFICE_LIVE_POLL_SECONDS", 4))


def alarm_window_hours() -> float:
    """An unread urgent message is an alarm (a banner on every page) for this long after it was sent;
    older ones wait in the inbox like any other unread message."""
    return float(office_setting("OFFICE_ALARM_WINDOW_HOURS", 24))


def alarm_banner_limit() -> int:
    """How many alarms the banner lists by name (the rest are counted)."""
    return int(office_setting("OFFICE_ALARM_BANNER_LIMIT", 3))
