"""Who may see and do what in supervision: the only place of these rules.

Services call ``item_access_for_action`` first; the page views, the API views, the item page's ``can``
flags, the navigation, the file downloads and the selectors' lists ask the same functions, so the page,
the API and the service can never disagree.

The actor is a user, an API-key ``UnitPrincipal`` (an external unit) or ``None``: the system itself
(the office clock's handlers, the documents sign-off hook, the demo loader), which may do everything.

- Office staff see every item; an external unit (its users or its API key) only the items its unit is
  on, never drafts. An item out of the actor's scope answers NotFound (404), like a missing one.
- Managers (``SUPERVISION_MANAGER_ROLES``) register, edit drafts, issue, decide extensions, review
  feedback, close, send back, cancel, add milestones, log visits and communications, import.
- Progress feedback: a unit on the item; among the office staff a manager or the item's assignee.
  The result (办理结果): only the lead unit, a manager or the assignee.
- Acknowledgement (签收): a unit on the item (its own assignment), or a manager on the unit's behalf.
- Extension (延期): only the lead unit, or for an internal assignment (no lead unit) the assignee.
- A ladder step's document (督办通知, 通报批评) is the office's own business until it is published:
  an external actor sees its number and link only then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from office.errors import Forbidden, NotFound, not_found
from office.org.principals import UnitPrincipal
from office.org.roles import LEADERSHIP_ROLES, SUPERVISION_MANAGER_ROLES, has_role, is_internal
from office.org.selectors import unit_of_user
from office.org.types import Actor

from .models import ItemUnit, Status, SupervisionItem, UnitRole

if TYPE_CHECKING:
    from office.org.models import Unit

    from .models import Feedback, LadderStep, SiteVisitPhoto

# The actions on one item.
ITEM_ACTIONS = (
    "view",
    "edit",
    "issue",
    "acknowledge",
    "acknowledge_own",
    "acknowledge_for_unit",
    "feedback",
    "result",
    "extend",
    "decide_extension",
    "review_feedback",
    "close",
    "send_back",
    "cancel",
    "add_milestone",
    "reschedule_milestone",
    "visit",
    "communicate",
    "escalate",
)
# The actions on supervision as a whole (``item`` is None).
GLOBAL_ACTIONS = ("create", "import", "export", "stats", "list")
ACTIONS = ITEM_ACTIONS + GLOBAL_ACTIONS

# The document of a ladder step is shown to an external actor once it has this status.
PUBLISHED_DOCUMENT_STATUS = "published"


# --- who the actor is -------------------------------------------------------------------------


def is_system(actor: Actor) -> bool:
    """The office itself (clock handlers, the documents hook, the demo loader)."""
    return actor is None


def is_manager(actor: Actor) -> bool:
    return actor is not None and has_role(actor, *SUPERVISION_MANAGER_ROLES)


def is_office_staff(actor: Actor) -> bool:
    return actor is not None and not isinstance(actor, UnitPrincipal) and is_internal(actor)


def _signed_in(actor: Actor) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def _own_unit(actor: Actor) -> Unit | None:
    if not _signed_in(actor) or is_office_staff(actor):
        return None
    return unit_of_user(actor)


def _is_assignee(actor: Actor, item: SupervisionItem) -> bool:
    pk = getattr(actor, "pk", None)
    return pk is not None and item.assignee_id == pk


def own_assignment(actor: Actor, item: SupervisionItem) -> ItemUnit | None:
    """The external actor's unit's place on the item (None for office staff and strangers)."""
    unit = _own_unit(actor)
    if unit is None:
        return None
    # The item page prefetches the assignments; a service's item reads them in one query.
    return next((a for a in item.assignments.all() if a.unit_id == unit.pk), None)


# --- lists ------------------------------------------------------------------------------------


def item_scope(*, actor: Actor, qs: QuerySet[SupervisionItem]) -> QuerySet[SupervisionItem]:
    """The items of ``qs`` the actor may know about: every item for office staff (and the system);
    for an external unit, the items its unit is on, never drafts; nothing for anyone else."""
    if is_system(actor) or is_office_staff(actor):
        return qs
    unit = _own_unit(actor)
    if unit is None:
        return qs.none()
    return qs.filter(Exists(ItemUnit.objects.filter(item=OuterRef("pk"), unit=unit))).exclude(
        status=Status.DRAFT
    )


def _in_scope(actor: Actor, item: SupervisionItem) -> bool:
    if is_system(actor) or is_office_staff(actor):
        return True
    return item.status != Status.DRAFT and own_assignment(actor, item) is not None


# --- the rules: each returns None (allowed) or the clerk's reason for refusing ----------------

_MANAGERS_ONLY = {
    "edit": lambda: _("只有督办室和主任、副主任可以修改督办事项。"),
    "issue": lambda: _("只有督办室和主任、副主任可以交办督办事项。"),
    "decide_extension": lambda: _("只有督办室和主任、副主任可以审批延期申请。"),
    "review_feedback": lambda: _("只有督办室和主任、副主任可以审核反馈。"),
    "close": lambda: _("只有督办室和主任、副主任可以核实办结。"),
    "send_back": lambda: _("只有督办室和主任、副主任可以退回重办。"),
    "cancel": lambda: _("只有督办室和主任、副主任可以撤销督办事项。"),
    "add_milestone": lambda: _("只有督办室和主任、副主任可以增加工作节点。"),
    "reschedule_milestone": lambda: _("只有督办室和主任、副主任可以调整工作节点。"),
    "visit": lambda: _("只有督办室和主任、副主任可以记录实地督查。"),
    "communicate": lambda: _("只有督办室和主任、副主任可以记录沟通情况。"),
    "escalate": lambda: _("督办升级由系统按时限自动进行。"),
    "acknowledge_for_unit": lambda: _("只有督办室和主任、副主任可以代单位签收。"),
    "create": lambda: _("只有督办室和主任、副主任可以登记督办事项。"),
    "import": lambda: _("只有督办室和主任、副主任可以导入督办台账。"),
}


def _refusal(actor: Actor, item: SupervisionItem | None, action: str) -> str | None:
    if action in _MANAGERS_ONLY:
        return None if is_manager(actor) else _MANAGERS_ONLY[action]()
    if action == "view":
        return None
    if action in ("list", "export", "stats"):
        # Office staff see every item, an external unit its own: the rows are cut by item_scope.
        return None if can_list(actor) else _("您的账号未关联单位，无法查看督办事项。")
    assert item is not None
    assignment = own_assignment(actor, item)
    if action == "acknowledge":
        if assignment is not None or is_manager(actor):
            return None
        return _("只有承办单位可以签收（督办室可代为签收）。")
    if action == "acknowledge_own":
        # the API names no unit: through it a unit acknowledges its own assignment only
        if assignment is not None:
            return None
        return _("通过接口只能签收本单位承办的事项；督办室代单位签收请在门户中办理。")
    if action == "feedback":
        if assignment is not None or is_manager(actor) or _is_assignee(actor, item):
            return None
        return _("只有承办单位、承办人或督办室可以报送反馈。")
    if action == "result":
        if assignment is not None:
            return None if assignment.role == UnitRole.LEAD else _("办理结果由主办单位报送。")
        if is_manager(actor) or _is_assignee(actor, item):
            return None
        return _("办理结果由主办单位或承办人报送。")
    if action == "extend":
        if assignment is not None and assignment.role == UnitRole.LEAD:
            return None
        if item.lead_unit_id is None and _is_assignee(actor, item):
            return None
        return _("延期只能由主办单位申请（内部交办事项由承办人申请）。")
    raise ValueError(f"unknown supervision action {action!r}")


def item_access_for_action(*, actor: Actor, item: SupervisionItem | None, action: str) -> Any:
    """The item when ``actor`` may do ``action`` on it; else NotFound (404) when the item is outside
    the actor's scope, Forbidden (403) when visible but not allowed. Global actions take ``item=None``
    and return None. The system (``actor=None``) may do everything."""
    if action not in ACTIONS:
        raise ValueError(f"unknown supervision action {action!r}")
    if (item is None) != (action in GLOBAL_ACTIONS):
        raise ValueError(f"action {action!r} {'needs' if item is None else 'takes no'} item")
    if is_system(actor):
        return item
    if not _signed_in(actor):
        raise not_found()
    if item is not None and not _in_scope(actor, item):
        raise not_found(_("督办事项不存在，或不属于本单位。"))
    refusal = _refusal(actor, item, action)
    if refusal:
        raise Forbidden(refusal)
    return item


def can(actor: Actor, item: SupervisionItem | None, action: str) -> bool:
    """The same rule as ``item_access_for_action``, as a yes/no."""
    try:
        item_access_for_action(actor=actor, item=item, action=action)
    except (Forbidden, NotFound):
        return False
    return True


def item_permissions(actor: Actor, item: SupervisionItem) -> dict[str, bool]:
    """Every item action as a flag, for the item page (``can.extend``, ``can.feedback``, …)."""
    if not can(actor, item, "view"):
        return dict.fromkeys(ITEM_ACTIONS, False)
    return {action: can(actor, item, action) for action in ITEM_ACTIONS}


# --- predicates for the navigation and the list page ------------------------------------------


def can_list(actor: Actor) -> bool:
    """The list page: office staff and external units' accounts (their own items)."""
    return _signed_in(actor) and (is_office_staff(actor) or _own_unit(actor) is not None)


