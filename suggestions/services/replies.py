"""Triage (tags, merge, mark, assign with a reply deadline on the clock), the coded reply, the author's one
answer, and turning an item into a supervision item or an internal assignment in one step."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.notifications.services import notify
from office.org.types import Actor
from office.workdays.services import add_working_days

from .. import access, conf
from ..models import ReplyCode, Submission, SubmissionStatus, Tag
from .common import (
    SuggestionError,
    acting_user,
    author_side_actor,
    check_version,
    id_or_none,
    locked_submission,
)
from .reminders import reply_ladder_start, reply_ladder_stop

# "收到", "已阅", "好的"… and anything else short of substance is not a reply.
BARE_REPLIES = {"收到", "已收到", "已阅", "阅", "好的", "知道了", "同意", "已知悉", "知悉", "ok", "OK"}


def substance(text: str) -> int:
    """Letters, digits and CJK characters: punctuation and spaces are not substance."""
    return sum(1 for ch in (text or "") if ch.isalnum())


def _bump(sub: Submission, fields: list[str]) -> None:
    sub.version += 1
    sub.save(update_fields=[*fields, "version"])


@transaction.atomic
def submission_triage(
    *,
    actor: Actor,
    submission: Submission | int,
    tags=None,
    is_marked: bool | None = None,
    version=None,
) -> Submission:
    sub = locked_submission(submission)
    access.submission_access_for_action(actor=actor, submission=sub, action="triage")
    check_version(sub, version)
    fields = []
    if is_marked is not None and is_marked != sub.is_marked:
        sub.is_marked = bool(is_marked)
        fields.append("is_marked")
    if tags is not None:
        names = [t.strip() for t in tags if t and str(t).strip()]
        rows = [Tag.objects.get_or_create(name=n[:40])[0] for n in names]
        sub.tags.set(rows)
    _bump(sub, fields)
    audit_record(
        actor=actor,
        verb="suggestions.triaged",
        subject=sub,
        data={"tags": sorted(t.name for t in sub.tags.all()), "marked": sub.is_marked},
    )
    return sub


@transaction.atomic
def submission_merge(
    *, actor: Actor, submission: Submission | int, into: Submission | int, version=None
) -> Submission:
    """Merge a duplicate into another item of the same campaign: it is answered with that item."""
    sub = locked_submission(submission)
    access.submission_access_for_action(actor=actor, submission=sub, action="triage")
    check_version(sub, version)
    main = Submission.objects.select_for_update().filter(pk=id_or_none(into) or 0).first()
    if main is None or main.pk == sub.pk or main.campaign_id != sub.campaign_id:
        msg = _("只能合并到同一活动中的另一条意见。")
        raise SuggestionError(msg, code="invalid", fields={"into": [msg]})
    if main.status == SubmissionStatus.MERGED:
        msg = _("不能合并到已被合并的意见，请选择主条。")
        raise SuggestionError(msg, code="invalid", fields={"into": [msg]})
    if sub.replied_at is not None:
        raise SuggestionError(_("已答复的意见不能再合并。"), code="conflict")
    sub.merged_into, sub.status = main, SubmissionStatus.MERGED
    _bump(sub, ["merged_into", "status"])
    reply_ladder_stop(submission=sub, actor=actor)
    audit_record(actor=actor, verb="suggestions.merged", subject=sub, data={"into": main.pk})
    return sub


@transaction.atomic
def submission_assign(
    *,
    actor: Actor,
    submission: Submission | int,
    assignee,
    reply_due_at: datetime | None = None,
    version=None,
) -> Submission:
    """Assign an item to a deputy (or keep it, assignee = the director) with a reply deadline on the clock."""
    sub = locked_submission(submission)
    access.submission_access_for_action(actor=actor, submission=sub, action="triage")
    check_version(sub, version)
    if sub.status in (SubmissionStatus.MERGED, SubmissionStatus.REPLIED):
        raise SuggestionError(_("已答复或已合并的意见不能再交办。"), code="conflict")
    allowed = access.reply_assignees().filter(pk=id_or_none(assignee) or 0).first()
    if allowed is None:
        msg = _("请选择承办答复的副主任。")
        raise SuggestionError(msg, code="invalid", fields={"assignee": [msg]})
    due = reply_due_at or add_working_days(timezone.now(), conf.reply_working_days())
    if due <= timezone.now():
        msg = _("答复期限必须晚于现在。")
        raise SuggestionError(msg, code="invalid", fields={"reply_due_at": [msg]})
    sub.assignee, sub.reply_due_at, sub.status = allowed, due, SubmissionStatus.ASSIGNED
    _bump(sub, ["assignee", "reply_due_at", "status"])
    reply_ladder_start(submission=sub, actor=actor)
    audit_record(
        actor=actor,
        verb="suggestions.assigned",
        subject=sub,
        data={"assignee": allowed.pk, "reply_due_at": due.isoformat()},
    )
    if allowed.pk != getattr(actor, "pk", None):
        notify(
            recipients=[allowed],
            subject=sub,
            step=f"assigned:{sub.version}",
            title=_("请答复干部意见建议（{date}前）").format(
                date=timezone.localtime(due).strftime("%m月%d日")
            ),
            body=sub.text[:200],
            url=reverse("suggestions:submission", kwargs={"pk": sub.pk}),
            level="info",
        )
    return sub


def check_reply(*, code: str, text: str, reason: str, refused: bool) -> dict[str, list[str]]:
    """The form's and the service's one rule: a coded reply of substance; a D or a refusal gives its reason."""
    errors: dict[str, list[str]] = {}
    minimum = conf.min_reply_chars()
    if code not in ReplyCode.values:
        errors["code"] = [_("请选择答复结果：A 已解决、B 正在解决、C 列入计划、D 留作参考。")]
    stripped = (text or "").strip().rstrip("。.!！")
    if stripped in BARE_REPLIES or substance(text) < minimum:
        errors["text"] = [
            _("答复不能只写“收到”：请写明怎么解决、何时解决或为什么不能解决（至少 {n} 个字）。").format(
                n=minimum
            )
        ]
    if (code == ReplyCode.D or refused) and substance(reason) < minimum:
        errors["reason"] = [_("“留作参考”或不予采纳必须说明理由（至少 {n} 个字）。").format(n=minimum)]
    return errors


@transaction.atomic
def submission_reply(
    *,
    actor: Actor,
    submission: Submission | int,
    code: str,
    text: str,
    reason: str = "",
    refused: bool = False,
    version=None,
) -> Submission:
    sub = locked_submission(submission)
    access.submission_access_for_action(actor=actor, submission=sub, action="reply")
    check_version(sub, version)
    errors = check_reply(code=code, text=text, reason=reason, refused=refused)
    if errors:
        raise SuggestionError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    first = sub.replied_at is None
    sub.reply_code, sub.reply_text, sub.reply_reason, sub.reply_refused = (
        code,
        text.strip(),
        reason.strip(),
        bool(refused),
    )
    sub.replied_by, sub.replied_at, sub.status = acting_user(actor), timezone.now(), SubmissionStatus.REPLIED
    if not first:  # a changed reply may be answered again
        sub.answered_at, sub.answer_satisfied, sub.answer_comment = None, None, ""
    _bump(
        sub,
        [
            "reply_code",
            "reply_text",
            "reply_reason",
            "reply_refused",
            "replied_by",
            "replied_at",
            "status",
            "answered_at",
            "answer_satisfied",
            "answer_comment",
        ],
    )
    reply_ladder_stop(submission=sub, actor=actor)
    audit_record(
        actor=actor,
        verb="suggestions.replied",
        subject=sub,
        data={"code": code, "refused": bool(refused), "on_time": sub.reply_on_time},
    )
    _tell_author(sub)
    return sub


def _tell_author(sub: Submission) -> None:
    """The author of a named item is told in the inbox. An anonymous author is not: a notification row
    would name its recipient beside the item. He sees the reply under 我的意见 (found by his token)."""
    if sub.is_anonymous or sub.author is None:
        return
    notify(
        recipients=[sub.author],
        subject=sub,
        step=f"replied:{sub.version}",
        title=_("您提的意见已答复：{code}").format(code=ReplyCode(sub.reply_code).label),
        body=sub.reply_text[:200],
        url=reverse("suggestions:submission", kwargs={"pk": sub.pk}),
        level="info",
    )


@transaction.atomic
def submission_answer(
    *, actor: Actor, submission: Submission | int, satisfied: bool, comment: str = ""
) -> Submission:
    """The author answers the reply once: satisfied or not, with a comment (required when not)."""
    sub = locked_submission(submission)
    access.submission_access_for_action(actor=actor, submission=sub, action="answer")
    if sub.replied_at is None:
        raise SuggestionError(_("尚未答复，暂不能回应。"), code="conflict")
    if sub.answered_at is not None:
        raise SuggestionError(_("您已回应过本次答复。"), code="conflict")
    if satisfied is None:
        msg = _("请选择满意或不满意。")
        raise SuggestionError(msg, code="invalid", fields={"satisfied": [msg]})
    if not satisfied and substance(comment) < 2:
        msg = _("不满意请写明原因。")
        raise SuggestionError(msg, code="invalid", fields={"comment": [msg]})
    sub.answer_satisfied, sub.answer_comment, sub.answered_at = (
        bool(satisfied),
        comment.strip(),
        timezone.now(),
    )
    _bump(sub, ["answer_satisfied", "answer_comment", "answered_at"])
    who, label = author_side_actor(actor=actor, submission=sub)
    audit_record(
        actor=who,
        actor_label=label,
        verb="suggestions.answered",
        subject=sub,
        data={"satisfied": bool(satisfied)},
    )
    return sub


@transaction.atomic
def submission_to_supervision(
    *,
    actor: Actor,
    submission: Submission | int,
    title: str,
    assignee=None,
    lead_unit=None,
    due=None,
    version=None,
) -> Submission:
    """One step: a supervision item (lead unit) or an internal assignment (assignee), created by
    supervision's own service; the item's id is kept here, so the reply follows that item's status."""
    from supervision.models import Category, Source
    from supervision.services.items import item_create

    sub = locked_submission(submission)
    access.submission_access_for_action(actor=actor, submission=sub, action="to_supervision")
    check_version(sub, version)
    if sub.supervision_item_id:
        raise SuggestionError(
            _("该意见已转为督办事项 {n}。").format(n=sub.supervision_item_number), code="conflict"
        )
    title = (title or "").strip()
    if not title:
        msg = _("请填写督办事项标题。")
        raise SuggestionError(msg, code="invalid", fields={"title": [msg]})
    item = item_create(
        actor=actor,
        title=title[:200],
        requirement=_("来自“出点子、吐心声”意见（第 {pk} 条）：{text}").format(pk=sub.pk, text=sub.text),
        source=Source.INTERNAL,
        category=Category.OTHER,
        lead_unit=lead_unit,
        assignee=assignee,
        due=due,
    )
    sub.supervision_item_id, sub.supervision_item_number = item.pk, item.number
    if sub.status == SubmissionStatus.NEW:
        sub.status = SubmissionStatus.ASSIGNED
    _bump(sub, ["supervision_item_id", "supervision_item_number", "status"])
    audit_record(
        actor=actor,
        verb="suggestions.to_supervision",
        subject=sub,
        data={"item": item.pk, "number": item.number},
    )
    return sub
