"""The authorization matrix's rows for the dashboard app (see matrix.py for how to read a row).

The dashboard and the weekly briefing are for the director and the deputies (LEADERSHIP_ROLES); "my
work" is every signed-in person's own list, a unit's users included. Every view is sign-in first, then
GET only."""

from .matrix import Case, page_get, page_out

LEADERS_ONLY = page_get(page_out(SIGNED_IN=403, LEADERS=200))
EVERYONE = page_get(page_out(SIGNED_IN=200))

ROWS: dict[str, list[Case]] = {
    "dashboard:home": [Case(expect=LEADERS_ONLY)],
    "dashboard:live": [Case(expect=LEADERS_ONLY)],
    "dashboard:my-work": [Case(expect=EVERYONE)],
    "dashboard:my-work-live": [Case(expect=EVERYONE)],
    "dashboard:briefing": [Case(expect=LEADERS_ONLY)],
    "dashboard:briefing-docx": [Case(expect=LEADERS_ONLY)],
    "dashboard:briefing-pdf": [Case(expect=LEADERS_ONLY)],
}
