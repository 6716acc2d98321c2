"""Who may see which units of the organisation: the only place of that rule."""

from django.db.models import QuerySet

from .models import Unit
from .roles import is_internal
from .types import Actor


def unit_scope(*, actor: Actor, qs: QuerySet[Unit]) -> QuerySet[Unit]:
    """Office staff see every unit; an external unit (its users or its API key) only itself."""
    if is_internal(actor):
        return qs
    from .selectors import unit_of_user

    own = unit_of_user(actor)
    return qs.filter(pk=own.pk) if own else qs.none()
