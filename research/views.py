"""Pages of 政研: thin — check the input's shape, ask the access module (the same rules the services
enforce), call one selector or service, render. A broken rule comes back as the Chinese message (400
with the form on the form pages, else a redirect with the message); a refusal is the portal's 403/404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from office.errors import Forbidden, NotFound, ServiceError
from office.files.registry import file_url
from office.web.forms import service_error_to_form

from . import access, forms, selectors
from .models import MILESTONE_ORDER, PlanStatus, ResearchOutput, TopicKind, TopicMilestone, TopicStatus
from .services import calls as call_services
from .services import outputs as output_services
from .services import plans as plan_services
from .services import topics as topic_services


def _fail(request, exc: ServiceError, to: str):
    if isinstance(exc, Forbidden | NotFound):
        raise exc
    messages.error(request, str(exc))
    return redirect(to)


def _require(flag: bool, message: str) -> None:
    if not flag:
        raise Forbidden(message)


def _person_label(user) -> str:
    staff = getattr(user, "staff", None)
    if staff is None:
        return user.get_username()
    return f"{staff.name}（{staff.unit.short_name or staff.unit.name}）"


def _people():
    return [(u.pk, _person_label(u)) for u in selectors.staff_choices()]


def _leaders():
    from office.org.selectors import leaders

    return [(u.pk, _person_label(u)) for u in leaders()]


# --- home, calls and proposals ---------------------------------------------------------------------


@login_required
@require_GET
def home(request):
    _require(access.can_use(request.user), _("仅限办公室干部职工和各单位使用。"))
    user = request.user
    ctx = {
        "calls": selectors.call_list_for_user(user=user),
        "my_proposals": selectors.proposal_list_for_user(user=user)[:20]
        if not access.is_manager(user)
        else [],
        "plans": selectors.plan_list_for_user(user=user) if access.is_office_staff(user) else [],
        "my_topics": selectors.topic_list_for_user(user=user, mine=True)
        if access.is_office_staff(user)
        else [],
        "office": access.is_office_staff(user),
        "is_manager": access.is_manager(user),
        "can_open_call": access.can_open_call(user),
        "plan_form": forms.PlanForm(initial={"year": timezone.localdate().year}),
    }
    return render(request, "research/home.html", ctx)


@login_required
def call_new(request):
    access.require_open_call(request.user)
    form = forms.CallForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            call = call_services.call_open(
                actor=request.user,
                year=d["year"],
                title=d["title"],
                description=d["description"],
                deadline=d["deadline"],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("选题征集已发布。"))
            return redirect(call.get_absolute_url())
    return render(
        request, "research/call_new.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@login_required
@require_GET
def call_detail(request, pk):
    call = selectors.call_get_for_user(user=request.user, id=pk)
    manager = access.is_manager(request.user)
    return render(
        request,
        "research/call_detail.html",
        {
            "call": call,
            "proposals": selectors.proposal_list_for_user(user=request.user, call=call),
            "is_manager": manager,
            "can_propose": call.status == "open",
            "form": forms.ProposalForm(),
        },
    )


@login_required
@require_POST
def propose(request, pk):
    call = selectors.call_get_for_user(user=request.user, id=pk)
    form = forms.ProposalForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            call_services.proposal_submit(
                actor=request.user, call=call, title=d["title"], reasons=d["reasons"], kind=d["kind"]
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("选题建议已提交。"))
            return redirect(call.get_absolute_url())
    else:
        access.call_access_for_action(actor=request.user, call=call, action="propose")
    return render(
        request,
        "research/call_detail.html",
        {
            "call": call,
            "proposals": selectors.proposal_list_for_user(user=request.user, call=call),
            "is_manager": access.is_manager(request.user),
            "can_propose": True,
            "form": form,
        },
        status=400,
    )


@login_required
@require_POST
def call_close(request, pk):
    call = selectors.call_get_for_user(user=request.user, id=pk)
    try:
        call_services.call_close(actor=request.user, call=call)
    except ServiceError as exc:
        return _fail(request, exc, call.get_absolute_url())
    messages.success(request, _("选题征集已截止。"))
    return redirect(call.get_absolute_url())


@login_required
@require_POST
def proposal_decline(request, pk):
    proposal = selectors.proposal_list_for_user(user=request.user).filter(pk=pk).first()
    if proposal is None:
        raise NotFound()
    back = reverse("research:call", kwargs={"pk": proposal.call_id})
    try:
        call_services.proposal_decline(actor=request.user, proposal=proposal)
    except ServiceError as exc:
        return _fail(request, exc, back)
    messages.success(request, _("已标记为未列入计划。"))
    return redirect(back)


# --- the plan ------------------------------------------------------------------------------------------


@login_required
@require_POST
def plan_new(request):
    _require(access.can_create_plan(request.user), _("只有政研室和办公室领导可以编制年度计划。"))
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写年度。"))
        return redirect("research:home")
    try:
        plan = plan_services.plan_create(actor=request.user, year=form.cleaned_data["year"])
    except ServiceError as exc:
        return _fail(request, exc, reverse("research:home"))
    return redirect(plan.get_absolute_url())


@login_required
@require_GET
def plan_detail(request, year):
    plan = selectors.plan_get_for_user(user=request.user, year=year)
    user = request.user
    manager = access.is_manager(user)
    topics = list(selectors.plan_topics(plan))
    return render(
        request,
        "research/plan_detail.html",
        {
            "plan": plan,
            "major": [t for t in topics if t.kind == TopicKind.MAJOR],
            "special": [t for t in topics if t.kind == TopicKind.SPECIAL],
            "open_proposals": selectors.open_proposals(year=plan.year) if manager else [],
            "can_edit": manager and plan.editable,
            "can_decide": access.is_approver(user) and plan.status == PlanStatus.SUBMITTED,
            "return_form": forms.ReturnForm(),
        },
    )


def _topic_form(request, plan, data=None):
    proposals = [
        (p.pk, f"{p.title}（{p.unit.short_name or p.unit.name}）")
        for p in selectors.open_proposals(year=plan.year)
    ]
    initial = {"started_on": timezone.localdate(), "kind": request.GET.get("kind") or TopicKind.SPECIAL}
    from_proposal = request.GET.get("proposal")
    if from_proposal and from_proposal.isdigit():
        found = selectors.open_proposals(year=plan.year).filter(pk=int(from_proposal)).first()
        if found is not None:
            initial.update(
                title=found.title, kind=found.kind, proposals=[found.pk], description=found.reasons
            )
    return forms.TopicForm(data, people=_people(), leaders=_leaders(), proposals=proposals, initial=initial)


@login_required
def plan_topic_add(request, year):
    plan = selectors.plan_get_for_user(user=request.user, year=year)
    access.plan_access_for_action(actor=request.user, plan=plan, action="edit")
    form = _topic_form(request, plan, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        milestones = {k: d[k] for k in MILESTONE_ORDER if d.get(k)}
        try:
            plan_services.topic_add(
                actor=request.user,
                plan=plan,
                title=d["title"],
                kind=d["kind"],
                lead=d["lead"],
                team=d["team"],
                external_members=d["external_members"],
                commissioned_by=d["commissioned_by"],
                commissioned_by_name=d["commissioned_by_name"],
                description=d["description"],
                proposals=d["proposals"],
                started_on=d["started_on"],
                milestones=milestones,
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("课题已列入年度计划。"))
            return redirect(plan.get_absolute_url())
    offsets = plan_services.conf.milestone_offsets()
    return render(
        request,
        "research/topic_new.html",
        {"plan": plan, "form": form, "offsets": offsets},
        status=400 if request.method == "POST" else 200,
    )


def _plan_action(request, year, fn, done: str, **kwargs):
    plan = selectors.plan_get_for_user(user=request.user, year=year)
    try:
        fn(actor=request.user, plan=plan, **kwargs)
    except ServiceError as exc:
        return _fail(request, exc, plan.get_absolute_url())
    messages.success(request, done)
    return redirect(plan.get_absolute_url())


@login_required
@require_POST
def plan_submit(request, year):
    return _plan_action(request, year, plan_services.plan_submit, _("年度计划已报请主任审定。"))


@login_required
@require_POST
def plan_approve(request, year):
    return _plan_action(request, year, plan_services.plan_approve, _("年度计划已审定，各课题节点开始计时。"))


@login_required
@require_POST
def plan_return(request, year):
    return _plan_action(
        request, year, plan_services.plan_return, _("年度计划已退回。"), reason=request.POST.get("reason", "")
    )


# --- topics ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def topic_list(request):
    _require(access.can_see_topics(request.user), _("仅限办公室干部职工使用。"))
    year = request.GET.get("year", "")
    status = request.GET.get("status", "")
    status = status if status in TopicStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in TopicKind.values else ""
    topics = selectors.topic_list_for_user(
        user=request.user, year=int(year) if year.isdigit() else None, status=status, kind=kind
    )
    behind = request.GET.get("behind") == "1"
    if behind:
        topics = selectors.topics_behind_plan(user=request.user)
    return render(
        request,
        "research/topic_list.html",
        {
            "topics": topics,
            "year": year,
            "status": status,
            "kind": kind,
            "behind": behind,
            "statuses": TopicStatus.choices,
            "kinds": TopicKind.choices,
            "can_stats": access.can_see_stats(request.user),
        },
    )


@login_required
@require_GET
def topic_detail(request, pk):
    topic = selectors.topic_get_for_user(user=request.user, id=pk)
    can = access.topic_permissions(request.user, topic)
    chain = selectors.topic_chain(topic)
    for record in chain["records"]:
        record.files = [
            {"name": a.name, "url": file_url("research-record-attachment", a.pk)}
            for a in record.attachments.all()
        ]
    leaders = _leaders() if can["adopt"] else []
    for output in chain["outputs"]:
        output.evaluate_form = forms.EvaluateForm(
            auto_id=f"id_eval{output.pk}_%s", initial={"grade": output.grade, "remarks": output.remarks}
        )
        output.adoption_form = forms.AdoptionForm(
            auto_id=f"id_adopt{output.pk}_%s", leaders=leaders, initial={"date": timezone.localdate()}
        )
    return render(
        request,
        "research/topic_detail.html",
        {
            "topic": topic,
            "can": can,
            "now": timezone.now(),
            **chain,
            "record_form": forms.RecordForm(initial={"date": timezone.localdate()}),
            "output_form": forms.OutputForm(),
        },
    )


def _topic_for(request, pk, action):
    topic = selectors.topic_get_for_user(user=request.user, id=pk)
    return access.topic_access_for_action(actor=request.user, topic=topic, action=action)


@login_required
@require_POST
def milestone_done(request, pk):
    ms = TopicMilestone.objects.filter(pk=pk).select_related("topic").first()
    if ms is None:
        raise NotFound()
    topic = selectors.topic_get_for_user(user=request.user, id=ms.topic_id)
    try:
        topic_services.milestone_done(actor=request.user, milestone=ms)
    except ServiceError as exc:
        return _fail(request, exc, topic.get_absolute_url())
    messages.success(request, _("%(ms)s节点已完成。") % {"ms": ms.get_kind_display()})
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def record_add(request, pk):
    topic = selectors.topic_get_for_user(user=request.user, id=pk)
    form = forms.RecordForm(request.POST, request.FILES)
    if not form.is_valid():
        access.topic_access_for_action(actor=request.user, topic=topic, action="work")
        messages.error(request, _("请完整填写调研记录（日期、地点、对象、发现）。"))
        return redirect(topic.get_absolute_url())
    d = form.cleaned_data
    try:
        topic_services.record_add(
            actor=request.user,
            topic=topic,
            date=d["date"],
            place=d["place"],
            people_met=d["people_met"],
            findings=d["findings"],
            attachments=request.FILES.getlist("attachments"),
        )
    except ServiceError as exc:
        return _fail(request, exc, topic.get_absolute_url())
    messages.success(request, _("调研记录已保存。"))
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def output_add(request, pk):
    topic = selectors.topic_get_for_user(user=request.user, id=pk)
    access.topic_access_for_action(actor=request.user, topic=topic, action="work")
    try:
        output_services.output_create(
            actor=request.user,
            topic=topic,
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
        )
    except ServiceError as exc:
        return _fail(request, exc, topic.get_absolute_url())
    messages.success(request, _("成果已形成公文草稿，可在办文中修改、送审。"))
    return redirect(topic.get_absolute_url())


def _output(request, pk) -> ResearchOutput:
    output = ResearchOutput.objects.filter(pk=pk).first()
    if output is None:
        raise NotFound()
    selectors.topic_get_for_user(user=request.user, id=output.topic_id)
    return output


@login_required
@require_POST
def output_evaluate(request, pk):
    output = _output(request, pk)
    back = reverse("research:topic", kwargs={"pk": output.topic_id})
    try:
        output_services.output_evaluate(
            actor=request.user,
            output=output,
            grade=request.POST.get("grade", ""),
            remarks=request.POST.get("remarks", ""),
        )
    except ServiceError as exc:
        return _fail(request, exc, back)
    messages.success(request, _("成果评价已保存。"))
    return redirect(back)


@login_required
@require_POST
def adoption_add(request, pk):
    output = _output(request, pk)
    back = reverse("research:topic", kwargs={"pk": output.topic_id})
    access.topic_access_for_action(actor=request.user, topic=output.topic, action="adopt")
    form = forms.AdoptionForm(request.POST, leaders=_leaders())
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, first)
        return redirect(back)
    d = form.cleaned_data
    try:
        output_services.adoption_record(
            actor=request.user,
            output=output,
            kind=d["kind"],
            on=d["date"],
            leader=d["leader"],
            leader_name=d["leader_name"],
            text=d["text"],
            document=d["document"],
            supervision_item=d["supervision_item"],
            target_label=d["target_label"],
            target_url=d["target_url"],
        )
    except ServiceError as exc:
        return _fail(request, exc, back)
    messages.success(request, _("成果转化已登记。"))
    return redirect(back)


@login_required
@require_POST
def topic_finish(request, pk):
    topic = selectors.topic_get_for_user(user=request.user, id=pk)
    try:
        topic_services.topic_finish(actor=request.user, topic=topic)
    except ServiceError as exc:
        return _fail(request, exc, topic.get_absolute_url())
    messages.success(request, _("课题已结题。"))
    return redirect(topic.get_absolute_url())


# --- statistics ---------------------------------------------------------------------------------------


@login_required
@require_GET
def stats(request):
    _require(access.can_see_stats(request.user), _("只有政研室和办公室领导可以查看统计。"))
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    data = selectors.statistics(user=request.user, year=year)
    return render(request, "research/stats.html", {"stats": data, "year": year})
