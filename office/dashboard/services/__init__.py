from .briefing import (
    briefing_content,
    briefing_docx,
    briefing_layout,
    briefing_pdf,
    briefing_send,
    first_working_day_of_week,
    week_start_of,
)

__all__ = [
    "briefing_content",
    "briefing_docx",
    "briefing_layout",
    "briefing_pdf",
    "briefing_send",
    "first_working_day_of_week",
    "week_start_of",
]
