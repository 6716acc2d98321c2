"""DRF permission classes that ask office.org.roles — the one way to check permissions."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from office.org.roles import has_role, is_internal


class IsOfficeStaff(BasePermission):
    message = _("仅限办公室工作人员。")

    def has_permission(self, request, view):
        return is_internal(request.user)


def role_required(*roles: str) -> type[BasePermission]:
    """A permission class admitting users holding any of ``roles``."""

    class _HasRole(BasePermission):
        message = _("您没有执行此操作的权限。")

        def has_permission(self, request, view):
            return has_role(request.user, *roles)

    _HasRole.__name__ = "HasRole_" + "_".join(roles)
    return _HasRole
