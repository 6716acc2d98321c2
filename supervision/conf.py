"""Tunable rules of supervision (DOMAIN.md defaults). Override any of them in settings or the environment (same name)."""

from office.conf import office_setting


def _get(name, default):
    return office_setting(f"SUPERVISION_{name}", default)


def yellow_days() -> int:
    """Yellow light when a milestone or the due date is within this many days."""
    return _get("YELLOW_DAYS", 3)


def ack_working_days() -> int:
    """A unit acknowledges an issued item within this many working days."""
    return _get("ACK_WORKING_DAYS", 1)


def default_due_working_days() -> int:
    """No deadline given: 15 days (counted as working days here)."""
    return _get("DEFAULT_DUE_WORKING_DAYS", 15)


def step_working_days() -> dict[str, int]:
    """New deadline set by each ladder step for the unit to catch up."""
    return _get("STEP_WORKING_DAYS", {"communication": 3, "notice": 3, "circular": 5})


def communication_log_working_days() -> int:
    """The commissioner logs the call or visit within this many working days."""
    return _get("COMMUNICATION_LOG_WORKING_DAYS", 1)


def urgent_start_step() -> str:
    """Urgent items enter the ladder here on their first miss."""
    return _get("URGENT_START_STEP", "notice")


def notice_needs_sign_off() -> bool:
    """False (the seed): the notice goes out at once. True: it waits for the director's sign-off."""
    return _get("NOTICE_NEEDS_SIGN_OFF", False)


def number_prefix() -> str:
    return _get("NUMBER_PREFIX", "督")


def notice_prefix() -> str:
    return _get("NOTICE_PREFIX", "督办通")


def circular_prefix() -> str:
    return _get("CIRCULAR_PREFIX", "督办通报")


def issuing_body() -> str:
    return _get("ISSUING_BODY", "市委市政府督办室")
