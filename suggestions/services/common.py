"""What the suggestion services share: the error type, row locks and the audit actor of an item."""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from office.errors import ServiceError, forbidden, not_found
from office.org.types import Actor

from ..models import Campaign, Submission, Talk

ANONYMOUS_LABEL = "匿名"


class SuggestionError(ServiceError):
    """A rule of the campaign was broken; the message is for a clerk."""


def locked_campaign(campaign) -> Campaign:
    pk = campaign.pk if isinstance(campaign, Campaign) else campaign
    row = Campaign.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise not_found()
    return row


def locked_submission(submission) -> Submission:
    pk = submission.pk if isinstance(submission, Submission) else submission
    row = Submission.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise not_found()
    return row


def locked_talk(talk) -> Talk:
    pk = talk.pk if isinstance(talk, Talk) else talk
    row = Talk.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise not_found()
    return row


def check_version(obj, version) -> None:
    """Optimistic locking: two people editing the same row; the second is told, not overwritten."""
    if version is None or str(version) == "":
        return
    if int(version) != obj.version:
        raise SuggestionError(_("该记录已被他人修改，请刷新页面后重试。"), code="conflict")


def acting_user(actor: Actor) -> User:
    """The signed-in person acting (the access module has already admitted them)."""
    if isinstance(actor, User):
        return actor
    raise forbidden(_("请以办公室工作人员身份登录后操作。"))


def id_or_none(value) -> int | None:
    if isinstance(value, int):
        return value
    text = str(getattr(value, "pk", value) or "")
    return int(text) if text.isdigit() else None


def author_side_actor(*, actor: Actor, submission: Submission) -> tuple[Actor, str]:
    """The (actor, actor_label) an audit row of the author's own act names: nobody, for an anonymous
    item (the audit trail must not tie the author to it)."""
    if submission.is_anonymous:
        return None, ANONYMOUS_LABEL
    return actor, ""
