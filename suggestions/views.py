"""Pages of 出点子、吐心声: thin — check the input's shape, ask the access module (the same rules the
services enforce), call one selector or service, render. A broken rule comes back as the Chinese message
(400 with the form on the submit and reply pages, else a redirect with the message); a refusal is the
portal's 403/404 page."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from office.errors import Forbidden, NotFound, ServiceError
from office.files.registry import file_url
from office.web.forms import service_error_to_form

from . import access, forms, selectors
from .models import Channel, Submission, SubmissionStatus, Tag, TalkStatus, Visibility
from .rendering import summary_docx_bytes
from .services import campaigns as campaign_services
from .services import replies as reply_services
from .services import talks as talk_services

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _office_only(request):
    if not access.can_list(request.user):
        raise Forbidden(_("仅限办公室干部职工使用。"))


def _fail(request, exc: ServiceError, to: str):
    """A broken rule (invalid, conflict) goes back with its message; a refusal propagates (403/404)."""
    if isinstance(exc, Forbidden | NotFound):
        raise exc
    messages.error(request, str(exc))
    return redirect(to)


def _dt(value):
    from django.utils.dateparse import parse_datetime

    if not value:
        return None
    try:
        parsed = parse_datetime(value.replace("T", " ") if "T" in value and len(value) == 16 else value)
    except ValueError:
        return None
    if parsed is None:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


# --- campaigns -----------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request):
    _office_only(request)
    return render(
        request,
        "suggestions/campaign_list.html",
        {
            "campaigns": selectors.campaign_list_for_user(user=request.user),
            "can_open": access.can_open_campaign(request.user),
            "can_talks": True,
        },
    )


@login_required
def campaign_open(request):
    access.require_open_campaign(request.user)
    from .models import DEFAULT_PROMPTS

    form = forms.CampaignForm(request.POST or None, initial={"prompts": "\n".join(DEFAULT_PROMPTS)})
    preview = campaign_services.default_deadline(timezone.now())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            campaign = campaign_services.campaign_open(
                actor=request.user,
                title=d["title"],
                prompts=d["prompts"].splitlines(),
                min_per_person=d["min_per_person"],
                deadline=d["deadline"],
                description=d["description"],
                units=request.POST.getlist("units"),
                clerks=request.POST.getlist("clerks"),
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _("征集活动已发起，截止时间 {at}。").format(
                    at=timezone.localtime(campaign.deadline).strftime("%Y年%m月%d日 %H:%M")
                ),
            )
            return redirect(campaign.get_absolute_url())
    from office.org.models import Unit

    return render(
        request,
        "suggestions/campaign_open.html",
        {
            "form": form,
            "preview": preview,
            "units": Unit.objects.internal().active(),
            "clerks": get_user_model()
            .objects.filter(is_active=True, staff__unit__kind__in=["office", "section"])
            .select_related("staff")
            .order_by("staff__unit__sort_order", "pk"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _campaign(request, pk, action="view"):
    campaign = selectors.campaign_get_for_user(user=request.user, id=pk)
    return access.campaign_access_for_action(actor=request.user, campaign=campaign, action=action)


@login_required
@require_GET
def campaign_detail(request, pk):
    campaign = _campaign(request, pk)
    can = access.campaign_permissions(request.user, campaign)
    past = access.is_past_deadline(campaign)
    ctx = {
        "campaign": campaign,
        "can": can,
        "past_deadline": past,
        "prompts": list(campaign.prompts.all()),
        "my_count": selectors.my_count(user=request.user, campaign=campaign),
        "form": forms.SubmitForm(),
        "visibilities": Visibility.choices,
    }
    progress = (
        selectors.campaign_progress(campaign) if can["summary"] or (can["short_list"] and past) else None
    )
    if can["short_list"] and past:
        ctx["short_sections"] = selectors.short_list_for_user(
            user=request.user, campaign=campaign, progress=progress
        )
    if can["summary"]:
        ctx["progress"] = progress
    return render(request, "suggestions/campaign_detail.html", ctx)


@login_required
def submit(request, pk):
    campaign = _campaign(request, pk, "submit")
    form = forms.SubmitForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                campaign_services.submission_submit(
                    actor=request.user,
                    campaign=campaign,
                    prompt=d["prompt"],
                    text=d["text"],
                    visibility=d["visibility"],
                    attachments=request.FILES.getlist("attachments"),
                )
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, _("已提交，谢谢！"))
                return redirect(campaign.get_absolute_url())
        status = 400
    return render(
        request,
        "suggestions/submit.html",
        {
            "campaign": campaign,
            "form": form,
            "prompts": list(campaign.prompts.all()),
            "visibilities": Visibility.choices,
        },
        status=status,
    )


@login_required
def enter_for(request, pk):
    campaign = _campaign(request, pk, "enter_for")
    form = forms.EnterForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                campaign_services.submission_enter_for(
                    actor=request.user,
                    campaign=campaign,
                    author=d["author"],
                    prompt=d["prompt"],
                    text=d["text"],
                    channel=d["channel"],
                    visibility=d["visibility"],
                    attachments=request.FILES.getlist("attachments"),
                )
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, _("已代为录入。"))
                return redirect(campaign.get_absolute_url())
        status = 400
    return render(
        request,
        "suggestions/enter.html",
        {
            "campaign": campaign,
            "form": form,
            "prompts": list(campaign.prompts.all()),
            "people": access.participants_qs(campaign)
            .select_related("unit")
            .order_by("unit__sort_order", "id"),
            "channels": [c for c in Channel.choices if c[0] != Channel.WEB],
            "visibilities": Visibility.choices,
        },
        status=status,
    )


@login_required
@require_POST
def campaign_close(request, pk):
    campaign = _campaign(request, pk)
    try:
        campaign_services.campaign_close(actor=request.user, campaign=campaign)
    except ServiceError as exc:
        return _fail(request, exc, campaign.get_absolute_url())
    messages.success(request, _("活动已结束。"))
    return redirect(campaign.get_absolute_url())


@login_required
@require_GET
def item_list(request, pk):
    campaign = _campaign(request, pk)
    filters = {k: request.GET.get(k) for k in ("status", "prompt", "tag", "marked") if request.GET.get(k)}
    rows = selectors.submission_list_for_user(user=request.user, campaign=campaign, filters=filters)
    return render(
        request,
        "suggestions/item_list.html",
        {
            "campaign": campaign,
            "rows": rows,
            "prompts": list(campaign.prompts.all()),
            "tags": Tag.objects.all(),
            "statuses": SubmissionStatus.choices,
            "filters": filters,
        },
    )


@login_required
@require_GET
def my_items(request):
    _office_only(request)
    return render(request, "suggestions/mine.html", {"rows": selectors.my_submissions(user=request.user)})


@login_required
@require_GET
def summary(request, pk):
    campaign = _campaign(request, pk, "summary")
    return render(
        request,
        "suggestions/summary.html",
        {
            **selectors.campaign_summary(user=request.user, campaign=campaign),
            "writers": selectors.authors_who_wrote(user=request.user, campaign=campaign),
        },
    )


@login_required
@require_GET
def summary_docx(request, pk):
    campaign = _campaign(request, pk, "summary")
    data = summary_docx_bytes(selectors.campaign_summary(user=request.user, campaign=campaign))
    response = HttpResponse(data, content_type=DOCX_MIME)
    response["Content-Disposition"] = f'attachment; filename="suggestions-{campaign.pk}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- items ---------------------------------------------------------------------------------------


def _submission(request, pk, action="view") -> Submission:
    sub = selectors.submission_get_for_user(user=request.user, id=pk)
    return access.submission_access_for_action(actor=request.user, submission=sub, action=action)


def _submission_page(request, sub, reply_form=None, status=200):
    from office.org.models import Unit

    can = access.submission_permissions(request.user, sub)
    return render(
        request,
        "suggestions/submission_detail.html",
        {
            "s": sub,
            "can": can,
            "author": selectors.author_name(user=request.user, submission=sub),
            "attachments": [
                {"name": a.name, "url": file_url("suggestion-attachment", a.pk)}
                for a in sub.attachments.all()
            ],
            "tags": Tag.objects.all(),
            "sub_tags": [t.name for t in sub.tags.all()],
            "deputies": access.reply_assignees() if can["triage"] else [],
            "reply_form": reply_form or forms.ReplyForm(initial={"code": sub.reply_code or "B"}),
            "linked": selectors.supervision_status(user=request.user, submission=sub),
            "lead_units": Unit.objects.external().active() if can["triage"] else [],
            "others": (
                Submission.objects.filter(campaign=sub.campaign)
                .exclude(pk=sub.pk)
                .exclude(status=SubmissionStatus.MERGED)
                if can["triage"]
                else []
            ),
        },
        status=status,
    )


@login_required
@require_GET
def submission_detail(request, pk):
    return _submission_page(request, _submission(request, pk))


@login_required
@require_POST
def submission_triage(request, pk):
    sub = _submission(request, pk)
    try:
        reply_services.submission_triage(
            actor=request.user,
            submission=sub,
            tags=request.POST.getlist("tags")
            + [t for t in request.POST.get("new_tag", "").split("，") if t.strip()],
            is_marked=request.POST.get("is_marked") == "on",
            version=request.POST.get("version"),
        )
    except ServiceError as exc:
        return _fail(request, exc, sub.get_absolute_url())
    messages.success(request, _("已保存。"))
    return redirect(sub.get_absolute_url())


@login_required
@require_POST
def submission_merge(request, pk):
    sub = _submission(request, pk)
    try:
        reply_services.submission_merge(
            actor=request.user,
            submission=sub,
            into=request.POST.get("into") or 0,
            version=request.POST.get("version"),
        )
    except ServiceError as exc:
        return _fail(request, exc, sub.get_absolute_url())
    messages.success(request, _("已合并。"))
    return redirect(sub.get_absolute_url())


@login_required
@require_POST
def submission_assign(request, pk):
    sub = _submission(request, pk)
    try:
        reply_services.submission_assign(
            actor=request.user,
            submission=sub,
            assignee=request.POST.get("assignee"),
            reply_due_at=_dt(request.POST.get("reply_due_at")),
            version=request.POST.get("version"),
        )
    except ServiceError as exc:
        return _fail(request, exc, sub.get_absolute_url())
    messages.success(request, _("已交办。"))
    return redirect(sub.get_absolute_url())


@login_required
@require_POST
def submission_reply(request, pk):
    sub = _submission(request, pk, "reply")
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            reply_services.submission_reply(
                actor=request.user,
                submission=sub,
                code=d["code"],
                text=d["text"],
                reason=d["reason"],
                refused=d["refused"],
                version=request.POST.get("version"),
            )
        except ServiceError as exc:
            if isinstance(exc, Forbidden | NotFound):
                raise
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已答复。"))
            return redirect(sub.get_absolute_url())
    return _submission_page(request, sub, reply_form=form, status=400)


@login_required
@require_POST
def submission_answer(request, pk):
    sub = _submission(request, pk)
    raw = request.POST.get("satisfied")
    try:
        reply_services.submission_answer(
            actor=request.user,
            submission=sub,
            satisfied={"yes": True, "no": False}.get(raw or ""),  # type: ignore[arg-type]
            comment=request.POST.get("comment", ""),
        )
    except ServiceError as exc:
        return _fail(request, exc, sub.get_absolute_url())
    messages.success(request, _("感谢您的回应。"))
    return redirect(sub.get_absolute_url())


@login_required
@require_POST
def submission_to_supervision(request, pk):
    sub = _submission(request, pk)
    from office.org.models import Unit

    lead = request.POST.get("lead_unit")
    try:
        reply_services.submission_to_supervision(
            actor=request.user,
            submission=sub,
            title=request.POST.get("title", ""),
            assignee=get_user_model().objects.filter(pk=request.POST.get("assignee") or 0).first(),
            lead_unit=Unit.objects.filter(pk=lead).first() if (lead or "").isdigit() else None,
            due=_dt(request.POST.get("due")),
            version=request.POST.get("version"),
        )
    except ServiceError as exc:
        return _fail(request, exc, sub.get_absolute_url())
    messages.success(request, _("已转为督办事项。"))
    return redirect(sub.get_absolute_url())


# --- talks ---------------------------------------------------------------------------------------


@login_required
@require_GET
def talk_list(request):
    _office_only(request)
    return render(
        request,
        "suggestions/talk_list.html",
        {
            "talks": selectors.talk_list_for_user(user=request.user),
            "can_schedule": access.can_schedule_talk(request.user),
        },
    )


@login_required
def talk_schedule(request):
    if not access.can_schedule_talk(request.user):
        raise Forbidden(_("只有主任可以安排谈心谈话。"))
    initial = {"person": request.GET.get("person"), "topics": ""}
    sub = None
    if (request.GET.get("item") or request.POST.get("item") or "").isdigit():
        sub = _submission(request, request.GET.get("item") or request.POST.get("item"), "triage")
        initial["topics"] = _("关于意见第 {pk} 条").format(pk=sub.pk)
        if sub.author_id:
            initial["person"] = sub.author_id
    form = forms.TalkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            talk = talk_services.talk_schedule(
                actor=request.user,
                person=d["person"],
                scheduled_at=d["scheduled_at"],
                place=d["place"],
                topics=d["topics"],
                submission=sub,
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("已约谈，等待对方确认。"))
            return redirect(talk.get_absolute_url())
    people = (
        get_user_model()
        .objects.filter(is_active=True, staff__isnull=False, staff__unit__kind__in=["office", "section"])
        .select_related("staff")
        .order_by("staff__unit__sort_order", "pk")
    )
    return render(
        request,
        "suggestions/talk_new.html",
        {"form": form, "people": people, "item": sub},
        status=400 if request.method == "POST" else 200,
    )


def _talk(request, pk, action="view"):
    talk = selectors.talk_get_for_user(user=request.user, id=pk)
    return access.talk_access_for_action(actor=request.user, talk=talk, action=action)


@login_required
@require_GET
def talk_detail(request, pk):
    talk = _talk(request, pk)
    can = access.talk_permissions(request.user, talk)
    return render(
        request,
        "suggestions/talk_detail.html",
        {
            "talk": talk,
            "can": can,
            "notes": selectors.talk_notes_for_user(user=request.user, talk=talk)
            if can["notes_view"]
            else None,
            "followups": talk.followups.all(),
            "people": access.reply_assignees() if can["followup"] else [],
            "statuses": TalkStatus,
        },
    )


@login_required
@require_POST
def talk_respond(request, pk):
    talk = _talk(request, pk)
    try:
        talk_services.talk_respond(
            actor=request.user,
            talk=talk,
            accept=request.POST.get("accept") == "yes",
            proposed_at=_dt(request.POST.get("proposed_at")),
            note=request.POST.get("note", ""),
            version=request.POST.get("version"),
        )
    except ServiceError as exc:
        return _fail(request, exc, talk.get_absolute_url())
    return redirect(talk.get_absolute_url())


@login_required
@require_POST
def talk_reschedule(request, pk):
    talk = _talk(request, pk)
    try:
        talk_services.talk_reschedule(
            actor=request.user,
            talk=talk,
            scheduled_at=_dt(request.POST.get("scheduled_at")),  # type: ignore[arg-type]
            version=request.POST.get("version"),
        )
    except ServiceError as exc:
        return _fail(request, exc, talk.get_absolute_url())
    return redirect(talk.get_absolute_url())


@login_required
@require_POST
def talk_cancel(request, pk):
    talk = _talk(request, pk)
    try:
        talk_services.talk_cancel(actor=request.user, talk=talk)
    except ServiceError as exc:
        return _fail(request, exc, talk.get_absolute_url())
    return redirect(talk.get_absolute_url())


@login_required
@require_POST
def talk_notes(request, pk):
    talk = _talk(request, pk)
    try:
        talk_services.talk_write_notes(
            actor=request.user,
            talk=talk,
            text=request.POST.get("text", ""),
            version=request.POST.get("version"),
        )
    except ServiceError as exc:
        return _fail(request, exc, talk.get_absolute_url())
    messages.success(request, _("谈话记录已保存。"))
    return redirect(talk.get_absolute_url())


@login_required
@require_POST
def talk_followup(request, pk):
    talk = _talk(request, pk)
    try:
        talk_services.talk_followup(
            actor=request.user,
            talk=talk,
            title=request.POST.get("title", ""),
            assignee=get_user_model().objects.filter(pk=request.POST.get("assignee") or 0).first(),
            due=_dt(request.POST.get("due")),
        )
    except ServiceError as exc:
        return _fail(request, exc, talk.get_absolute_url())
    messages.success(request, _("后续事项已交办。"))
    return redirect(talk.get_absolute_url())
