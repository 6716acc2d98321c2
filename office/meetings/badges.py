"""The readiness badge of a meeting (已取消 / 就绪 / 未就绪, loud within the last hours): one wording for
the calendar, the dashboard's panel and any list (``{% meeting_badge m %}``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Meeting, MeetingStatus

BadgeKey = tuple[str, int]


def badge_key(m: Meeting) -> BadgeKey:
    if m.status == MeetingStatus.CANCELLED:
        return ("cancelled", 0)
    if m.is_ready:
        return ("ready", 0)
    return ("loud" if m.is_loud else "open", m.open_items)


def badge_for(key: BadgeKey) -> tuple[str, str]:
    """(css class, label) of a badge key, in the active language."""
    kind, n = key
    if kind == "cancelled":
        return ("text-bg-secondary", "✖ " + _("已取消"))
    if kind == "ready":
        return ("text-bg-success", "✔ " + _("就绪"))
    if kind == "loud":
        return ("text-bg-danger", "⚠ " + _("未就绪（%(n)s 项未完成），即将开会") % {"n": n})
    return ("text-bg-warning", "▲ " + _("未就绪（%(n)s 项）") % {"n": n})


def badge_maker():
    """A meeting → its badge's (class, label); each label is translated once per page, not per meeting
    (a month's calendar holds hundreds)."""
    labels: dict[BadgeKey, tuple[str, str]] = {}

    def badge(m: Meeting) -> tuple[str, str]:
        key = badge_key(m)
        if key not in labels:
            labels[key] = badge_for(key)
        return labels[key]

    return badge
