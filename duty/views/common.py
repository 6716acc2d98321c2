from functools import wraps

from django.contrib.auth.decorators import login_required

from office.errors import Invalid, TooLarge

from .. import access
from ..errors import DutyError

# What a page shows as a message on the form: the duty room's rules and rejected input (an upload's
# type or size). A refusal of access (Forbidden, NotFound) is not caught: it answers 403/404.
FORM_ERRORS = (DutyError, Invalid, TooLarge)


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
