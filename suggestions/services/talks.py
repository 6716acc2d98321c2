"""One-on-one talks: the director schedules, the person accepts or proposes another time, the director
writes the notes (visible to the two of them only: the audit rows name the talk, never the notes' text),
and follow-up actions become internal assignments (supervision items with an assignee)."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.notifications.services import notify
from office.org.types import Actor

from .. import access
from ..models import Submission, Talk, TalkFollowUp, TalkNote, TalkStatus
from .common import SuggestionError, acting_user, check_version, locked_talk


def _url(talk: Talk) -> str:
    return reverse("suggestions:talk", kwargs={"pk": talk.pk})


@transaction.atomic
def talk_schedule(
    *,
    actor: Actor,
    person,
    scheduled_at: datetime,
    place: str,
    topics: str,
    submission: Submission | None = None,
    campaign=None,
) -> Talk:
    if not access.can_schedule_talk(actor):
        raise SuggestionError(_("只有主任可以安排谈心谈话。"), code="forbidden")
    user_model = get_user_model()
    pk = person.pk if isinstance(person, user_model) else person
    errors: dict[str, list[str]] = {}
    person_row = (
        user_model.objects.filter(pk=pk, is_active=True, staff__isnull=False).first()
        if str(pk or "").isdigit() or isinstance(pk, int)
        else None
    )
    if person_row is None:
        errors["person"] = [_("请选择谈话对象。")]
    if scheduled_at is None or scheduled_at <= timezone.now():
        errors["scheduled_at"] = [_("谈话时间必须晚于现在。")]
    if not (place or "").strip():
        errors["place"] = [_("请填写地点。")]
    if not (topics or "").strip():
        errors["topics"] = [_("请填写谈话主题。")]
    if errors or person_row is None:
        raise SuggestionError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    if submission is not None:
        access.submission_access_for_action(actor=actor, submission=submission, action="triage")
        campaign = submission.campaign
    talk = Talk.objects.create(
        campaign=campaign,
        submission=submission,
        director=acting_user(actor),
        person=person_row,
        scheduled_at=scheduled_at,
        place=place.strip(),
        topics=topics.strip(),
    )
    audit_record(
        actor=actor, verb="suggestions.talk_scheduled", subject=talk, data={"at": scheduled_at.isoformat()}
    )
    notify(
        recipients=[person_row],
        subject=talk,
        step="scheduled",
        title=_("主任约您谈心谈话：{at}，{place}").format(
            at=timezone.localtime(scheduled_at).strftime("%m月%d日 %H:%M"), place=talk.place
        ),
        body=talk.topics[:200],
        url=_url(talk),
    )
    return talk


@transaction.atomic
def talk_respond(
    *,
    actor: Actor,
    talk: Talk | int,
    accept: bool,
    proposed_at: datetime | None = None,
    note: str = "",
    version=None,
) -> Talk:
    talk = locked_talk(talk)
    access.talk_access_for_action(actor=actor, talk=talk, action="respond")
    check_version(talk, version)
    if accept:
        talk.status, talk.proposed_at, talk.proposal_note = TalkStatus.ACCEPTED, None, ""
    else:
        if proposed_at is None or proposed_at <= timezone.now():
            msg = _("请填写建议的谈话时间（晚于现在）。")
            raise SuggestionError(msg, code="invalid", fields={"proposed_at": [msg]})
        talk.status, talk.proposed_at, talk.proposal_note = (
            TalkStatus.RESCHEDULE,
            proposed_at,
            note.strip()[:200],
        )
    talk.version += 1
    talk.save(update_fields=["status", "proposed_at", "proposal_note", "version"])
    audit_record(actor=actor, verb="suggestions.talk_responded", subject=talk, data={"accept": bool(accept)})
    if not accept:
        notify(
            recipients=[talk.director],
            subject=talk,
            step=f"reschedule:{talk.version}",
            title=_("谈话对象建议改期：{at}").format(
                at=timezone.localtime(proposed_at).strftime("%m月%d日 %H:%M")
            ),
            url=_url(talk),
        )
    return talk


@transaction.atomic
def talk_reschedule(*, actor: Actor, talk: Talk | int, scheduled_at: datetime, version=None) -> Talk:
    """The director sets a new time (e.g. the one proposed); the person confirms again."""
    talk = locked_talk(talk)
    access.talk_access_for_action(actor=actor, talk=talk, action="cancel")
    check_version(talk, version)
    if scheduled_at is None or scheduled_at <= timezone.now():
        msg = _("谈话时间必须晚于现在。")
        raise SuggestionError(msg, code="invalid", fields={"scheduled_at": [msg]})
    talk.scheduled_at, talk.status, talk.proposed_at = scheduled_at, TalkStatus.PROPOSED, None
    talk.version += 1
    talk.save(update_fields=["scheduled_at", "status", "proposed_at", "version"])
    audit_record(
        actor=actor, verb="suggestions.talk_rescheduled", subject=talk, data={"at": scheduled_at.isoformat()}
    )
    notify(
        recipients=[talk.person],
        subject=talk,
        step=f"rescheduled:{talk.version}",
        title=_("谈心谈话时间已调整：{at}").format(
            at=timezone.localtime(scheduled_at).strftime("%m月%d日 %H:%M")
        ),
        url=_url(talk),
    )
    return talk


@transaction.atomic
def talk_cancel(*, actor: Actor, talk: Talk | int) -> Talk:
    talk = locked_talk(talk)
    access.talk_access_for_action(actor=actor, talk=talk, action="cancel")
    talk.status = TalkStatus.CANCELLED
    talk.version += 1
    talk.save(update_fields=["status", "version"])
    audit_record(actor=actor, verb="suggestions.talk_cancelled", subject=talk)
    return talk


@transaction.atomic
def talk_write_notes(*, actor: Actor, talk: Talk | int, text: str, version=None) -> Talk:
    """The notes after the talk. The audit row says that notes were written, never what they say."""
    talk = locked_talk(talk)
    access.talk_access_for_action(actor=actor, talk=talk, action="notes_write")
    check_version(talk, version)
    if not (text or "").strip():
        msg = _("请填写谈话记录。")
        raise SuggestionError(msg, code="invalid", fields={"text": [msg]})
    TalkNote.objects.update_or_create(
        talk=talk, defaults={"text": text.strip(), "written_at": timezone.now()}
    )
    talk.status = TalkStatus.DONE
    talk.version += 1
    talk.save(update_fields=["status", "version"])
    audit_record(actor=actor, verb="suggestions.talk_notes_written", subject=talk, data={})
    return talk


@transaction.atomic
def talk_followup(*, actor: Actor, talk: Talk | int, title: str, assignee, due=None) -> TalkFollowUp:
    """A follow-up action becomes an internal assignment (supervision's own service creates it)."""
    from supervision.models import Category, Source
    from supervision.services.items import item_create

    talk = locked_talk(talk)
    access.talk_access_for_action(actor=actor, talk=talk, action="followup")
    title = (title or "").strip()
    if not title:
        msg = _("请填写后续事项。")
        raise SuggestionError(msg, code="invalid", fields={"title": [msg]})
    if not assignee:
        msg = _("请选择承办人。")
        raise SuggestionError(msg, code="invalid", fields={"assignee": [msg]})
    item = item_create(
        actor=actor,
        title=title[:200],
        requirement=_("谈心谈话后续事项：{title}").format(title=title),
        source=Source.INTERNAL,
        category=Category.OTHER,
        assignee=assignee,
        due=due,
    )
    row = TalkFollowUp.objects.create(
        talk=talk, title=title[:200], supervision_item_id=item.pk, supervision_item_number=item.number
    )
    audit_record(actor=actor, verb="suggestions.talk_followup", subject=talk, data={"item": item.pk})
    return row
