from functools import wraps

from django.contrib.auth.decorators import login_required

from .. import access


def duty_required(view):
    """The duty room's pages: asks the same predicate as the navigation and the services."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        access.require_duty_room(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
