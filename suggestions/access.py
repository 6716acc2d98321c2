"""Who may see and do what in 出点子、吐心声: the only place of these rules.

- Campaigns are the office's own: every office staff member sees an open campaign (title, prompts,
  deadline); external units never. The director (``SUGGESTION_MANAGER_ROLES``) opens, closes, triages,
  reads every item, sees the summary and the statistics.
- A participant is an active office staff member of the campaign's units (all internal units when none
  is chosen), the director excepted. Only participants submit; the director and the campaign's clerks
  (代录人员, e.g. his secretary) enter items received by WeChat, QQ mail or on paper on an author's behalf.
- An item is seen by the director, the deputy it is assigned to (without the author), the clerk who
  entered it, and its author. The author of an anonymous item is known to nobody: the item stores no
  author, only a blind token; "is it mine?" is answered here by recomputing the signed-in person's token,
  never in a view.
- The author's name of a named item: the director and the author only ("署名（仅主任可见）").
- The short list (who is below the minimum) after the deadline: the director (all), a deputy (the
  sections in his charge), a section chief (his own section). Names and counts, never text.
- Talks: the director and the person talked to. The notes: the talk's director and the person only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from office.errors import Forbidden, NotFound, forbidden, not_found
from office.org.models import Role, Staff, UnitKind
from office.org.principals import UnitPrincipal
from office.org.roles import SUGGESTION_MANAGER_ROLES, has_role, is_internal
from office.org.types import Actor

from .models import Campaign, CampaignStatus, Submission, SubmissionStatus, Talk, TalkStatus
from .tokens import author_token

CAMPAIGN_ACTIONS = ("view", "submit", "enter_for", "short_list", "summary", "close", "triage")
SUBMISSION_ACTIONS = ("view", "see_author", "triage", "reply", "answer", "to_supervision", "attachment")
TALK_ACTIONS = ("view", "respond", "notes_view", "notes_write", "followup", "cancel")


def is_system(actor: Actor) -> bool:
    return actor is None


def _user(actor: Actor):
    if actor is None or isinstance(actor, UnitPrincipal) or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def is_office_staff(actor: Actor) -> bool:
    return _user(actor) is not None and is_internal(actor)


def is_manager(actor: Actor) -> bool:
    return _user(actor) is not None and has_role(actor, *SUGGESTION_MANAGER_ROLES)


def _staff(actor: Actor) -> Staff | None:
    user = _user(actor)
    if user is None:
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


# --- participants ------------------------------------------------------------------------------


def participants_qs(campaign: Campaign) -> QuerySet[Staff]:
    """Who must take part: active office staff of the campaign's units (and their sub-units), or of every
    internal unit; the director (who reads the items) is not asked to write to himself."""
    managers = list(users_with_role_ids(SUGGESTION_MANAGER_ROLES))
    qs = Staff.objects.filter(
        is_active=True,
        user__is_active=True,
        unit__kind__in=[UnitKind.OFFICE, UnitKind.SECTION],
    ).exclude(user_id__in=managers)
    unit_ids = [u.pk for u in campaign.units.all()]
    if unit_ids:
        qs = qs.filter(Q(unit_id__in=unit_ids) | Q(unit__parent_id__in=unit_ids))
    return qs


def users_with_role_ids(roles) -> list[int]:
    """The ids of the (few) holders of ``roles``: excluded by id, not by a join per participant."""
    from django.contrib.auth.models import User

    return list(User.objects.filter(groups__name__in=list(roles)).values_list("pk", flat=True).distinct())


def is_participant(actor: Actor, campaign: Campaign) -> bool:
    user = _user(actor)
    return user is not None and participants_qs(campaign).filter(user_id=user.pk).exists()


def is_clerk(actor: Actor, campaign: Campaign) -> bool:
    user = _user(actor)
    return user is not None and campaign.clerks.filter(pk=user.pk).exists()


# --- campaigns ---------------------------------------------------------------------------------


def campaign_scope(*, actor: Actor, qs: QuerySet[Campaign]) -> QuerySet[Campaign]:
    if is_system(actor) or is_office_staff(actor):
        return qs
    return qs.none()


def can_list(actor: Actor) -> bool:
    return is_office_staff(actor)


def can_open_campaign(actor: Actor) -> bool:
    return is_system(actor) or is_manager(actor)


def require_open_campaign(actor: Actor) -> None:
    if not can_open_campaign(actor):
        raise forbidden(_("只有主任可以发起征集活动。"))


def campaign_access_for_action(*, actor: Actor, campaign: Campaign, action: str) -> Campaign:
    if action not in CAMPAIGN_ACTIONS:
        raise ValueError(f"unknown campaign action {action!r}")
    if not (is_system(actor) or is_office_staff(actor)):
        raise not_found()
    if is_system(actor):
        return campaign
    if action == "view":
        return campaign
    if action == "submit":
        if campaign.status != CampaignStatus.OPEN:
            raise forbidden(_("本次征集活动已结束，不能再提交。"))
        if not is_participant(actor, campaign):
            raise forbidden(_("您不在本次征集活动的参加人员名单中。"))
        return campaign
    if action == "enter_for":
        if campaign.status != CampaignStatus.OPEN:
            raise forbidden(_("本次征集活动已结束，不能再录入。"))
        if is_manager(actor) or is_clerk(actor, campaign):
            return campaign
        raise forbidden(_("只有主任或指定的代录人员可以代为录入。"))
    if action == "short_list":
        if is_manager(actor) or has_role(actor, Role.DEPUTY_DIRECTOR, Role.SECTION_CHIEF):
            return campaign
        raise forbidden(_("只有主任、分管副主任和科长可以查看未交齐名单。"))
    # summary, close, triage
    if is_manager(actor):
        return campaign
    raise forbidden(_("只有主任可以进行此操作。"))


def short_list_units(actor: Actor) -> set[int] | None:
    """The sections whose short list the actor sees: None = all (the director)."""
    if is_system(actor) or is_manager(actor):
        return None
    staff = _staff(actor)
    if staff is None:
        return set()
    units: set[int] = set()
    if has_role(actor, Role.DEPUTY_DIRECTOR):
        units |= set(staff.sections_in_charge.values_list("pk", flat=True))
    if has_role(actor, Role.SECTION_CHIEF):
        units.add(staff.unit_id)
        units |= set(staff.user.headed_units.values_list("pk", flat=True))
    return units


def campaign_permissions(actor: Actor, campaign: Campaign) -> dict[str, bool]:
    can = {}
    for action in CAMPAIGN_ACTIONS:
        try:
            campaign_access_for_action(actor=actor, campaign=campaign, action=action)
            can[action] = True
        except (Forbidden, NotFound):
            can[action] = False
    return can


# --- submissions -------------------------------------------------------------------------------


def own_tokens(actor: Actor, campaign_ids) -> list[str]:
    user = _user(actor)
    if user is None:
        return []
    return [author_token(campaign_id=cid, user_id=user.pk) for cid in campaign_ids]


def is_author(actor: Actor, submission: Submission) -> bool:
    user = _user(actor)
    if user is None:
        return False
    if submission.author_id is not None:
        return submission.author_id == user.pk
    return bool(submission.author_token) and submission.author_token == author_token(
        campaign_id=submission.campaign_id, user_id=user.pk
    )


def own_q(actor: Actor) -> Q:
    """The actor's own items, named or anonymous (by recomputing the actor's tokens)."""
    user = _user(actor)
    if user is None:
        return Q(pk__in=[])
    ids = list(Campaign.objects.values_list("pk", flat=True))
    return Q(author_id=user.pk) | Q(author_token__in=own_tokens(actor, ids))


def submission_scope(*, actor: Actor, qs: QuerySet[Submission]) -> QuerySet[Submission]:
    """Every item for the director (and the system); the items assigned to a deputy; the items a clerk
    entered; one's own. Nothing for anyone else (or outside the office)."""
    if is_system(actor) or is_manager(actor):
        return qs
    user = _user(actor)
    if user is None or not is_office_staff(actor):
        return qs.none()
    return qs.filter(Q(assignee_id=user.pk) | Q(entered_by_id=user.pk) | own_q(actor))


