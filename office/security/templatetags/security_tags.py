from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import conf

register = template.Library()


@register.simple_tag(takes_context=True)
def session_script(context):
    """The idle-session warning (static/security/session.js) for a signed-in person, when sessions end."""
    request = context.get("request")
    user = getattr(request, "user", None)
    idle = conf.session_idle_minutes() * 60
    if user is None or not user.is_authenticated or not idle:
        return ""
    return format_html(
        '<script src="{}" defer data-idle="{}" data-warn="{}" data-message="{}" data-ended="{}" '
        'data-login="{}" data-stay="{}" data-relogin="{}"></script>',
        static("security/session.js"),
        idle,
        conf.session_warning_seconds(),
        _("您已较长时间未操作，会话将在 1 分钟后结束。如需继续，请点击页面任意处或刷新页面。"),
        _("会话已超时结束，请重新登录。"),
        reverse("login"),
        _("继续使用"),
        _("重新登录"),
    )
