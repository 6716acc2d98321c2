"""Who may see and do what with official documents: the only place of these rules.

Need-to-know by 密级: 公开 and 内部 are the office's; 秘密 and above only for those granted the document
(guardian's ``documents.view_document`` on it: the drafter, the signer, named readers) or whose role
clears the level (``DOCUMENTS_CLEARANCE``). A superuser is treated by their roles only. An external unit
(user or API key) sees published 公开/内部 documents addressed to it or to every unit. Out of scope
answers 404 (a classified title never leaks); visible but not allowed answers 403.

The system (``actor=None``: the office clock) may create, submit and publish, and sign only through
``document_issue_directly`` (a supervision notice goes out under the rules at once).
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.audit.access import confidential_unit_codes
from office.audit.services import access_log_record
from office.conf import office_setting
from office.errors import Forbidden, NotFound, not_found
from office.org.models import Role
from office.org.roles import (
    DOCUMENT_CLERK_ROLES,
    DOCUMENT_SIGNER_ROLES,
    LEADERSHIP_ROLES,
    is_internal,
    user_roles,
)
from office.org.selectors import unit_of_user
from office.org.types import Actor

from .models import (
    CLASSIFIED_LEVELS,
    Classification,
    DocStatus,
    Document,
    DocumentGroupObjectPermission,
    DocumentReceipt,
    DocumentUserObjectPermission,
    ReviewStep,
    StepStatus,
)

VIEW_PERMISSION = "view_document"
OPEN_LEVELS = (Classification.PUBLIC, Classification.INTERNAL)
DEFAULT_CLEARANCE = {
    Classification.SECRET.value: [Role.DIRECTOR.value, Role.DEPUTY_DIRECTOR.value],
    Classification.CONFIDENTIAL.value: [Role.DIRECTOR.value],
    Classification.TOP_SECRET.value: [Role.DIRECTOR.value],
}
# What the system (the clock, actor None) may do without a person behind it.
SYSTEM_ACTIONS = frozenset({"create", "submit", "issue_directly", "register", "publish"})


def _roles(actor: Actor) -> frozenset[str]:
    # user_roles, not has_role: a superuser holds no clearance it was not given (need-to-know).
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return frozenset()
    return user_roles(actor)


def _person_pk(actor: Actor) -> int | None:
    """The actor's user id; None for the system, an API key or an anonymous visitor."""
    pk = getattr(actor, "pk", None)
    return pk if isinstance(pk, int) else None


def _is_person(actor: Actor) -> bool:
    return _person_pk(actor) is not None


def _is_internal(actor: Actor) -> bool:
    # a superuser counts as office staff for 公开/内部, but clears no classified level by that alone
    return actor is not None and getattr(actor, "is_active", False) and is_internal(actor)


def cleared_levels(actor: Actor) -> list[str]:
    """The classified levels one of the actor's roles clears, from ``DOCUMENTS_CLEARANCE``."""
    clearance = office_setting("DOCUMENTS_CLEARANCE", DEFAULT_CLEARANCE)
    roles = _roles(actor)
    return sorted(level for level, cleared in clearance.items() if roles.intersection(cleared))


def document_scope(*, actor: Actor, qs: QuerySet[Document]) -> QuerySet[Document]:
    """The documents of ``qs`` the actor may know exist: one query, whatever the number of rows."""
    if _is_internal(actor):
        person = _person_pk(actor) or 0  # no user id, no grant can match
        granted_to_user = DocumentUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"),
            user_id=person,
            permission__codename=VIEW_PERMISSION,
            permission__content_type__app_label="documents",
        )
        granted_to_group = DocumentGroupObjectPermission.objects.filter(
            content_object=OuterRef("pk"),
            group__user=person,
            permission__codename=VIEW_PERMISSION,
            permission__content_type__app_label="documents",
        )
        return qs.filter(
            Q(classification__in=OPEN_LEVELS)
            | Q(classification__in=cleared_levels(actor))
            | Exists(granted_to_user)
            | Exists(granted_to_group)
        )
    if Role.EXTERNAL_UNIT in _roles(actor):
        unit = unit_of_user(actor)
        if unit is None:
            return qs.none()
        addressed = Document.recipient_units.through.objects.filter(
            document_id=OuterRef("pk"), unit_id=unit.pk
        )
        return qs.filter(
            Q(to_all_units=True) | Exists(addressed),
            status__in=(DocStatus.PUBLISHED, DocStatus.ARCHIVED),
            classification__in=OPEN_LEVELS,
        )
    return qs.none()


def can_view(actor: Actor, document: Document) -> bool:
    if document.pk is None:
        return False
    return document_scope(actor=actor, qs=Document.objects.filter(pk=document.pk)).exists()


