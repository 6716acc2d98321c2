"""Every read of 出点子、吐心声, scoped by the access module.

The progress of a campaign (who is below the minimum) takes a fixed number of queries whatever the
number of staff: the participants, the named items counted per author, the anonymous items counted per
blind token; the tokens are recomputed in memory (one HMAC per participant)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from office.errors import not_found
from office.files.registry import ProtectedFile
from office.org.types import Actor

from . import access
from .models import (
    Campaign,
    Prompt,
    ReplyCode,
    Submission,
    SubmissionAttachment,
    SubmissionStatus,
    Tag,
    Talk,
)
from .tokens import tokens_by_user

# --- campaigns -----------------------------------------------------------------------------------


def campaign_list_for_user(*, user: Actor) -> QuerySet[Campaign]:
    return access.campaign_scope(actor=user, qs=Campaign.objects.all()).annotate(
        item_count=Count("submissions")
    )


def campaign_get_for_user(*, user: Actor, id) -> Campaign:
    qs = access.campaign_scope(
        actor=user,
        qs=Campaign.objects.prefetch_related(Prefetch("prompts", Prompt.objects.order_by("order"))),
    )
    campaign = qs.filter(pk=id).first() if str(id).isdigit() else None
    if campaign is None:
        raise not_found()
    return campaign


@dataclass
class Person:
    staff_id: int
    user_id: int
    name: str
    unit_id: int
    unit_name: str
    count: int = 0


@dataclass
class SectionShort:
    unit_id: int
    unit_name: str
    people: list[Person] = field(default_factory=list)

    @property
    def line(self) -> str:
        """The section's short people in one line (a page of 3,000 staff renders it fast)."""
        return "、".join(f"{p.name}（{p.count}）" for p in self.people)


@dataclass
class Progress:
    participants: int
    done: int
    short: list[Person]

    @property
    def short_count(self) -> int:
        return len(self.short)


def _counts(campaign: Campaign) -> tuple[dict[int, int], dict[str, int]]:
    """Items per named author and per blind token, in one grouped query."""
    named: dict[int, int] = {}
    anonymous: dict[str, int] = {}
    rows = (
        Submission.objects.filter(campaign=campaign)
        .order_by()
        .values_list("author_id", "author_token")
        .annotate(n=Count("id"))
    )
    for author_id, token, n in rows:
        if author_id is not None:
            named[author_id] = named.get(author_id, 0) + n
        elif token:
            anonymous[token] = anonymous.get(token, 0) + n
    return named, anonymous


def campaign_progress(campaign: Campaign) -> Progress:
    """Each participant's count of items (named and anonymous alike) and who is below the minimum.
    Used by the reminders (the system) and, filtered by the access module, by the short list."""
    people = list(
        access.participants_qs(campaign)
        .order_by("unit__sort_order", "unit_id", "id")
        .values_list("pk", "user_id", "name", "unit_id", "unit__name")
    )
    named, anonymous = _counts(campaign)
    if anonymous:
        owners = tokens_by_user(campaign_id=campaign.pk, user_ids=[p[1] for p in people])
        for token, n in anonymous.items():
            uid = owners.get(token)
            if uid is not None:
                named[uid] = named.get(uid, 0) + n
    short: list[Person] = []
    done = 0
    minimum = campaign.min_per_person
    for staff_id, user_id, name, unit_id, unit_name in people:
        count = named.get(user_id, 0)
        if count >= minimum:
            done += 1
        else:
            short.append(Person(staff_id, user_id, name, unit_id, unit_name, count))
    return Progress(participants=len(people), done=done, short=short)


def short_list_for_user(
    *, user: Actor, campaign: Campaign, progress: Progress | None = None
) -> list[SectionShort]:
    """Who is short, by section: names and counts only, never text. The director sees every section,
    a deputy the sections in his charge, a section chief his own."""
    access.campaign_access_for_action(actor=user, campaign=campaign, action="short_list")
    units = access.short_list_units(user)
    sections: dict[int, SectionShort] = {}
    for person in (progress or campaign_progress(campaign)).short:
        if units is not None and person.unit_id not in units:
            continue
        sections.setdefault(person.unit_id, SectionShort(person.unit_id, person.unit_name)).people.append(
            person
        )
    return list(sections.values())


