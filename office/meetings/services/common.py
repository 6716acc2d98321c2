"""What the meeting services share: the error type and row locks."""

from django.utils.translation import gettext as _

from office.errors import ServiceError, not_found

from ..models import Meeting, MeetingStatus


class MeetingError(ServiceError):
    """A rule of 办会 was broken; the message is for a clerk."""


def locked_meeting(meeting) -> Meeting:
    pk = meeting.pk if isinstance(meeting, Meeting) else meeting
    row = Meeting.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise not_found()
    return row


def require_not_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingError(_("会议已取消。"), code="conflict")


def user_or_none(actor):
    from django.contrib.auth import get_user_model

    return actor if isinstance(actor, get_user_model()) else None
