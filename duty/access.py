"""Who may do what in the duty room (值班): the only place of these rules.

Services call the ``*_access_for_action`` functions at their top; selectors scope lists with
``*_scope``; views, the API, templates (``can`` flags) and the navigation ask the same predicates.
Role sets come from ``office.org.roles`` only.

Urgent reports are need-to-know: the duty room (and the office's leadership) sees every report, an
external unit (a liaison's account or the unit's API key) only the reports its unit sent; anyone else
is told the report does not exist (404). Everything else of the duty room (roster, shifts, handover,
logs, phone records, swaps, statistics) is the duty room's own business.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from office.errors import Forbidden, NotFound, forbidden, not_found
from office.org.models import Role
from office.org.roles import (
    DUTY_EDITOR_ROLES,
    DUTY_REPORTER_ROLES,
    DUTY_ROOM_ROLES,
    has_role,
    is_internal,
)
from office.org.selectors import unit_of_user
from office.org.types import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .models import Handover, PhoneRecord, Roster, Shift, SwapRequest, UrgentReport

REPORT_ACTIONS = ("view", "update", "upward", "change_level", "docx", "attachment")
# What an external unit may do with its own unit's reports; every other action is the duty room's.
EXTERNAL_REPORT_ACTIONS = frozenset({"view", "update", "attachment"})


def _pk(actor: Actor) -> int | None:
    """The user id of a person; None for an API key, an anonymous visitor or the system."""
    return actor.pk if actor is not None else None


# --- the duty room as a whole ---------------------------------------------------------------------
def can_view_duty_room(actor: Actor) -> bool:
    """The duty room's pages: board, reports, roster, shifts, handovers, phone records, swaps, stats."""
    return has_role(actor, *DUTY_ROOM_ROLES)


def can_edit_roster(actor: Actor) -> bool:
    """Draw up, edit, import and publish the monthly roster; decide any swap."""
    return has_role(actor, *DUTY_EDITOR_ROLES)


def require_duty_room(actor: Actor) -> User:
    """The person doing the duty room's work (their name goes on the record): never an API key."""
    from django.contrib.auth.models import User

    if not isinstance(actor, User) or not can_view_duty_room(actor):
        raise forbidden(_("只有值班室人员和办公室领导可以使用值班功能。"))
    return actor


def duty_person(actor: Actor) -> User:
    """``actor`` as the user whose name a duty-room record carries (after an access check)."""
    return require_duty_room(actor)


def require_roster_editor(actor: Actor) -> User:
    user = require_duty_room(actor)
    if not can_edit_roster(user):
        raise forbidden(_("只有带班领导或办公室领导可以编排值班表。"))
    return user


# --- urgent reports -------------------------------------------------------------------------------
def _external_unit(actor: Actor):
    """The unit of an external actor (liaison or API key), None for office staff and strangers."""
    if actor is None or not actor.is_authenticated or is_internal(actor):
        return None
    if not has_role(actor, Role.EXTERNAL_UNIT):
        return None
    return unit_of_user(actor)


def can_receive_report(actor: Actor) -> bool:
    """Send a first report (首报) into the duty room: the duty room itself and external units."""
    if not has_role(actor, *DUTY_REPORTER_ROLES):
        return False
    # An external account not tied to a unit has nobody to report for.
    return can_view_duty_room(actor) or _external_unit(actor) is not None


def can_use_report_api(actor: Actor) -> bool:
    """The urgent-report API (list, read, submit): whoever may send a report."""
    return can_receive_report(actor)


def report_receive_access(*, actor: Actor, source_unit=None):
    """Check a first report may be received from ``actor``; return the unit it is sent for.

    An external unit always reports for its own unit (whatever it claims); the duty room names the
    source unit it took the report from (or none)."""
    if not can_receive_report(actor):
        raise forbidden(_("只有值班室人员或外部单位可以报送紧急信息。"))
    if can_view_duty_room(actor):
        return source_unit
    return _external_unit(actor)


