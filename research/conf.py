"""Tunable rules of 政研, each read when asked through ``office.conf.office_setting``."""

from office.conf import office_setting


def section_code() -> str:
    """The code of the 政策研究室 unit: its deputies in charge receive the milestones' escalations."""
    return office_setting("RESEARCH_SECTION_CODE", "zhengyan")


def milestone_offsets() -> dict[str, int]:
    """Default due dates of a new topic's milestones, in days after its start: outline, field research,
    first draft, final."""
    return {
        "outline": int(office_setting("RESEARCH_OUTLINE_DAYS", 30)),
        "field": int(office_setting("RESEARCH_FIELD_DAYS", 90)),
        "draft": int(office_setting("RESEARCH_DRAFT_DAYS", 150)),
        "final": int(office_setting("RESEARCH_FINAL_DAYS", 180)),
    }


def call_remind_days() -> int:
    """The call's reminder goes out this many days before its deadline."""
    return int(office_setting("RESEARCH_CALL_REMIND_DAYS", 3))


def call_default_days() -> int:
    """A new call's default deadline, in days after it opens."""
    return int(office_setting("RESEARCH_CALL_DAYS", 30))
