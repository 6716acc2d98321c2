"""Tunable rules of 办会, each read when asked through ``office.conf.office_setting``."""

from office.conf import office_setting


def seating_rule() -> str:
    """ "left" = 以左为上 (the party and government default), "right" = 以右为上."""
    rule = str(office_setting("MEETINGS_SEATING_RULE", "left")).strip().lower()
    return rule if rule in ("left", "right") else "left"


def receipt_hours_before() -> int:
    """Default receipt deadline of a notice: this many hours before the meeting starts (T−1 day)."""
    return int(office_setting("MEETINGS_RECEIPT_HOURS_BEFORE", 24))


def loud_hours() -> int:
    """A meeting starting within this many hours that is not ready is shown loud (red)."""
    return int(office_setting("MEETINGS_LOUD_HOURS", 2))


def followup_hours() -> int:
    """An equipment failure's follow-up task is due this many hours after it is recorded."""
    return int(office_setting("MEETINGS_FOLLOWUP_HOURS", 24))


def audience_seats_per_row() -> int:
    return int(office_setting("MEETINGS_AUDIENCE_SEATS_PER_ROW", 10))


def rostrum_per_row() -> int:
    """Seats of one rostrum row; more leaders go to a second row behind."""
    return int(office_setting("MEETINGS_ROSTRUM_PER_ROW", 15))
