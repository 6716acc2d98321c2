"""Tunable rules of the post risk review, each read when asked through ``office.conf.office_setting``."""

from office.conf import office_setting


def high_threshold() -> int:
    """A risk whose likelihood × impact reaches this is 高 (DOMAIN.md: ≥ 15)."""
    return office_setting("RISKS_HIGH_THRESHOLD", 15)


def medium_threshold() -> int:
    """… and this is 中 (8–14); below it 低 (≤ 7)."""
    return office_setting("RISKS_MEDIUM_THRESHOLD", 8)


def review_months() -> int:
    """A risk is reviewed every this many months …"""
    return office_setting("RISKS_REVIEW_MONTHS", 6)


def review_months_high() -> int:
    """… a 高 risk every this many."""
    return office_setting("RISKS_REVIEW_MONTHS_HIGH", 3)


def repeat_window_days() -> int:
    """An incident on a risk that already had one within this many days raises its likelihood by one."""
    return office_setting("RISKS_REPEAT_WINDOW_DAYS", 365)


def campaign_days() -> int:
    """The default time a review campaign gives (days from opening to its deadline)."""
    return office_setting("RISKS_CAMPAIGN_DAYS", 14)


# kind (or "kind.category" for a meeting incident's category) → "area:risk code": which risk an incident
# belongs to. The responsible person's own post is preferred among the risks of that area.
DEFAULT_INCIDENT_MAP = {
    "meeting_interruption": "meetings:av-failure",
    "meeting_interruption.notice": "meetings:notice-missed",
    "meeting_interruption.seating": "meetings:seating-error",
    "duty_late_report": "duty:late-report",
    "duty_missed_handover": "duty:handover-gap",
    "document_unreviewed": "documents:unreviewed-sign",
    "supervision_circular": "supervision:progress-slip",
}


def incident_map() -> dict[str, str]:
    return office_setting("RISKS_INCIDENT_MAP", dict(DEFAULT_INCIDENT_MAP))
