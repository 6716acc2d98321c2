"""Times as the office reads them, in Chinese whatever the server's locale does with ``timesince``."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value) -> str:
    """ "13 秒前", "5 分钟前", "2 小时前", "3 天前" (an empty string for no time)."""
    if not value:
        return ""
    seconds = max(0, int((timezone.now() - value).total_seconds()))
    if seconds < 60:
        return _("%(n)s 秒前") % {"n": seconds}
    if seconds < 3600:
        return _("%(n)s 分钟前") % {"n": seconds // 60}
    if seconds < 86400:
        return _("%(n)s 小时前") % {"n": seconds // 3600}
    return _("%(n)s 天前") % {"n": seconds // 86400}