def submission_access_for_action(*, actor: Actor, submission: Submission, action: str) -> Submission:
    if action not in SUBMISSION_ACTIONS:
        raise ValueError(f"unknown submission action {action!r}")
    if is_system(actor):
        return submission
    user = _user(actor)
    if user is None or not is_office_staff(actor):
        raise not_found()
    manager = is_manager(actor)
    author = is_author(actor, submission)
    assignee = submission.assignee_id == user.pk
    clerk = submission.entered_by_id == user.pk
    if not (manager or author or assignee or clerk):
        raise not_found()
    if action in ("view", "attachment"):
        return submission
    if action == "see_author":
        if submission.is_anonymous:
            raise forbidden(_("匿名意见不显示作者。"))
        if manager or author:
            return submission
        raise forbidden(_("署名意见的作者仅主任可见。"))
    if action == "reply":
        if submission.status == SubmissionStatus.MERGED:
            raise forbidden(_("已合并的意见随主条答复。"))
        if manager or assignee:
            return submission
        raise forbidden(_("只有主任或承办的副主任可以答复。"))
    if action == "answer":
        if not author:
            raise forbidden(_("只有作者本人可以回应答复。"))
        return submission
    # triage, to_supervision
    if manager:
        return submission
    raise forbidden(_("只有主任可以进行此操作。"))


