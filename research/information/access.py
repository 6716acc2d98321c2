"""Who may see and do what in 信息报送: the only place of these rules.

- A unit (its people — a department's or township's liaison, or the office's own section's staff — and
  its API key) drafts, and sees only its own unit's reports; another unit's report answers 404.
- The unit's head (``Unit.head``; an API key signs for its unit's system) signs and so submits.
- The information section (``INFORMATION_EDITOR_ROLES`` in the sections of ``INFORMATION_SECTION_UNITS``,
  信息科 by default) and the leaders receive, edit (every edit a version), return with a reason, send to
  approval, send upward or publish in the bulletin, and record adoptions.
- A leader (``INFORMATION_APPROVER_ROLES``: the deputies and the director) approves or returns to the
  information section.
- The office (every internal person who is an editor or a leader) sees every submitted report; the
  ranking and the bulletin are the office's internal papers (office staff only). An external unit reads
  its own score and rank through the API.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from office.errors import Forbidden, NotFound, forbidden, not_found
from office.org.principals import UnitPrincipal
from office.org.roles import (
    INFORMATION_APPROVER_ROLES,
    INFORMATION_EDITOR_ROLES,
    LEADERSHIP_ROLES,
    has_role,
    is_internal,
)
from office.org.selectors import unit_of_user
from office.org.types import Actor

from . import conf
from .models import InfoReport, InfoStatus

REPORT_ACTIONS = (
    "view",
    "attachment",
    "edit_draft",
    "ask_sign",
    "sign",
    "receive",
    "edit",
    "to_approval",
    "approve",
    "return",
    "send",
    "adopt",
)
UNIT_OPEN = (InfoStatus.DRAFT, InfoStatus.PENDING_SIGN, InfoStatus.RETURNED)


def is_system(actor: Actor) -> bool:
    return actor is None


def _signed_in(actor: Actor) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False)) and actor.is_active


def _person_pk(actor: Actor) -> int | None:
    if actor is None or not _signed_in(actor) or isinstance(actor, UnitPrincipal):
        return None
    return actor.pk


def is_office_staff(actor: Actor) -> bool:
    return _person_pk(actor) is not None and is_internal(actor)


def is_editor(actor: Actor) -> bool:
    """The information section's staff, or a leader."""
    if not is_office_staff(actor):
        return False
    if has_role(actor, *LEADERSHIP_ROLES):
        return True
    if not has_role(actor, *INFORMATION_EDITOR_ROLES):
        return False
    unit = unit_of_user(actor)
    return unit is not None and unit.code in conf.section_unit_codes()


def is_approver(actor: Actor) -> bool:
    return is_office_staff(actor) and has_role(actor, *INFORMATION_APPROVER_ROLES)


def actor_unit(actor: Actor):
    if not _signed_in(actor):
        return None
    return unit_of_user(actor)


def is_unit_member(actor: Actor, report: InfoReport) -> bool:
    unit = actor_unit(actor)
    return unit is not None and unit.pk == report.unit_id


def is_unit_head(actor: Actor, report: InfoReport) -> bool:
    """The unit's head signs; a unit's API key is the unit's own system (its head signed there)."""
    if isinstance(actor, UnitPrincipal):
        return actor.unit.pk == report.unit_id
    pk = _person_pk(actor)
    return pk is not None and report.unit.head_id == pk


# --- page-level predicates -----------------------------------------------------------------------


def can_draft(actor: Actor) -> bool:
    """Anyone who belongs to a unit may draft for it."""
    return actor_unit(actor) is not None


def can_list(actor: Actor) -> bool:
    return can_draft(actor) or is_editor(actor) or is_approver(actor)


def can_use_api(actor: Actor) -> bool:
    return can_list(actor)


def can_inbox(actor: Actor) -> bool:
    return is_editor(actor)


def can_approvals(actor: Actor) -> bool:
    return is_approver(actor)


def can_view_office_papers(actor: Actor) -> bool:
    """The ranking and the bulletin: the office's own staff."""
    return is_office_staff(actor)


def require(predicate, actor: Actor, message: str) -> None:
    if not predicate(actor):
        raise forbidden(message)


# --- reports -------------------------------------------------------------------------------------


def report_scope(*, actor: Actor, qs: QuerySet[InfoReport]) -> QuerySet[InfoReport]:
    """The office's editors and leaders: every report once submitted, and their own unit's; everyone
    else who belongs to a unit: that unit's reports only."""
    if is_system(actor):
        return qs
    unit = actor_unit(actor)
    own = Q(unit_id=unit.pk) if unit is not None else Q(pk__in=[])
    if is_editor(actor) or is_approver(actor):
        return qs.filter(own | Q(submitted_at__isnull=False))
    if unit is None:
        return qs.none()
    return qs.filter(own)


def _in_scope(actor: Actor, report: InfoReport) -> bool:
    if is_unit_member(actor, report):
        return True
    return (is_editor(actor) or is_approver(actor)) and report.submitted_at is not None


def report_access_for_action(*, actor: Actor, report: InfoReport, action: str) -> InfoReport:
    if action not in REPORT_ACTIONS:
        raise ValueError(f"unknown information report action {action!r}")
    if is_system(actor):
        return report
    if not _in_scope(actor, report):
        raise not_found()
    status = report.status
    if action in ("view", "attachment"):
        return report
    if action in ("edit_draft", "ask_sign"):
        if not is_unit_member(actor, report):
            raise forbidden(_("只有本单位人员可以修改本单位的信息。"))
        if status not in UNIT_OPEN:
            raise forbidden(_("信息已报送，不能再修改。"))
        return report
    if action == "sign":
        if not is_unit_head(actor, report):
            raise forbidden(_("只有本单位负责人可以签发报送。"))
        if status not in UNIT_OPEN:
            raise forbidden(_("信息已报送，不能重复签发。"))
        return report
    if action == "approve":
        if not is_approver(actor):
            raise forbidden(_("只有分管副主任或主任可以审批信息。"))
        if status != InfoStatus.PENDING_APPROVAL:
            raise forbidden(_("这条信息不在待审批状态。"))
        return report
    if action == "return":
        if status == InfoStatus.PENDING_APPROVAL and is_approver(actor):
            return report
        if status in (InfoStatus.SUBMITTED, InfoStatus.RECEIVED) and is_editor(actor):
            return report
        raise forbidden(_("只有审核这一环节的人员可以退回。"))
    # receive, edit, to_approval, send, adopt: the information section
    if not is_editor(actor):
        raise forbidden(_("只有信息科人员可以进行此操作。"))
    wanted = {
        "receive": (InfoStatus.SUBMITTED,),
        "edit": (InfoStatus.RECEIVED,),
        "to_approval": (InfoStatus.RECEIVED,),
        "send": (InfoStatus.APPROVED,),
        "adopt": (InfoStatus.SENT, InfoStatus.PUBLISHED),
    }[action]
    if status not in wanted:
        raise forbidden(_("这条信息当前的状态不允许此操作。"))
    return report


def can(actor: Actor, report: InfoReport, action: str) -> bool:
    try:
        report_access_for_action(actor=actor, report=report, action=action)
    except (Forbidden, NotFound):
        return False
    return True


def report_permissions(actor: Actor, report: InfoReport) -> dict[str, bool]:
    return {action: can(actor, report, action) for action in REPORT_ACTIONS}
