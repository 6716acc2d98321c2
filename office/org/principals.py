"""Who stands behind an API request made with a unit's key."""

from typing import Any

from django.utils.functional import cached_property


class UnitPrincipal:
    """The caller of an API request authenticated with a ``UnitAPIKey``.

    It behaves like a signed-in external-unit user for scoping (``unit_of_user``, ``has_role``) but
    holds no model permissions and is never written as a user into foreign keys.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, api_key: Any) -> None:
        self.api_key = api_key
        self.unit = api_key.unit
        self._office_roles: frozenset[str] = frozenset({"external_unit"})

    def __str__(self) -> str:
        return f"API：{self.unit.name}（{self.api_key.name}）"

    @cached_property
    def staff(self) -> None:
        return None

    def get_username(self) -> str:
        return f"api-key:{self.api_key.prefix}"

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def has_perms(self, perms: Any, obj: Any = None) -> bool:
        return False