def short_users(campaign: Campaign) -> list:
    from django.contrib.auth import get_user_model

    ids = [p.user_id for p in campaign_progress(campaign).short]
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def my_count(*, user: Actor, campaign: Campaign) -> int:
    return Submission.objects.filter(campaign=campaign).filter(access.own_q(user)).count()


# --- submissions ---------------------------------------------------------------------------------


def submission_list_for_user(
    *, user: Actor, campaign: Campaign | None = None, filters: dict | None = None
) -> QuerySet[Submission]:
    qs = Submission.objects.select_related("prompt", "assignee__staff", "campaign").prefetch_related("tags")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    qs = access.submission_scope(actor=user, qs=qs)
    f = filters or {}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("prompt"):
        qs = qs.filter(prompt_id=f["prompt"])
    if f.get("tag"):
        qs = qs.filter(tags__id=f["tag"])
    if f.get("marked"):
        qs = qs.filter(is_marked=True)
    return qs.order_by("id")


def my_submissions(*, user: Actor) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(access.own_q(user))
        .select_related("prompt", "campaign")
        .order_by("-submitted_at", "-id")
    )


def submission_get_for_user(*, user: Actor, id) -> Submission:
    qs = Submission.objects.select_related("prompt", "campaign", "assignee__staff", "author__staff")
    row = qs.filter(pk=id).first() if str(id).isdigit() else None
    if row is None:
        raise not_found()
    return access.submission_access_for_action(actor=user, submission=row, action="view")


def author_name(*, user: Actor, submission: Submission) -> str:
    """The author's name where the actor may see it; "匿名" or "（仅主任可见）" otherwise."""
    if submission.is_anonymous:
        return "匿名"
    if not access.submission_permissions(user, submission)["see_author"]:
        return "署名（仅主任可见）"
    author = submission.author
    staff = getattr(author, "staff", None)
    return staff.name if staff else author.get_username() if author else ""


def authors_who_wrote(*, user: Actor, campaign: Campaign) -> list[dict]:
    """ "Who wrote to me": the named authors (anonymous authors are nobody's to list)."""
    access.campaign_access_for_action(actor=user, campaign=campaign, action="summary")
    rows = (
        Submission.objects.filter(campaign=campaign, author__isnull=False)
        .values("author_id", "author__staff__name", "author__staff__unit__name")
        .annotate(n=Count("id"))
        .order_by("author__staff__unit__name", "author__staff__name")
    )
    return [
        {
            "user_id": r["author_id"],
            "name": r["author__staff__name"],
            "unit": r["author__staff__unit__name"],
            "count": r["n"],
        }
        for r in rows
    ]


def supervision_status(*, user: Actor, submission: Submission) -> dict | None:
    """The linked supervision item's status, read through supervision's selector (never its models)."""
    if not submission.supervision_item_id:
        return None
    from supervision.selectors import item_get_for_user

    try:
        item = item_get_for_user(user=user, id=submission.supervision_item_id)
    except Exception:  # gone or not the reader's: show the number only
        return {"number": submission.supervision_item_number, "status": "", "label": "", "code": ""}
    code = {"closed": "A", "draft": "C"}.get(item.status, "" if item.status == "cancelled" else "B")
    return {
        "id": item.pk,
        "number": item.number,
        "status": item.status,
        "label": item.get_status_display(),
        "code": code,
        "code_label": ReplyCode(code).label if code else "",
    }


def submission_attachment_file(*, actor: Actor, pk) -> ProtectedFile:
    att = SubmissionAttachment.objects.select_related("submission").filter(pk=pk).first()
    if att is None:
        raise not_found()
    try:
        access.submission_access_for_action(actor=actor, submission=att.submission, action="attachment")
    except Exception:
        raise not_found() from None
    return ProtectedFile(file=att.file, name=att.name, subject=att.submission)


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.all()


