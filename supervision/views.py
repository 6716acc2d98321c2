"""Pages of supervision: thin — check the input, ask the access module (the same rules the services
enforce), call one selector or service, render. Actions are posted with htmx; on success the page
reloads (HX-Redirect), on a broken rule the form comes back with the message (escaped)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.incoming.selectors import incoming_for_supervision_item
from office.errors import Forbidden, NotFound, ServiceError
from office.files.registry import file_url
from office.files.views import attachment_response
from office.org.models import Role, Unit
from office.org.selectors import users_with_role

from . import access, forms, services
from .models import Category, ExtensionRequest, Feedback, LadderStep, Light, Source, Status, SupervisionItem
from .selectors import (
    circulars_published,
    item_get_for_user,
    item_list_for_user,
    item_timeline,
    lead_assignment,
    open_communication_tasks_for_user,
    unit_stats_for_user,
)
from .services.ledger import ledger_export, ledger_import

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_FILTERS = (
    "status",
    "light",
    "unit",
    "category",
    "leader",
    "commissioner",
    "source",
    "due_from",
    "due_to",
    "q",
    "escalation",
    "active",
)


def _may(request, action, item=None):
    """Ask the access module; a refusal answers the 403 page (404 for an item out of scope)."""
    return access.item_access_for_action(actor=request.user, item=item, action=action)


def _item_for(request, pk, action):
    """The item (404 when missing or not the actor's), after the access module allowed ``action``."""
    item = item_get_for_user(user=request.user, id=pk)
    return _may(request, action, item)


def list_filters_from(params) -> dict:
    """The list's filters from a query string (shared by the page, the export and the API)."""
    f = {}
    for key in ("status", "light", "category", "leader", "source", "q"):
        if params.get(key):
            f[key] = params.get(key).strip()
    if params.get("unit", "").isdigit():
        f["unit"] = Unit.objects.filter(pk=int(params["unit"])).first()
    if params.get("commissioner", "").isdigit():
        f["commissioner"] = int(params["commissioner"])
    if params.get("escalation", "") in ("0", "1", "2", "3"):  # the dashboard's rung counts link here
        f["escalation"] = int(params["escalation"])
    if params.get("active") == "1":
        f["active"] = True
    for key in ("due_from", "due_to"):
        try:
            value = parse_date(params.get(key) or "")
        except ValueError:
            value = None
        if value:
            f[key] = value
    return f


@login_required
def item_list(request):
    _may(request, "list")
    filters = list_filters_from(request.GET)
    qs = item_list_for_user(user=request.user, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    internal = access.is_office_staff(request.user)
    context = {
        "page": page,
        "filters": request.GET,
        "querystring": query.urlencode(),
        "statuses": Status.choices,
        "lights": [c for c in Light.choices if c[0] != Light.NONE],
        "categories": Category.choices,
        "sources": Source.choices,
        "units": list(Unit.objects.active().order_by("sort_order", "id").values_list("pk", "name"))
        if internal
        else [],
        "commissioners": [
            (u.pk, getattr(getattr(u, "staff", None), "name", u.username))
            for u in users_with_role(Role.SUPERVISION_COMMISSIONER).select_related("staff")
        ]
        if internal
        else [],
        "can_create": access.can_create(request.user),
        "can_import": access.can_import(request.user),
        "circulars": circulars_published(user=request.user, limit=5),
        "tasks": open_communication_tasks_for_user(user=request.user) if internal else [],
        "now": timezone.now(),
    }
    template = (
        "supervision/_item_rows.html"
        if request.htmx and request.htmx.target == "item-rows"
        else ("supervision/item_list.html")
    )
    return render(request, template, context)


@login_required
def item_export(request):
    _may(request, "export")
    filters = list_filters_from(request.GET)
    data = ledger_export(item_list_for_user(user=request.user, **filters))
    return attachment_response(
        data, filename=f"督办台账-{timezone.localdate():%Y%m%d}.xlsx", content_type=XLSX_MIME
    )


@login_required
def item_import(request):
    _may(request, "import")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = ledger_import(actor=request.user, fileobj=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("已导入 %(n)s 项。") % {"n": len(result.items)})
            return redirect("supervision:list")
    return render(request, "supervision/item_import.html", {"form": form, "result": result})


@login_required
def item_create(request):
    _may(request, "create")
    form = forms.ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.item_create(
                actor=request.user,
                title=d["title"],
                requirement=d["requirement"],
                source=d["source"],
                category=d["category"],
                urgency=d["urgency"],
                source_date=d["source_date"],
                source_ref=d["source_ref"],
                instructing_leader=d["instructing_leader"],
                lead_unit=d["lead_unit"],
                lead_person=d["lead_person"],
                assignee=d["assignee"],
                assisting_units=d["assisting_units"],
                commissioners=d["commissioners"],
                due=d["due"],
                due_working_days=d["due_working_days"],
                expected_output=d["expected_output"],
                milestones=d["milestones"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记 %(n)s。") % {"n": item.number})
            return redirect("supervision:detail", pk=item.pk)
    return render(request, "supervision/item_form.html", {"form": form})


@login_required
def item_edit(request, pk):
    item = _item_for(request, pk, "edit")
    if item.status != Status.DRAFT:
        messages.error(request, _("只有草稿状态的事项可以修改。"))
        return redirect("supervision:detail", pk=item.pk)
    initial = {
        name: getattr(item, name)
        for name in (
            "title",
            "requirement",
            "source",
            "source_date",
            "source_ref",
            "instructing_leader",
            "category",
            "urgency",
            "lead_person",
            "due_working_days",
            "expected_output",
        )
    }
    initial["due"] = timezone.localtime(item.due_at).date() if item.due_at else None
    initial["version"] = item.updated_at.isoformat()
    form = forms.ItemEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("version")
        if d.get("due"):
            d["due_working_days"] = None
        try:
            services.item_update(actor=request.user, item=item, updated_at=version, **d)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("supervision:detail", pk=item.pk)
    return render(request, "supervision/item_form.html", {"form": form, "item": item})


@login_required
def item_detail(request, pk):
    item = _item_for(request, pk, "view")
    user = request.user
    # A step's document (number, link) only where the access module shows it (a draft circular is
    # the office's own business until it is signed); the timeline reads the same step objects.
    for step in item.ladder_steps.all():
        step.shown_document = step.document if access.can_see_step_document(user, step) else None
    for fb in item.feedback.all():
        fb.download_url = file_url("supervision-feedback", fb.pk) if fb.attachment else ""
    milestones = list(item.milestones.all())
    can = access.item_permissions(user, item)
    for m in milestones:
        m.movable = can["reschedule_milestone"] and services.milestone_movable(item, m)
    context = {
        "item": item,
        "milestones": milestones,
        "timeline": item_timeline(item),
        "lead": lead_assignment(item),
        "own_assignment": access.own_assignment(user, item),
        "can": can,
        "feedback_form": forms.FeedbackForm(milestones=[m for m in milestones if not m.reported_at]),
        "extension_form": forms.ExtensionForm(),
        "reason_form": forms.ReasonForm(),
        "visit_form": forms.VisitForm(),
        "milestone_form": forms.MilestoneForm(),
        "communication_form": forms.CommunicationForm(),
        "pending_extensions": [e for e in item.extensions.all() if e.status == "pending"],
        # the incoming document whose 批示 became this item (收文 → 转督办), for office staff who may see it
        "source_incoming": incoming_for_supervision_item(user=user, item_id=item.pk),
        "now": timezone.now(),
    }
    return render(request, "supervision/item_detail.html", context)


def _done(request, item, message):
    messages.success(request, message)
    url = reverse("supervision:detail", args=[item.pk])
    if request.htmx:
        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = url
        return resp
    return redirect(url)


def _failed(request, item, message):
    """The message back in the form's alert: rendered by the template engine, so a message that
    echoes the submitted input (a form error) is escaped."""
    if request.htmx:
        return render(request, "supervision/_alert.html", {"message": message})
    messages.error(request, message)
    return redirect("supervision:detail", pk=item.pk)


def _run(request, item, fn, ok_message):
    try:
        fn()
    except (Forbidden, NotFound):
        raise  # the 403 / 404 page, as from the view's own check
    except ServiceError as exc:
        return _failed(request, item, exc.message)
    return _done(request, item, ok_message)


@login_required
@require_POST
def item_issue(request, pk):
    item = _item_for(request, pk, "issue")
    return _run(request, item, lambda: services.item_issue(actor=request.user, item=item), _("已交办。"))


@login_required
@require_POST
def item_acknowledge(request, pk):
    item = _item_for(request, pk, "acknowledge")
    unit = None
    if access.own_assignment(request.user, item) is None:  # office staff acknowledge for a unit
        _may(request, "acknowledge_for_unit", item)
        unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
    return _run(
        request,
        item,
        lambda: services.item_acknowledge(actor=request.user, item=item, unit=unit),
        _("已签收。"),
    )


@login_required
@require_POST
def item_feedback(request, pk):
    item = _item_for(request, pk, "feedback")
    form = forms.FeedbackForm(request.POST, request.FILES, milestones=list(item.milestones.all()))
    if not form.is_valid():
        return _failed(request, item, "；".join(e for errs in form.errors.values() for e in errs))
    d = form.cleaned_data
    milestone = item.milestones.filter(pk=d["milestone"]).first() if d["milestone"] else None
    return _run(
        request,
        item,
        lambda: services.feedback_submit(
            actor=request.user,
            item=item,
            content=d["content"],
            kind=d["kind"],
            milestone=milestone,
            attachment=d["attachment"],
        ),
        _("已报送。"),
    )


@login_required
@require_POST
def item_close(request, pk):
    item = _item_for(request, pk, "close")
    note = request.POST.get("reason", "")
    return _run(
        request,
        item,
        lambda: services.item_close(actor=request.user, item=item, note=note),
        _("已办结销号。"),
    )


@login_required
@require_POST
def item_send_back(request, pk):
    item = _item_for(request, pk, "send_back")
    reason = request.POST.get("reason", "")
    return _run(
        request,
        item,
        lambda: services.item_send_back(actor=request.user, item=item, reason=reason),
        _("已退回重办。"),
    )


@login_required
@require_POST
def item_cancel(request, pk):
    item = _item_for(request, pk, "cancel")
    reason = request.POST.get("reason", "")
    return _run(
        request,
        item,
        lambda: services.item_cancel(actor=request.user, item=item, reason=reason),
        _("已撤销。"),
    )


@login_required
@require_POST
def item_extension(request, pk):
    item = _item_for(request, pk, "extend")
    form = forms.ExtensionForm(request.POST)
    if not form.is_valid():
        return _failed(request, item, _("请填写延期日期和理由。"))
    d = form.cleaned_data
    return _run(
        request,
        item,
        lambda: services.extension_request(
            actor=request.user, item=item, reason=d["reason"], new_due=d["new_due"]
        ),
        _("延期申请已提交。"),
    )


@login_required
@require_POST
def extension_decide(request, pk, ext_pk):
    item = _item_for(request, pk, "decide_extension")
    ext = ExtensionRequest.objects.filter(item=item, pk=ext_pk).first()
    if ext is None:
        return _failed(request, item, _("延期申请不存在。"))
    approve = request.POST.get("approve") == "1"
    note = request.POST.get("note", "")
    return _run(
        request,
        item,
        lambda: services.extension_decide(actor=request.user, extension=ext, approve=approve, note=note),
        _("已处理延期申请。"),
    )


@login_required
@require_POST
def feedback_review(request, pk, fb_pk):
    """A commissioner accepts (认可) or returns (退回) a unit's progress report, with a note."""
    item = _item_for(request, pk, "review_feedback")
    fb = Feedback.objects.filter(item=item, pk=fb_pk).first()
    if fb is None:
        return _failed(request, item, _("该反馈不存在。"))
    accepted = request.POST.get("accepted") == "1"
    note = (request.POST.get("note") or "").strip()
    if not accepted and not note:
        return _failed(request, item, _("退回反馈时请写明理由。"))
    return _run(
        request,
        item,
        lambda: services.feedback_review(actor=request.user, feedback=fb, accepted=accepted, note=note),
        _("已认可该反馈。") if accepted else _("已退回该反馈。"),
    )


@login_required
@require_POST
def item_milestone(request, pk):
    item = _item_for(request, pk, "add_milestone")
    form = forms.MilestoneForm(request.POST)
    if not form.is_valid():
        return _failed(request, item, _("请填写节点日期和名称。"))
    d = form.cleaned_data
    return _run(
        request,
        item,
        lambda: services.milestone_add(actor=request.user, item=item, title=d["title"], due=d["due"]),
        _("已增加节点。"),
    )


@login_required
@require_POST
def item_milestone_reschedule(request, pk, ms_pk):
    item = _item_for(request, pk, "reschedule_milestone")
    form = forms.MilestoneRescheduleForm(request.POST)
    if not form.is_valid():
        return _failed(request, item, _("请填写新的节点日期和调整理由。"))
    d = form.cleaned_data
    return _run(
        request,
        item,
        lambda: services.milestone_reschedule(
            actor=request.user, item=item, milestone=ms_pk, due=d["due"], reason=d["reason"]
        ),
        _("已调整节点，已通知承办单位。"),
    )


@login_required
@require_POST
def item_visit(request, pk):
    item = _item_for(request, pk, "visit")
    form = forms.VisitForm(request.POST)
    if not form.is_valid():
        return _failed(request, item, _("请完整填写实地督查情况。"))
    d = form.cleaned_data
    photos = request.FILES.getlist("photos")
    return _run(
        request,
        item,
        lambda: services.site_visit_log(actor=request.user, item=item, photos=photos, **d),
        _("已记录实地督查。"),
    )


@login_required
@require_POST
def step_communication(request, pk, step_pk):
    item = _item_for(request, pk, "communicate")
    step = LadderStep.objects.filter(item=item, pk=step_pk).first()
    form = forms.CommunicationForm(request.POST)
    if step is None or not form.is_valid():
        return _failed(request, item, _("请完整填写沟通情况。"))
    return _run(
        request,
        item,
        lambda: services.communication_log(actor=request.user, step=step, **form.cleaned_data),
        _("已记录沟通情况。"),
    )


@login_required
def stats(request):
    _may(request, "stats")
    group_by = request.GET.get("by") if request.GET.get("by") in ("unit", "category", "leader") else "unit"
    rows = unit_stats_for_user(user=request.user, group_by=group_by)
    labels = dict(Category.choices)
    for r in rows:
        if group_by == "category":
            r["label"] = labels.get(r["key"], r["label"])
    totals = access.item_scope(actor=request.user, qs=SupervisionItem.objects.all()).count()
    return render(request, "supervision/stats.html", {"rows": rows, "by": group_by, "total": totals})
