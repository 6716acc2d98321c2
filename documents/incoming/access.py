"""Who may see and do what with incoming documents (收文): the only place of these rules.

- Office staff see 公开 and 内部 incoming documents. 秘密 and above follow the outgoing documents'
  need-to-know rule: the roles that clear the level (``documents.access.cleared_levels``) and the people
  the document was put in front of (who signed for it, checked it, proposed, instructed, handles it or
  has it in 传阅). One query whatever the number of rows.
- Another office (its users or its API key) sees only what its own unit sent, to follow its status.
- The clerks (``INCOMING_CLERK_ROLES`` in the sections of ``DOCUMENTS_INCOMING_CLERK_UNITS``, and the
  leaders) sign for, register, check, route, circulate, close and archive; a leader
  (``DOCUMENT_INSTRUCTING_ROLES``) writes the 批示; the handler (or their unit) replies.

Out of scope answers 404 (a classified title never leaks); visible but not allowed answers 403.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.access import OPEN_LEVELS, cleared_levels
from documents.models import CLASSIFIED_LEVELS
from office.conf import office_setting
from office.errors import Forbidden, not_found
from office.org.models import Role
from office.org.principals import UnitPrincipal
from office.org.roles import (
    DOCUMENT_INSTRUCTING_ROLES,
    INCOMING_CLERK_ROLES,
    LEADERSHIP_ROLES,
    has_role,
    is_internal,
    user_roles,
)
from office.org.selectors import unit_of_user
from office.org.types import Actor

from .models import Circulation, IncomingDocument

ACTIONS = (
    "view",
    "download",
    "check",
    "return",
    "propose",
    "instruct",
    "assign",
    "circulate",
    "urge",
    "read",
    "reply",
    "close",
    "archive",
    "to_supervision",
)


def clerk_unit_codes() -> list[str]:
    """The sections whose staff sign for and register incoming documents (文书科, 机要科 by default)."""
    value = office_setting("DOCUMENTS_INCOMING_CLERK_UNITS", ["wenshu", "jiyao"])
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def _person_pk(actor: Actor) -> int | None:
    pk = getattr(actor, "pk", None)
    return pk if isinstance(pk, int) and not isinstance(actor, UnitPrincipal) else None


def _signed_in(actor: Actor) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False)) and actor.is_active


def is_office_staff(actor: Actor) -> bool:
    return _signed_in(actor) and not isinstance(actor, UnitPrincipal) and is_internal(actor)


def _external_unit(actor: Actor):
    if not _signed_in(actor) or is_office_staff(actor):
        return None
    if Role.EXTERNAL_UNIT not in user_roles(actor):
        return None
    return unit_of_user(actor)


def is_leader(actor: Actor) -> bool:
    return is_office_staff(actor) and has_role(actor, *LEADERSHIP_ROLES)


def is_clerk(actor: Actor) -> bool:
    """A 收文 clerk: a leader, or a holder of a clerk role in one of the clerk sections."""
    if not is_office_staff(actor):
        return False
    if has_role(actor, *LEADERSHIP_ROLES):
        return True
    if not has_role(actor, *INCOMING_CLERK_ROLES):
        return False
    unit = unit_of_user(actor)
    return unit is not None and unit.code in clerk_unit_codes()


def can_instruct_any(actor: Actor) -> bool:
    return is_office_staff(actor) and has_role(actor, *DOCUMENT_INSTRUCTING_ROLES)


# --- lists ------------------------------------------------------------------------------------


def incoming_scope(*, actor: Actor, qs: QuerySet[IncomingDocument]) -> QuerySet[IncomingDocument]:
    """The incoming documents of ``qs`` the actor may know exist."""
    if actor is None:
        return qs
    if is_office_staff(actor):
        person = _person_pk(actor) or 0
        in_circulation = Circulation.objects.filter(document=OuterRef("pk"), reader_id=person)
        return qs.filter(
            Q(classification__in=OPEN_LEVELS)
            | Q(classification__in=cleared_levels(actor))
            | Q(received_by_id=person)
            | Q(checked_by_id=person)
            | Q(proposed_by_id=person)
            | Q(instruction_leader_id=person)
            | Q(handler_id=person)
            | Exists(in_circulation)
        )
    unit = _external_unit(actor)
    if unit is None:
        return qs.none()
    return qs.filter(sender_unit=unit)


def can_view(actor: Actor, document: IncomingDocument) -> bool:
    if document.pk is None:
        return False
    return incoming_scope(actor=actor, qs=IncomingDocument.objects.filter(pk=document.pk)).exists()


# --- the rules beyond visibility --------------------------------------------------------------


def _yes(actor: Actor, doc: IncomingDocument) -> bool:
    return True


def _clerk(actor: Actor, doc: IncomingDocument) -> bool:
    return is_clerk(actor)


def _instructing(actor: Actor, doc: IncomingDocument) -> bool:
    return can_instruct_any(actor)


def _reader(actor: Actor, doc: IncomingDocument) -> bool:
    person = _person_pk(actor)
    return person is not None and Circulation.objects.filter(document=doc, reader_id=person).exists()


def _handler(actor: Actor, doc: IncomingDocument) -> bool:
    person = _person_pk(actor)
    if person is not None and doc.handler_id == person:
        return True
    if doc.handler_unit_id is not None:
        unit = unit_of_user(actor)
        if unit is not None and unit.pk == doc.handler_unit_id:
            return True
    return is_clerk(actor)


_RULES: dict[str, Callable[[Actor, IncomingDocument], bool]] = {
    "view": _yes,
    "download": _yes,
    "check": _clerk,
    "return": _clerk,
    "propose": _clerk,
    "instruct": _instructing,
    "assign": _clerk,
    "circulate": _clerk,
    "urge": _clerk,
    "read": _reader,
    "reply": _handler,
    "close": _clerk,
    "archive": _clerk,
    # the supervision side decides who may register an item (its own access module)
    "to_supervision": _yes,
}

_REFUSALS = {
    "check": gettext_lazy("只有收文人员可以初审来文。"),
    "return": gettext_lazy("只有收文人员可以退回来文。"),
    "propose": gettext_lazy("只有收文人员或办公室领导可以提出拟办意见。"),
    "instruct": gettext_lazy("只有主任、副主任可以批示。"),
    "assign": gettext_lazy("只有收文人员或办公室领导可以交办。"),
    "circulate": gettext_lazy("只有收文人员或办公室领导可以发起传阅。"),
    "urge": gettext_lazy("只有收文人员或办公室领导可以催阅。"),
    "read": gettext_lazy("该文件没有传阅给您。"),
    "reply": gettext_lazy("只有承办人、承办单位或收文人员可以报送办理结果。"),
    "close": gettext_lazy("只有收文人员可以办结来文。"),
    "archive": gettext_lazy("只有收文人员可以归档来文。"),
}


def incoming_access_for_action(*, actor: Actor, document: IncomingDocument, action: str) -> IncomingDocument:
    """The document if ``actor`` may do ``action`` on it; NotFound when it is outside the actor's scope,
    Forbidden when they may see it but not do this. The system (``actor=None``) may do everything."""
    rule = _RULES.get(action)
    if rule is None:
        raise ValueError(f"unknown incoming action {action!r}")
    if actor is None:
        return document
    if not can_view(actor, document):
        raise not_found(_("未找到该收文，或您无权查看。"))
    if not is_office_staff(actor):
        # another office follows what it sent; the handling is the office's own business
        if action == "view":
            return document
        raise Forbidden(_("外部单位只能查看本单位报送来文的状态。"))
    if not rule(actor, document):
        raise Forbidden(str(_REFUSALS.get(action) or _("您没有执行此操作的权限。")))
    return document


def can(actor: Actor, document: IncomingDocument, action: str) -> bool:
    try:
        incoming_access_for_action(actor=actor, document=document, action=action)
    except (Forbidden, LookupError):
        return False
    return True


def incoming_permissions(actor: Actor, document: IncomingDocument) -> dict[str, bool]:
    """For the page (``can.instruct``, ``can.reply``…): the same rules, visibility asked once."""
    visible = actor is not None and can_view(actor, document) and is_office_staff(actor)
    return {action: visible and _RULES[action](actor, document) for action in ACTIONS}


# --- page-level predicates ----------------------------------------------------------------------


def can_list(actor: Actor) -> bool:
    """The incoming register is the office's own (another office follows its own over the API)."""
    return is_office_staff(actor)


def can_register(actor: Actor) -> bool:
    return actor is None or is_clerk(actor)


def incoming_register_access(*, actor: Actor) -> None:
    if not can_register(actor):
        raise Forbidden(_("只有收文人员可以签收登记来文。"))


def can_send_via_api(actor: Actor) -> bool:
    """Another office's system (its key) or its users send documents to the office."""
    return _external_unit(actor) is not None


def incoming_api_submit_access(*, actor: Actor):
    """The sending unit: the caller's own, whatever the body says."""
    unit = _external_unit(actor)
    if unit is None:
        raise Forbidden(_("只有外部单位可以通过接口报送来文。"))
    return unit


def is_classified(document: IncomingDocument) -> bool:
    return document.classification in CLASSIFIED_LEVELS
