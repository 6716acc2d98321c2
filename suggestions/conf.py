"""Tunable rules of the suggestion campaigns, each read when asked through ``office.conf.office_setting``."""

from datetime import time

from django.conf import settings

from office.conf import office_setting


def _time(raw: str, default: str) -> time:
    hours, minutes = (int(p) for p in str(raw or default).split(":")[:2])
    return time(hours, minutes)


def deadline_time() -> time:
    """ "下周三以前": the deadline's time of day."""
    return _time(office_setting("SUGGESTIONS_DEADLINE_TIME", "18:00"), "18:00")


def deadline_weekday() -> int:
    """The weekday of the default deadline in the week after the campaign opens (0 Monday … 2 Wednesday)."""
    return office_setting("SUGGESTIONS_DEADLINE_WEEKDAY", 2)


def reminder_time() -> time:
    """The reminders (2 days and 1 day before, and the deadline's morning) go out at this time."""
    return _time(office_setting("SUGGESTIONS_REMINDER_TIME", "09:00"), "09:00")


def min_per_person() -> int:
    return office_setting("SUGGESTIONS_MIN_PER_PERSON", 2)


def reply_working_days() -> int:
    """Default reply deadline of an assigned item, in working days."""
    return office_setting("SUGGESTIONS_REPLY_WORKING_DAYS", 10)


def min_reply_chars() -> int:
    """A reply (and a D's or a refusal's reason) needs at least this many characters of substance."""
    return office_setting("SUGGESTIONS_MIN_REPLY_CHARS", 10)


def token_key() -> bytes:
    """The server secret of the blind author tokens. Defaults to one derived from SECRET_KEY; set its own
    value to keep it apart from the session secret (rotating it breaks the link of open campaigns)."""
    raw = office_setting("SUGGESTIONS_TOKEN_KEY", "") or f"suggestions-token:{settings.SECRET_KEY}"
    return str(raw).encode()