# The rules beyond visibility, one per action; each takes an actor who can see the document.
def _may_read(actor: Actor, document: Document) -> bool:
    return True


def _is_signer(actor: Actor) -> bool:
    return bool(_roles(actor) & DOCUMENT_SIGNER_ROLES)


def _is_drafter(actor: Actor, document: Document) -> bool:
    return _is_person(actor) and document.created_by_id == _person_pk(actor)


def _may_sign_off(actor: Actor, document: Document) -> bool:
    return _is_signer(actor)


def _may_submit(actor: Actor, document: Document) -> bool:
    return _is_drafter(actor, document) or _is_signer(actor)


def _may_publish(actor: Actor, document: Document) -> bool:
    return _is_signer(actor) or (_is_person(actor) and document.signer_id == _person_pk(actor))


def _is_confidential_section_chief(actor: Actor) -> bool:
    if Role.SECTION_CHIEF not in _roles(actor):
        return False
    unit = unit_of_user(actor)
    return unit is not None and unit.code in confidential_unit_codes()


def _may_grant(actor: Actor, document: Document) -> bool:
    """Naming readers: the drafter, a signer, or the 机要科 chief."""
    return (
        _is_drafter(actor, document)
        or _is_signer(actor)
        or (_is_person(actor) and document.signer_id == _person_pk(actor))
        or _is_confidential_section_chief(actor)
    )


def _is_clerk(actor: Actor) -> bool:
    return bool(_roles(actor) & DOCUMENT_CLERK_ROLES)


def _has_pending_step(actor: Actor, document: Document) -> bool:
    person = _person_pk(actor)
    if person is None:
        return False
    return ReviewStep.objects.filter(
        document=document, assignee_id=person, status=StepStatus.PENDING
    ).exists()


def _may_edit(actor: Actor, document: Document) -> bool:
    """The text: the drafter while it is a draft; whoever the chain sits with while in review (a reviewer
    or the signer may correct it); nobody after sign-off."""
    if document.status == DocStatus.DRAFT:
        return _is_drafter(actor, document)
    if document.status == DocStatus.IN_REVIEW:
        return _has_pending_step(actor, document)
    return False


def _may_configure(actor: Actor, document: Document) -> bool:
    """The review chain is the drafter's to set, before submission."""
    return document.status == DocStatus.DRAFT and _is_drafter(actor, document)


def _may_comment(actor: Actor, document: Document) -> bool:
    """Office staff who see a draft or a document in review may comment on a paragraph."""
    return (
        _is_internal(actor)
        and _is_person(actor)
        and document.status in (DocStatus.DRAFT, DocStatus.IN_REVIEW)
    )


def _may_remind(actor: Actor, document: Document) -> bool:
    """催办: the drafter, or the office's leaders."""
    return _is_drafter(actor, document) or bool(_roles(actor) & LEADERSHIP_ROLES)


def _may_register(actor: Actor, document: Document) -> bool:
    return _is_clerk(actor)


def _may_publish_doc(actor: Actor, document: Document) -> bool:
    return _is_clerk(actor) or _may_publish(actor, document)


def _may_acknowledge(actor: Actor, document: Document) -> bool:
    """签收: the receiving unit's own users and its API key."""
    if Role.EXTERNAL_UNIT not in _roles(actor):
        return False
    unit = unit_of_user(actor)
    return unit is not None and DocumentReceipt.objects.filter(document=document, unit=unit).exists()


_RULES: dict[str, Callable[[Actor, Document], bool]] = {
    "view": _may_read,
    "download": _may_read,
    "export": _may_read,
    "submit": _may_submit,
    "sign_off": _may_sign_off,
    "issue_directly": _may_sign_off,
    "publish": _may_publish_doc,
    "grant": _may_grant,
    "edit": _may_edit,
    "configure": _may_configure,
    "comment": _may_comment,
    "remind": _may_remind,
    "register": _may_register,
    "withdraw": _may_register,
    "archive": _may_register,
    "acknowledge": _may_acknowledge,
}

_REFUSALS = {
    "submit": gettext_lazy("只有拟稿人或签发人可以送审该公文。"),
    "sign_off": gettext_lazy("只有签发领导可以签发公文。"),
    "issue_directly": gettext_lazy("只有签发领导可以签发公文。"),
    "publish": gettext_lazy("只有文书人员或签发人可以印发该公文。"),
    "grant": gettext_lazy("只有拟稿人、签发人或机要科负责人可以指定阅知人员。"),
    "edit": gettext_lazy("草稿只能由拟稿人修改；审核中只能由当前办理人修改；签发后不能再修改。"),
    "configure": gettext_lazy("只有拟稿人可以在送审前设置审核流程。"),
    "comment": gettext_lazy("只有机关工作人员可以对草稿或审核中的公文提出批注。"),
    "remind": gettext_lazy("只有拟稿人或办公室领导可以催办。"),
    "register": gettext_lazy("只有文书人员可以登记发文字号。"),
    "withdraw": gettext_lazy("只有文书人员可以撤回已登记的公文。"),
    "archive": gettext_lazy("只有文书人员可以归档公文。"),
    "acknowledge": gettext_lazy("只有收文单位可以签收该公文。"),
}

