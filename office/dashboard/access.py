"""Who may see the dashboard, "my work" and the weekly briefing: the only place of these rules.

- The dashboard (领导驾驶舱) is for the director and the deputy directors (``LEADERSHIP_ROLES``); each
  panel then asks its own app's access functions, so a panel never shows what its app would hide.
- "My work" (待办 / 待阅 / 已办) is every signed-in person's own list: office staff and the users of
  external units alike; an API key and a stranger have none.
- The weekly briefing (每周工作简报) is for the director and the deputies.
"""

from django.utils.translation import gettext as _

from office.errors import forbidden
from office.org.principals import UnitPrincipal
from office.org.roles import LEADERSHIP_ROLES, has_role
from office.org.types import Actor


def _person(actor: Actor) -> bool:
    return (
        actor is not None
        and not isinstance(actor, UnitPrincipal)
        and bool(getattr(actor, "is_authenticated", False))
    )


def can_view_dashboard(actor: Actor) -> bool:
    return _person(actor) and has_role(actor, *LEADERSHIP_ROLES)


def dashboard_access(*, actor: Actor) -> None:
    if not can_view_dashboard(actor):
        raise forbidden(_("领导驾驶舱仅供主任、副主任使用。"))


def can_view_my_work(actor: Actor) -> bool:
    return _person(actor)


def my_work_access(*, actor: Actor) -> None:
    if not can_view_my_work(actor):
        raise forbidden(_("请先登录。"))


def can_read_briefing(actor: Actor) -> bool:
    return can_view_dashboard(actor)


def briefing_access(*, actor: Actor) -> None:
    """The system (None) builds and sends the Monday briefing; people need a leader's role."""
    if actor is None:
        return
    if not can_read_briefing(actor):
        raise forbidden(_("每周工作简报仅供主任、副主任查阅。"))
