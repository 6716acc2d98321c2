"""Who may see and do what in 办会: the only place of these rules.

- **Managers** (``MEETING_MANAGER_ROLES``: the director, the deputies and the section chiefs) and a
  meeting's own organizer, technician and service staff run the meeting: edit it, send the notice, tick
  the checklist, seat, keep the sign-in desk, record incidents and draft the minutes ("meeting staff").
- **Seeing a meeting**: 公开 and 内部 meetings are open to the office's staff. 秘密 and above only to the
  meeting's staff and invited people (presiding, attending leaders, a person with a receipt) or to a
  role that clears the level (documents' ``DOCUMENTS_CLEARANCE``). An external unit (its users or its
  API key) sees only meetings whose notice was sent to it. Out of scope is 404.
- **A receipt** is answered by its person, by the users or key of its unit, or by the meeting's staff
  (a receipt given by telephone).
- **Sign-in**: an invited person signs himself in; a unit's liaison signs in the attendees its receipt
  names; the meeting's staff sign anyone in at the desk.
- **A checklist item** is ticked by its owner or the meeting's staff; the device checks of the 视频音响
  test by the technician or the meeting's staff.
- **A decision to supervision**: the meeting's staff who may also register supervision items
  (supervision's own access decides that part).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from documents.access import cleared_levels
from documents.models import Classification
from office.errors import Forbidden, NotFound, forbidden, not_found
from office.org.principals import UnitPrincipal
from office.org.roles import MEETING_MANAGER_ROLES, has_role, is_internal
from office.org.selectors import unit_of_user
from office.org.types import Actor

from .models import ChecklistItem, Meeting, MeetingLeader, Receipt

OPEN_LEVELS = (Classification.PUBLIC, Classification.INTERNAL)
MEETING_ACTIONS = (
    "view",
    "manage",
    "sign_in_self",
    "sign_in_unit",
    "sign_in_desk",
    "to_supervision",
    "door",
)


def _user(actor: Actor):
    if actor is None or isinstance(actor, UnitPrincipal) or not getattr(actor, "is_authenticated", False):
        return None
    return actor if actor.is_active else None


def is_office_staff(actor: Actor) -> bool:
    return _user(actor) is not None and is_internal(actor)


def is_manager(actor: Actor) -> bool:
    return is_office_staff(actor) and has_role(actor, *MEETING_MANAGER_ROLES)


def external_unit(actor: Actor):
    """The unit of an external actor (a unit's user or its API key); None for office staff and strangers."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if isinstance(actor, UnitPrincipal):
        return actor.unit
    if is_internal(actor):
        return None
    return unit_of_user(actor)


def _invited_q(user) -> Q:
    return (
        Q(presiding=user)
        | Exists(MeetingLeader.objects.filter(meeting=OuterRef("pk"), user=user))
        | Exists(Receipt.objects.filter(meeting=OuterRef("pk"), person=user))
    )


def meeting_scope(*, actor: Actor, qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    if actor is None:
        return qs
    unit = external_unit(actor)
    if unit is not None:
        return qs.filter(
            Exists(Receipt.objects.filter(meeting=OuterRef("pk"), unit=unit)), notice__isnull=False
        )
    user = _user(actor)
    if user is None or not is_internal(user):
        return qs.none()
    levels = [*OPEN_LEVELS, *cleared_levels(user)]
    # EXISTS, not a join on the service staff: no DISTINCT, and the calendar's COUNT stays one pass
    return qs.filter(
        Q(classification__in=levels)
        | Q(organizer=user)
        | Q(technician=user)
        | Exists(Meeting.service_staff.through.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk))
        | _invited_q(user)
    )


def is_meeting_staff(actor: Actor, meeting: Meeting) -> bool:
    user = _user(actor)
    if user is None or not is_internal(user):
        return False
    if is_manager(user) or user.pk in (meeting.organizer_id, meeting.technician_id):
        return True
    return meeting.service_staff.filter(pk=user.pk).exists()


def is_invited(actor: Actor, meeting: Meeting) -> bool:
    user = _user(actor)
    if user is None:
        return False
    if meeting.presiding_id == user.pk:
        return True
    return meeting.leaders.filter(user=user).exists() or meeting.receipts.filter(person=user).exists()


def can_view(actor: Actor, meeting: Meeting) -> bool:
    return meeting_scope(actor=actor, qs=Meeting.objects.filter(pk=meeting.pk)).exists()


def _check(allowed: bool, message: str) -> None:
    if not allowed:
        raise forbidden(message)


def meeting_access_for_action(*, actor: Actor, meeting: Meeting, action: str) -> Meeting:
    """The meeting when ``actor`` may do ``action``; NotFound out of scope, Forbidden otherwise."""
    if action not in MEETING_ACTIONS:
        raise ValueError(f"unknown meeting action {action!r}")
    if actor is None:
        return meeting  # the system (the clock, the demo loader)
    if not can_view(actor, meeting):
        raise not_found()
    if action == "view":
        return meeting
    if action in ("manage", "sign_in_desk", "door"):
        _check(is_meeting_staff(actor, meeting), _("只有会务人员和办公室领导、科长可以办理会务。"))
    elif action == "sign_in_self":
        _check(is_invited(actor, meeting), _("您不在本次会议的参会名单中，请到签到台签到。"))
    elif action == "sign_in_unit":
        unit = external_unit(actor)
        _check(
            unit is not None and meeting.receipts.filter(unit=unit).exists(),
            _("只有参会单位的联络员可以为本单位人员签到。"),
        )
    elif action == "to_supervision":
        _check(is_meeting_staff(actor, meeting), _("只有会务人员和办公室领导可以将议定事项转为督办。"))
    return meeting


def can(actor: Actor, meeting: Meeting, action: str) -> bool:
    try:
        meeting_access_for_action(actor=actor, meeting=meeting, action=action)
    except (Forbidden, NotFound):
        return False
    return True


def meeting_permissions(actor: Actor, meeting: Meeting) -> dict[str, bool]:
    if not can_view(actor, meeting):
        return dict.fromkeys(MEETING_ACTIONS, False)
    staff = is_meeting_staff(actor, meeting)
    unit = external_unit(actor)
    return {
        "view": True,
        "manage": staff,
        "sign_in_desk": staff,
        "door": staff,
        "to_supervision": staff,
        "sign_in_self": is_invited(actor, meeting),
        "sign_in_unit": unit is not None and meeting.receipts.filter(unit=unit).exists(),
    }


def receipt_access(*, actor: Actor, receipt: Receipt) -> Receipt:
    """The receipt when ``actor`` may answer it: its person, its unit (users or key), the meeting's staff."""
    meeting = receipt.meeting
    if actor is None:
        return receipt
    if not can_view(actor, meeting):
        raise not_found()
    user = _user(actor)
    if receipt.person_id and user is not None and receipt.person_id == user.pk:
        return receipt
    if receipt.unit_id:
        unit = external_unit(actor) or (unit_of_user(user) if user is not None else None)
        if unit is not None and unit.pk == receipt.unit_id:
            return receipt
    if is_meeting_staff(actor, meeting):
        return receipt
    if external_unit(actor) is not None:
        raise not_found()  # another unit's receipt: not theirs to know
    raise forbidden(_("只能填写本人或本单位的回执。"))


def receipts_for_actor(*, actor: Actor, meeting: Meeting) -> QuerySet[Receipt]:
    """The receipts of a meeting the actor may see: all for the office's staff; a unit's own for a unit."""
    qs = meeting.receipts.select_related("unit", "person__staff", "answered_by__staff")
    unit = external_unit(actor)
    if unit is not None:
        return qs.filter(unit=unit)
    return qs if is_office_staff(actor) or actor is None else qs.none()


def item_access(*, actor: Actor, item: ChecklistItem, action: str = "done") -> ChecklistItem:
    """``done`` (tick the item) or ``devices`` (the 视频音响 device checks)."""
    meeting = item.meeting
    if actor is None:
        return item
    if not can_view(actor, meeting):
        raise not_found()
    user = _user(actor)
    if is_meeting_staff(actor, meeting):
        return item
    if user is not None and (
        item.owner_id == user.pk or (action == "devices" and meeting.technician_id == user.pk)
    ):
        return item
    raise forbidden(_("只有该事项的责任人或会务人员可以办理。"))


def can_list(actor: Actor) -> bool:
    """The calendar: the office's staff and the external units (their own meetings)."""
    return is_office_staff(actor) or external_unit(actor) is not None


def can_create(actor: Actor) -> bool:
    return is_manager(actor)


def require_create(actor: Actor) -> None:
    _check(can_create(actor), _("只有办公室领导和科长可以安排会议。"))


def can_manage_rooms(actor: Actor) -> bool:
    return is_manager(actor)