def can_create(actor: Actor) -> bool:
    return can(actor, None, "create")


def can_import(actor: Actor) -> bool:
    return can(actor, None, "import")


def can_view_stats(actor: Actor) -> bool:
    return can(actor, None, "stats")


# --- the commissioners' communication tasks --------------------------------------------------


def communication_task_scope(*, actor: Actor, qs: QuerySet[LadderStep]) -> QuerySet[LadderStep]:
    """Open communication steps a person is to log: the leaders see every one, a commissioner those of
    the items he is named on, anyone else none."""
    if is_system(actor) or has_role(actor, *LEADERSHIP_ROLES):
        return qs
    pk = getattr(actor, "pk", None)
    if pk is None or not is_office_staff(actor):
        return qs.none()
    return qs.filter(item__commissioners__pk=pk)


# --- what an item shows ---------------------------------------------------------------------


def can_see_step_document(actor: Actor, step: LadderStep) -> bool:
    """A ladder step's document (its number, link, download): office staff always; an external actor
    only once it is published — a draft circular is the office's own business until it is signed."""
    if step.document_id is None:
        return False
    if is_system(actor) or is_office_staff(actor):
        return True
    return step.document is not None and step.document.status == PUBLISHED_DOCUMENT_STATUS


# --- files ------------------------------------------------------------------------------------


def feedback_file_access(*, actor: Actor, feedback: Feedback) -> Feedback:
    """A feedback's attachment goes to whoever may see its item (another unit: NotFound)."""
    item_access_for_action(actor=actor, item=feedback.item, action="view")
    return feedback


def visit_photo_access(*, actor: Actor, photo: SiteVisitPhoto) -> SiteVisitPhoto:
    """A site visit's photo goes to whoever may see its item (another unit: NotFound)."""
    item_access_for_action(actor=actor, item=photo.visit.item, action="view")
    return photo
