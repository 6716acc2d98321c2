"""Who acts: the type that access modules, services and selectors give their ``actor`` / ``user``."""

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from .principals import UnitPrincipal

# A signed-in account, a unit's API key, an anonymous visitor (a view handing on request.user), or None
# for the system (the clock, a management command).
Actor: TypeAlias = "User | UnitPrincipal | AnonymousUser | None"