def report_scope(*, actor: Actor, qs: QuerySet[UrgentReport]) -> QuerySet[UrgentReport]:
    if can_view_duty_room(actor):
        return qs
    unit = _external_unit(actor)
    if unit is None:
        return qs.none()
    return qs.filter(source_unit=unit)


def _report_visible(actor: Actor, report: UrgentReport) -> bool:
    if can_view_duty_room(actor):
        return True
    unit = _external_unit(actor)
    return unit is not None and report.source_unit_id == unit.pk


def report_access_for_action(*, actor: Actor, report: UrgentReport, action: str) -> UrgentReport:
    """Return ``report`` when ``actor`` may do ``action`` with it; raise NotFound (not theirs to
    know about) or Forbidden (they see it, but this is the duty room's work)."""
    if action not in REPORT_ACTIONS:
        raise ValueError(f"unknown report action {action!r}")
    if not _report_visible(actor, report):
        raise not_found(_("该紧急信息不存在，或您无权查看。"))
    if can_view_duty_room(actor) or action in EXTERNAL_REPORT_ACTIONS:
        return report
    raise forbidden(_("该操作由值班室办理。"))


def can_report_action(actor: Actor, report: UrgentReport, action: str) -> bool:
    try:
        report_access_for_action(actor=actor, report=report, action=action)
    except (NotFound, Forbidden):
        return False
    return True


def report_permissions(actor: Actor, report: UrgentReport) -> dict[str, bool]:
    """``can`` flags for the report page."""
    return {action: can_report_action(actor, report, action) for action in REPORT_ACTIONS}


# --- roster and shifts ----------------------------------------------------------------------------
ROSTER_ACTIONS = ("view", "export", "edit", "import", "publish")


def roster_scope(*, actor: Actor, qs: QuerySet[Roster]) -> QuerySet[Roster]:
    return qs if can_view_duty_room(actor) else qs.none()


def roster_access_for_action(*, actor: Actor, roster: Roster, action: str) -> Roster:
    if action not in ROSTER_ACTIONS:
        raise ValueError(f"unknown roster action {action!r}")
    if not can_view_duty_room(actor):
        raise not_found()
    if action in ("view", "export"):
        return roster
    require_roster_editor(actor)
    return roster


SHIFT_ACTIONS = ("view", "log", "assign", "handover_write")


def shift_scope(*, actor: Actor, qs: QuerySet[Shift]) -> QuerySet[Shift]:
    return qs if can_view_duty_room(actor) else qs.none()


def is_on_shift(actor: Actor, shift: Shift) -> bool:
    pk = _pk(actor)
    return pk is not None and pk in (shift.main_officer_id, shift.deputy_officer_id, shift.leader_id)


def can_write_handover(actor: Actor, shift: Shift) -> bool:
    """The handover out of a shift is written by those on it, or by the director."""
    return can_view_duty_room(actor) and (is_on_shift(actor, shift) or has_role(actor, Role.DIRECTOR))


def shift_access_for_action(*, actor: Actor, shift: Shift, action: str) -> Shift:
    if action not in SHIFT_ACTIONS:
        raise ValueError(f"unknown shift action {action!r}")
    if not can_view_duty_room(actor):
        raise not_found()
    if action == "assign":
        require_roster_editor(actor)
    elif action == "handover_write" and not can_write_handover(actor, shift):
        raise forbidden(_("只有本班值班人员可以填写交班记录。"))
    return shift


def shift_permissions(actor: Actor, shift: Shift) -> dict[str, bool]:
    return {
        "log": can_view_duty_room(actor),
        "assign": can_edit_roster(actor),
        "handover_write": can_write_handover(actor, shift),
    }


# --- handover -------------------------------------------------------------------------------------
def handover_scope(*, actor: Actor, qs: QuerySet[Handover]) -> QuerySet[Handover]:
    return qs if can_view_duty_room(actor) else qs.none()


