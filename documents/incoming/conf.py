"""Tunable rules of incoming documents (收文), read through ``office.conf.office_setting``.

``DOCUMENTS_INCOMING_CLERK_UNITS`` (the clerks' sections) is read in ``documents.incoming.access``."""

from office.conf import office_setting


def serial_prefix() -> str:
    """The incoming register's prefix: 收 gives 收〔2026〕12号."""
    return str(office_setting("DOCUMENTS_INCOMING_PREFIX", "收"))


def default_due_working_days() -> int:
    """The handling limit when the assignment names no deadline (working days)."""
    return int(office_setting("DOCUMENTS_INCOMING_DUE_WORKING_DAYS", 5))


def escalate_after_hours() -> int:
    """How long past the deadline the leader who instructed (or the director) is told."""
    return int(office_setting("DOCUMENTS_INCOMING_ESCALATE_HOURS", 24))


def urge_limit_per_day() -> int:
    """催阅: at most this many reminders a day to one reader, so nobody is spammed."""
    return int(office_setting("DOCUMENTS_INCOMING_URGE_PER_DAY", 3))
