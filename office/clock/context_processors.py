"""``clock_alarm``: the red banner on every page while the clock is stopped (duty room and director)."""

from .access import can_see_clock_alarm
from .selectors import clock_stopped_seconds


def clock_alarm(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_see_clock_alarm(user):
        return {}
    return {"clock_stopped_seconds": clock_stopped_seconds()}
