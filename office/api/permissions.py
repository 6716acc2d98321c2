"""The one way an API view admits a caller: a DRF permission built from an app's access predicate (the
same function the service and the page ask). No role list lives here."""

from collections.abc import Callable

from rest_framework.permissions import BasePermission

from office.errors import forbidden


def access_permission(predicate: Callable[[object], bool], message) -> type[BasePermission]:
    """A permission class admitting the signed-in callers ``predicate`` admits; others get the office's
    403 (code ``forbidden``) with ``message``. A caller not signed in is left to DRF (401)."""

    class _AccessPermission(BasePermission):
        def has_permission(self, request, view):
            user = request.user
            if not user or not user.is_authenticated:
                return False
            if not predicate(user):
                raise forbidden(str(message))
            return True

    _AccessPermission.__name__ = f"Access_{getattr(predicate, '__name__', 'predicate')}"
    return _AccessPermission
