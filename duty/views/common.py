from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from office.org.roles import has_role

DUTY_ROLES = ("duty_officer", "duty_leader", "director", "deputy_director")
EDITOR_ROLES = ("duty_leader", "director", "deputy_director")


def duty_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_role(request.user, *DUTY_ROLES):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