# --- statistics and summary ----------------------------------------------------------------------


def campaign_stats(*, user: Actor, campaign: Campaign) -> dict:
    access.campaign_access_for_action(actor=user, campaign=campaign, action="summary")
    subs = Submission.objects.filter(campaign=campaign)
    by_prompt = dict(subs.values_list("prompt_id").annotate(n=Count("id")).values_list("prompt_id", "n"))
    prompts = [{"text": p.text, "count": by_prompt.get(p.pk, 0)} for p in campaign.prompts.all()]
    tags = list(
        Tag.objects.filter(submissions__campaign=campaign)
        .annotate(n=Count("submissions"))
        .order_by("-n", "id")
        .values_list("name", "n")
    )
    codes = dict(
        subs.exclude(reply_code="")
        .values_list("reply_code")
        .annotate(n=Count("id"))
        .values_list("reply_code", "n")
    )
    replied = list(subs.filter(replied_at__isnull=False).values_list("replied_at", "reply_due_at"))
    on_time = sum(1 for r, d in replied if d is None or (r is not None and r <= d))
    satisfaction = Counter(subs.filter(answered_at__isnull=False).values_list("answer_satisfied", flat=True))
    agg = subs.aggregate(
        total=Count("id"),
        anonymous=Count("id", filter=Q(visibility="anonymous")),
        late=Count("id", filter=Q(is_late=True)),
        merged=Count("id", filter=Q(status=SubmissionStatus.MERGED)),
    )
    return {
        **agg,
        "by_prompt": prompts,
        "by_tag": [{"name": n, "count": c} for n, c in tags],
        "by_code": [
            {"code": c, "label": str(ReplyCode(c).label), "count": codes.get(c, 0)} for c in ReplyCode.values
        ],
        "replied": len(replied),
        "on_time": on_time,
        "satisfied": satisfaction.get(True, 0),
        "unsatisfied": satisfaction.get(False, 0),
    }


def campaign_summary(*, user: Actor, campaign: Campaign) -> dict:
    """The director's "文字材料": counts, top themes, the items he marked, replies by code. No author of
    an anonymous item appears (named items are shown with their author to the director only)."""
    stats = campaign_stats(user=user, campaign=campaign)
    progress = campaign_progress(campaign)
    marked = list(
        Submission.objects.filter(campaign=campaign, is_marked=True)
        .select_related("prompt")
        .order_by("prompt__order", "id")
    )
    replies: dict[str, list[Submission]] = defaultdict(list)
    for s in (
        Submission.objects.filter(campaign=campaign)
        .exclude(reply_code="")
        .select_related("prompt")
        .order_by("reply_code", "id")
    ):
        replies[s.reply_code].append(s)
    return {
        "campaign": campaign,
        "stats": stats,
        "progress": progress,
        "top_tags": stats["by_tag"][:5],
        "marked": marked,
        "replies": [
            {"code": c, "label": str(ReplyCode(c).label), "items": replies.get(c, [])}
            for c in ReplyCode.values
        ],
        "generated_at": timezone.now(),
    }


# --- talks ---------------------------------------------------------------------------------------


def talk_list_for_user(*, user: Actor) -> QuerySet[Talk]:
    return access.talk_scope(
        actor=user, qs=Talk.objects.select_related("person__staff", "director__staff")
    ).order_by("-scheduled_at", "-id")


def talk_get_for_user(*, user: Actor, id) -> Talk:
    row = (
        access.talk_scope(actor=user, qs=Talk.objects.select_related("person__staff", "director__staff"))
        .filter(pk=id)
        .first()
        if str(id).isdigit()
        else None
    )
    if row is None:
        raise not_found()
    return row


def talk_notes_for_user(*, user: Actor, talk: Talk) -> str | None:
    access.talk_access_for_action(actor=user, talk=talk, action="notes_view")
    from .models import TalkNote

    return TalkNote.objects.filter(talk=talk).values_list("text", flat=True).first()
