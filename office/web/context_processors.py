from django.conf import settings

from office.notifications.conf import live_poll_seconds

from .display import large_text_for
from .navigation import mark_active, navigation_for


def office(request):
    user = getattr(request, "user", None)
    data = {"OFFICE_NAME": settings.OFFICE_NAME}
    if user is not None and user.is_authenticated:
        data["nav_items"] = mark_active(navigation_for(user), request.path)
        data["large_text"] = large_text_for(request)
        data["LIVE_POLL_SECONDS"] = live_poll_seconds()
    return data