# What the assignee of a review step may do with it (approve, return, delegate).
STEP_ACTIONS = frozenset({"approve", "return", "delegate"})


def step_access_for_action(*, actor: Actor, step: ReviewStep, action: str) -> ReviewStep:
    """The step if ``actor`` may act on it: approve, return and delegate are the assignee's only; 催办 the
    drafter's or a leader's. Out of the document's scope → NotFound."""
    if action not in STEP_ACTIONS and action != "remind":
        raise ValueError(f"unknown step action {action!r}")
    document = step.document
    if actor is None or not can_view(actor, document):
        raise not_found(_("未找到该公文，或您无权查看。"))
    if action == "remind":
        document_access_for_action(actor=actor, document=document, action="remind")
        return step
    if _person_pk(actor) != step.assignee_id:
        raise Forbidden(_("只有本环节的办理人可以办理。"))
    return step


def can_act_on_step(actor: Actor, step: ReviewStep, action: str) -> bool:
    try:
        step_access_for_action(actor=actor, step=step, action=action)
    except (Forbidden, NotFound):
        return False
    return True


def can_be_assigned(user: Actor) -> bool:
    """Whom the chain may name: active office staff (never an external unit)."""
    return _is_internal(user) and _is_person(user)


def document_access_for_action(*, actor: Actor, document: Document, action: str) -> Document:
    """The document if ``actor`` may do ``action`` on it; NotFound when it is outside the actor's
    scope, Forbidden when they may see it but not do this."""
    rule = _RULES.get(action)
    if rule is None:
        raise ValueError(f"unknown document action {action!r}")
    if actor is None:
        if action in SYSTEM_ACTIONS:
            return document
        raise Forbidden(_("系统只能按规定直接发出公文，不能代替签发人签发。"))
    if not can_view(actor, document):
        raise not_found(_("未找到该公文，或您无权查看。"))
    if not rule(actor, document):
        raise Forbidden(str(_REFUSALS.get(action) or _("您没有执行此操作的权限。")))
    return document


def can_list(actor: Actor) -> bool:
    """Whether the documents pages are the actor's at all (the navigation asks this too)."""
    return _is_internal(actor) or Role.EXTERNAL_UNIT in _roles(actor)


def can_create(actor: Actor) -> bool:
    return actor is None or _is_internal(actor)


def document_create_access(*, actor: Actor) -> None:
    if not can_create(actor):
        raise Forbidden(_("只有机关工作人员可以拟制公文。"))


def can_sign_off(actor: Actor, document: Document) -> bool:
    return actor is not None and can_view(actor, document) and _may_sign_off(actor, document)


def can_grant(actor: Actor, document: Document) -> bool:
    return actor is not None and can_view(actor, document) and _may_grant(actor, document)


def document_permissions(actor: Actor, document: Document) -> dict[str, bool]:
    """For templates (``can.sign_off``, ``can.grant``): the same rules, visibility asked once."""
    visible = actor is not None and can_view(actor, document)
    return {action: visible and rule(actor, document) for action, rule in _RULES.items()}


def grantable_reader(user: Actor) -> bool:
    """A named reader must be office staff: an external unit never sees a classified document."""
    return _is_internal(user)


def document_log_read(*, actor: Actor, document: Document, action: str, request=None) -> None:
    """One row in the classified-access log for every read of a 秘密-or-above document."""
    if document.classification in CLASSIFIED_LEVELS:
        access_log_record(
            actor=actor,
            subject=document,
            action=action,
            request=request,
            classification=document.classification,
        )


def can_resolve_comment(actor: Actor, comment) -> bool:
    person = _person_pk(actor)
    return person is not None and (person == comment.author_id or person == comment.document.created_by_id)


def can_register(actor: Actor) -> bool:
    """The 文书's pages (signed documents to number and publish, the number registers)."""
    return _is_internal(actor) and _is_clerk(actor)


def is_office_staff(actor: Actor) -> bool:
    """The chain, versions and comments are the office's own working papers (a receiving unit sees the
    published text and its own receipt only)."""
    return _is_internal(actor)


def can_use_outgoing_api(actor: Actor) -> bool:
    """The outgoing documents' API is for receiving units (their users and their keys)."""
    return Role.EXTERNAL_UNIT in _roles(actor) and unit_of_user(actor) is not None
