from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

register = template.Library()

_LIGHT_LABELS = {"green": gettext_noop("绿灯"), "yellow": gettext_noop("黄灯"), "red": gettext_noop("红灯")}


@register.simple_tag
def light(value):
    """The traffic light (the value comes from the database annotation)."""
    if value not in _LIGHT_LABELS:
        return ""
    label = _(_LIGHT_LABELS[value])
    # Colour, shape (● ▲ ■) and the word itself: nothing rests on colour or on a hover tooltip.
    return format_html(
        '<span class="light light-{}" data-light="{}"><span class="light-shape" aria-hidden="true"></span>'
        '<span class="light-text">{}</span></span>',
        value,
        value,
        label,
    )


@register.simple_tag
def countdown(due_at, status=""):
    """A badge: days left, due today, or days overdue."""
    if not due_at or status in ("closed", "cancelled", "draft"):
        return ""
    delta = timezone.localtime(due_at).date() - timezone.localdate()
    days = delta.days
    if days < 0:
        return format_html('<span class="badge bg-danger">{}</span>', _("逾期 %(n)s 天") % {"n": -days})
    if due_at <= timezone.now():
        # Its day, but its hour (17:30) has passed: overdue, never "due today" beside "逾期未反馈".
        return format_html('<span class="badge bg-danger">{}</span>', _("已逾期"))
    if days == 0:
        return format_html('<span class="badge bg-warning text-dark">{}</span>', _("今天到期"))
    css = "bg-warning text-dark" if days <= 3 else "bg-secondary"
    return format_html('<span class="badge {}">{}</span>', css, _("剩 %(n)s 天") % {"n": days})


@register.simple_tag
def options(choices, selected=""):
    """``<option>``s for (value, label) pairs in one pass (the unit list has hundreds of entries)."""
    selected = str(selected or "")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((v, mark_safe(" selected") if str(v) == selected else "", label) for v, label in choices),
    )