def submission_permissions(actor: Actor, submission: Submission) -> dict[str, bool]:
    can = {}
    for action in SUBMISSION_ACTIONS:
        try:
            submission_access_for_action(actor=actor, submission=submission, action=action)
            can[action] = True
        except (Forbidden, NotFound):
            can[action] = False
    return can


# --- talks -------------------------------------------------------------------------------------


def talk_scope(*, actor: Actor, qs: QuerySet[Talk]) -> QuerySet[Talk]:
    if is_system(actor):
        return qs
    user = _user(actor)
    if user is None or not is_office_staff(actor):
        return qs.none()
    if is_manager(actor):
        return qs.filter(Q(director_id=user.pk) | Q(person_id=user.pk))
    return qs.filter(person_id=user.pk)


def can_schedule_talk(actor: Actor) -> bool:
    return is_system(actor) or is_manager(actor)


def talk_access_for_action(*, actor: Actor, talk: Talk, action: str) -> Talk:
    if action not in TALK_ACTIONS:
        raise ValueError(f"unknown talk action {action!r}")
    if is_system(actor):
        return talk
    user = _user(actor)
    if user is None:
        raise not_found()
    is_director = talk.director_id == user.pk and is_manager(actor)
    is_person = talk.person_id == user.pk
    if not (is_director or is_person):
        raise not_found()
    if action in ("view", "notes_view"):
        return talk
    if action == "respond":
        if not is_person:
            raise forbidden(_("只有谈话对象可以确认或建议改期。"))
        if talk.status not in (TalkStatus.PROPOSED, TalkStatus.RESCHEDULE):
            raise forbidden(_("该谈话已不能确认或改期。"))
        return talk
    if not is_director:
        raise forbidden(_("只有主任可以进行此操作。"))
    if action == "cancel" and talk.status == TalkStatus.DONE:
        raise forbidden(_("已完成的谈话不能取消。"))
    if action == "notes_write" and talk.status == TalkStatus.CANCELLED:
        raise forbidden(_("已取消的谈话不能记录。"))
    return talk


def talk_permissions(actor: Actor, talk: Talk) -> dict[str, bool]:
    can = {}
    for action in TALK_ACTIONS:
        try:
            talk_access_for_action(actor=actor, talk=talk, action=action)
            can[action] = True
        except (Forbidden, NotFound):
            can[action] = False
    return can


def is_past_deadline(campaign: Campaign) -> bool:
    return timezone.now() > campaign.deadline


def reply_assignees():
    """Who may be given an item to answer (and a talk's follow-up): the director and the deputies. The one
    list the triage form offers and the service accepts."""
    from office.org.selectors import leaders

    return leaders()
