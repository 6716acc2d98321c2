"""Tunable rules of the dashboard, each read when asked through ``office.conf.office_setting``."""

from office.conf import office_setting


def poll_seconds() -> int:
    """How often the dashboard and the my-work page fetch their one live fragment."""
    return max(5, int(office_setting("DASHBOARD_POLL_SECONDS", 15)))


def week_working_days() -> int:
    """The "this week" strip: what is due within this many working days."""
    return int(office_setting("DASHBOARD_WEEK_WORKING_DAYS", 7))


def urgent_minutes() -> int:
    """A deadline this close (or past) makes its row loud."""
    return int(office_setting("DASHBOARD_URGENT_MINUTES", 30))


def recent_actions() -> int:
    """How many of a person's own recent actions (已办) the my-work page lists."""
    return int(office_setting("DASHBOARD_RECENT_ACTIONS", 15))


def briefing_hour() -> int:
    """The weekly briefing goes out at this hour on the first working day of the week."""
    return int(office_setting("DASHBOARD_BRIEFING_HOUR", 8))


def briefing_enabled() -> bool:
    return bool(office_setting("DASHBOARD_BRIEFING_ENABLED", True))


def ranking_cache_seconds() -> int:
    """The units' on-time ranking reads every item ever issued: shared for this long (0: never)."""
    return int(office_setting("DASHBOARD_RANKING_CACHE_SECONDS", 300))


def live_cache_seconds() -> int:
    """How long one viewer's rendered dashboard is kept for the refreshes that find nothing changed
    (its key names the minute as well, so no copy is served past its minute); 0 reads every time."""
    return int(office_setting("DASHBOARD_LIVE_CACHE_SECONDS", 120))