def can_acknowledge_handover(actor: Actor, handover: Handover) -> bool:
    """Only an officer of the incoming shift takes the handover over."""
    to_shift = handover.to_shift
    pk = _pk(actor)
    return (
        can_view_duty_room(actor)
        and pk is not None
        and pk in (to_shift.main_officer_id, to_shift.deputy_officer_id)
    )


def handover_access_for_action(*, actor: Actor, handover: Handover, action: str) -> Handover:
    if action not in ("view", "acknowledge"):
        raise ValueError(f"unknown handover action {action!r}")
    if not can_view_duty_room(actor):
        raise not_found()
    if action == "acknowledge" and not can_acknowledge_handover(actor, handover):
        raise forbidden(_("只有接班的值班员可以确认接班。"))
    return handover


# --- duty log and phone records -------------------------------------------------------------------
def phone_record_scope(*, actor: Actor, qs: QuerySet[PhoneRecord]) -> QuerySet[PhoneRecord]:
    return qs if can_view_duty_room(actor) else qs.none()


def phone_record_access_for_action(*, actor: Actor, record: PhoneRecord, action: str) -> PhoneRecord:
    if action not in ("view", "handle"):
        raise ValueError(f"unknown phone record action {action!r}")
    if not can_view_duty_room(actor):
        raise not_found()
    return record


def can_record_phone(actor: Actor) -> bool:
    return can_view_duty_room(actor)


# --- swaps ----------------------------------------------------------------------------------------
SWAP_ACTIONS = ("view", "accept", "decide", "cancel")


def swap_scope(*, actor: Actor, qs: QuerySet[SwapRequest]) -> QuerySet[SwapRequest]:
    return qs if can_view_duty_room(actor) else qs.none()


def can_propose_swap(actor: Actor, shift: Shift, position: str) -> bool:
    """An officer offers only their own place on a shift."""
    field = "main_officer_id" if position == "main" else "deputy_officer_id"
    pk = _pk(actor)
    return can_view_duty_room(actor) and pk is not None and getattr(shift, field) == pk


def swap_propose_access(*, actor: Actor, shift: Shift, position: str) -> Shift:
    if not can_view_duty_room(actor):
        raise not_found()
    if not can_propose_swap(actor, shift, position):
        raise forbidden(_("只能为本人值守的班次申请换班。"))
    return shift


def can_accept_swap(actor: Actor, swap: SwapRequest | None = None) -> bool:
    """A duty officer (not the proposer) takes the offered place."""
    if not has_role(actor, Role.DUTY_OFFICER):
        return False
    return swap is None or swap.proposer_id != _pk(actor)


def can_decide_swap(actor: Actor, swap: SwapRequest) -> bool:
    """An editor of the roster, or the duty leader of that shift."""
    pk = _pk(actor)
    return can_edit_roster(actor) or (
        can_view_duty_room(actor) and pk is not None and swap.shift.leader_id == pk
    )


def can_cancel_swap(actor: Actor, swap: SwapRequest) -> bool:
    pk = _pk(actor)
    return pk is not None and swap.proposer_id == pk


def swap_access_for_action(*, actor: Actor, swap: SwapRequest, action: str) -> SwapRequest:
    if action not in SWAP_ACTIONS:
        raise ValueError(f"unknown swap action {action!r}")
    if not can_view_duty_room(actor):
        raise not_found()
    if action == "accept" and not has_role(actor, Role.DUTY_OFFICER):
        raise forbidden(_("只有值班员可以接替换班。"))
    if action == "decide" and not can_decide_swap(actor, swap):
        raise forbidden(_("只有带班领导可以审批换班。"))
    if action == "cancel" and not can_cancel_swap(actor, swap):
        raise forbidden(_("只能撤回本人的换班申请。"))
    return swap


def swap_permissions(actor: Actor, swap: SwapRequest) -> dict[str, bool]:
    return {
        "accept": can_accept_swap(actor, swap),
        "decide": can_decide_swap(actor, swap),
        "cancel": can_cancel_swap(actor, swap),
    }


# --- statistics -----------------------------------------------------------------------------------
def can_view_duty_stats(actor: Actor) -> bool:
    return can_view_duty_room(actor)
