"""Campaigns: open (with the default "next Wednesday 18:00" deadline on the working-day calendar),
close; items submitted by staff or entered for them by a clerk; named or anonymous (blind token)."""

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.files.validation import check_upload
from office.org.models import Staff, Unit
from office.org.types import Actor
from office.workdays.services import next_working_day

from .. import access, conf
from ..models import (
    DEFAULT_PROMPTS,
    Campaign,
    CampaignStatus,
    Channel,
    Prompt,
    Submission,
    SubmissionAttachment,
    Visibility,
)
from ..tokens import author_token
from .common import ANONYMOUS_LABEL, SuggestionError, acting_user, id_or_none, locked_campaign
from .reminders import reminders_start, reminders_stop


def default_deadline(opened_at: datetime) -> datetime:
    """ "下周三以前": the Wednesday (``SUGGESTIONS_DEADLINE_WEEKDAY``) of the week after the one the campaign
    opens in, at ``SUGGESTIONS_DEADLINE_TIME`` (18:00); when that day is not a working day (a holiday on
    the calendar, overrides included) the first working day after it, same time."""
    day = timezone.localtime(opened_at).date()
    next_monday = day + timedelta(days=7 - day.weekday())
    target: date = next_monday + timedelta(days=conf.deadline_weekday())
    target = next_working_day(target)
    return timezone.make_aware(
        datetime.combine(target, conf.deadline_time()), timezone.get_default_timezone()
    )


def _substance(text: str) -> int:
    return sum(1 for ch in text or "" if ch.isalnum())


@transaction.atomic
def campaign_open(
    *,
    actor: Actor,
    title: str,
    prompts=None,
    units=(),
    min_per_person: int | None = None,
    deadline: datetime | None = None,
    clerks=(),
    description: str = "",
    opened_at: datetime | None = None,
) -> Campaign:
    access.require_open_campaign(actor)
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("请填写活动标题。")]
    prompt_texts = [
        p.strip() for p in (prompts if prompts is not None else DEFAULT_PROMPTS) if p and p.strip()
    ]
    if not prompt_texts:
        errors["prompts"] = [_("请至少填写一个征集题目。")]
    minimum = conf.min_per_person() if min_per_person is None else int(min_per_person)
    if minimum < 1:
        errors["min_per_person"] = [_("每人最少条数至少为 1。")]
    opened_at = opened_at or timezone.now()
    deadline = deadline or default_deadline(opened_at)
    if deadline <= opened_at:
        errors["deadline"] = [_("截止时间必须晚于开始时间。")]
    if errors:
        raise SuggestionError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    campaign = Campaign.objects.create(
        title=title,
        description=description,
        min_per_person=minimum,
        opened_at=opened_at,
        deadline=deadline,
        opened_by=acting_user(actor),
    )
    Prompt.objects.bulk_create(
        [Prompt(campaign=campaign, order=i, text=text) for i, text in enumerate(prompt_texts)]
    )
    if units:
        ids = [i for i in (id_or_none(u) for u in units) if i is not None]
        campaign.units.set(Unit.objects.internal().filter(pk__in=ids))
    if clerks:
        ids = [i for i in (id_or_none(u) for u in clerks) if i is not None]
        campaign.clerks.set(get_user_model().objects.filter(pk__in=ids, is_active=True))
    audit_record(
        actor=actor,
        verb="suggestions.campaign_opened",
        subject=campaign,
        data={"deadline": deadline.isoformat(), "min_per_person": minimum, "prompts": prompt_texts},
    )
    reminders_start(campaign=campaign, actor=actor)
    return campaign


@transaction.atomic
def campaign_close(*, actor: Actor, campaign: Campaign | int) -> Campaign:
    campaign = locked_campaign(campaign)
    access.campaign_access_for_action(actor=actor, campaign=campaign, action="close")
    if campaign.status == CampaignStatus.CLOSED:
        raise SuggestionError(_("活动已经结束。"), code="conflict")
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    reminders_stop(campaign=campaign, actor=actor)
    audit_record(actor=actor, verb="suggestions.campaign_closed", subject=campaign)
    return campaign


