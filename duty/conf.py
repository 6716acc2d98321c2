"""Tunable rules of the duty room. Every number is a setting with a default here, overridable in
Django settings (``OFFICE_DUTY_...``) or the environment variable of the same name."""

from office.conf import office_setting

# Urgent-report limits in minutes, per level and per kind (phone report upward, written report).
DEFAULT_LIMITS = {
    "especially_major": {"phone": 30, "written": 60},
    "major": {"phone": 30, "written": 60},
    "large": {"phone": 60, "written": 120},
    "general": {"phone": 120, "written": 360},
}


def report_limit_minutes(level: str, kind: str) -> float:
    """``OFFICE_DUTY_LIMIT_<LEVEL>_<KIND>`` (minutes, may be fractional for tests)."""
    return float(
        office_setting(
            f"OFFICE_DUTY_LIMIT_{level.upper()}_{kind.upper()}", float(DEFAULT_LIMITS[level][kind])
        )
    )


def warning_lead_minutes() -> float:
    """How long before a limit the main officer is warned."""
    return float(office_setting("OFFICE_DUTY_WARNING_LEAD_MINUTES", 5.0))


def director_after_minutes() -> float:
    """How long after a passed limit, still unreported, the director is alerted."""
    return float(office_setting("OFFICE_DUTY_DIRECTOR_AFTER_MINUTES", 30.0))


def handover_ack_minutes() -> float:
    """A handover not acknowledged this long after the shift start alerts the duty leader."""
    return float(office_setting("OFFICE_DUTY_HANDOVER_ACK_MINUTES", 15.0))


def handover_director_minutes() -> float:
    """Still not acknowledged this long after the shift start: the director."""
    return float(office_setting("OFFICE_DUTY_HANDOVER_DIRECTOR_MINUTES", 30.0))


def phone_ordinary_minutes() -> float:
    """Ordinary phone information must be handled within this time (2 hours)."""
    return float(office_setting("OFFICE_DUTY_PHONE_ORDINARY_MINUTES", 120.0))


def phone_important_minutes() -> float:
    """Important phone information: the duty leader is told at once; unhandled after this, the director."""
    return float(office_setting("OFFICE_DUTY_PHONE_IMPORTANT_MINUTES", 15.0))


def gap_horizon_days() -> int:
    return int(office_setting("OFFICE_DUTY_GAP_HORIZON_DAYS", 30))


def shift_pattern() -> list[tuple[str, str]]:
    """Shift starts and ends of a day; the default is a day and a night shift covering 24 hours."""
    raw = office_setting("OFFICE_DUTY_SHIFT_PATTERN", "08:30-17:30,17:30-08:30")
    if isinstance(raw, list | tuple):
        return [tuple(p) for p in raw]
    return [tuple(part.strip().split("-")) for part in raw.split(",") if part.strip()]


def board_poll_seconds() -> int:
    return int(office_setting("OFFICE_DUTY_BOARD_POLL_SECONDS", 5))
