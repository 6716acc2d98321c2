from django import template
from django.utils.html import format_html

from ..badges import badge_for, badge_key

register = template.Library()


@register.simple_tag
def meeting_badge(m) -> str:
    """``<span class="badge …">…</span>``: the meeting's readiness badge (office/meetings/badges.py)."""
    css, label = badge_for(badge_key(m))
    return format_html('<span class="badge {}">{}</span>', css, label)