def _prompt_of(campaign: Campaign, prompt) -> Prompt:
    pk = prompt.pk if isinstance(prompt, Prompt) else prompt
    found = (
        Prompt.objects.filter(campaign=campaign, pk=pk).first()
        if str(pk or "").isdigit() or isinstance(pk, int)
        else None
    )
    if found is None:
        msg = _("请选择本条意见回答的题目。")
        raise SuggestionError(msg, code="invalid", fields={"prompt": [msg]})
    return found


def _create(
    *,
    campaign: Campaign,
    author_user,
    prompt,
    text: str,
    visibility: str,
    channel: str,
    entered_by,
    attachments,
) -> Submission:
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if _substance(text) < 2:
        errors["text"] = [_("请填写意见内容。")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("请选择署名或匿名。")]
    if channel not in Channel.values:
        errors["channel"] = [_("请选择提交方式。")]
    if errors:
        raise SuggestionError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    prompt_row = _prompt_of(campaign, prompt)
    checked = [check_upload(f, field="attachments") for f in attachments or []]
    now = timezone.now()
    anonymous = visibility == Visibility.ANONYMOUS
    submission = Submission.objects.create(
        campaign=campaign,
        prompt=prompt_row,
        text=text,
        visibility=visibility,
        author=None if anonymous else author_user,
        author_token=author_token(campaign_id=campaign.pk, user_id=author_user.pk) if anonymous else "",
        channel=channel,
        entered_by=entered_by,
        submitted_at=now,
        is_late=now > campaign.deadline,
    )
    for c in checked:
        SubmissionAttachment.objects.create(
            submission=submission, file=c.file, name=c.original_name, size=c.size
        )
    return submission


@transaction.atomic
def submission_submit(
    *,
    actor: Actor,
    campaign: Campaign | int,
    prompt,
    text: str,
    visibility: str = Visibility.NAMED,
    attachments=(),
) -> Submission:
    """A participant's own item. An anonymous item's audit row names nobody (actor None, "匿名")."""
    campaign = locked_campaign(campaign)
    access.campaign_access_for_action(actor=actor, campaign=campaign, action="submit")
    submission = _create(
        campaign=campaign,
        author_user=actor,
        prompt=prompt,
        text=text,
        visibility=visibility,
        channel=Channel.WEB,
        entered_by=None,
        attachments=attachments,
    )
    anonymous = submission.is_anonymous
    audit_record(
        actor=None if anonymous else actor,
        actor_label=ANONYMOUS_LABEL if anonymous else "",
        verb="suggestions.submitted",
        subject=submission,
        data={"campaign": campaign.pk, "anonymous": anonymous, "late": submission.is_late},
    )
    return submission


@transaction.atomic
def submission_enter_for(
    *,
    actor: Actor,
    campaign: Campaign | int,
    author: Staff | int,
    prompt,
    text: str,
    channel: str,
    visibility: str = Visibility.NAMED,
    attachments=(),
) -> Submission:
    """A clerk (or the director) enters an item received by WeChat, QQ mail or on paper, with the original
    as an attachment. The clerk knows the sender; the system still stores only the blind token when the
    sender asked for anonymity, and the audit row names the clerk, not the author."""
    campaign = locked_campaign(campaign)
    access.campaign_access_for_action(actor=actor, campaign=campaign, action="enter_for")
    if channel == Channel.WEB:
        msg = _("代录请选择微信、QQ邮箱或纸质材料。")
        raise SuggestionError(msg, code="invalid", fields={"channel": [msg]})
    staff_pk = author.pk if isinstance(author, Staff) else author
    staff = (
        access.participants_qs(campaign).select_related("user").filter(pk=staff_pk).first()
        if str(staff_pk or "").isdigit() or isinstance(staff_pk, int)
        else None
    )
    if staff is None:
        msg = _("请选择参加本次活动的提交人。")
        raise SuggestionError(msg, code="invalid", fields={"author": [msg]})
    if not attachments:
        msg = _("请上传原件（截图、邮件或纸质材料扫描件）。")
        raise SuggestionError(msg, code="invalid", fields={"attachments": [msg]})
    submission = _create(
        campaign=campaign,
        author_user=staff.user,
        prompt=prompt,
        text=text,
        visibility=visibility,
        channel=channel,
        entered_by=actor,
        attachments=attachments,
    )
    audit_record(
        actor=actor,
        verb="suggestions.entered",
        subject=submission,
        data={"campaign": campaign.pk, "channel": channel, "anonymous": submission.is_anonymous},
    )
    return submission
