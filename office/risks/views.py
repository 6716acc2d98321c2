"""Pages of the post risk review: thin — check the input's shape, ask the access module (the same rules
the services enforce), call one selector or service, render. A broken rule comes back on its form (400);
a refusal is the portal's 403/404 page."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from office.clock.services import ladder_plan
from office.errors import ServiceError
from office.org.models import Unit
from office.web.forms import service_error_to_form

from . import access, forms, selectors
from .models import ReviewCampaign
from .services import campaigns as campaign_services
from .services import incidents as incident_services
from .services import register as register_services


def _office_only(request):
    access.require_register(request.user)


def _nav(request) -> dict:
    return {
        "can_approve": access.can_approve(request.user),
        "can_open": access.can_open_campaign(request.user),
        "can_edit": access.can_edit_register(request.user),
    }


@login_required
@require_GET
def register(request):
    _office_only(request)
    sections = selectors.section_choices(actor=request.user)
    form = forms.RegisterFilterForm(request.GET or None, sections=sections)
    filters = form.cleaned_data if form.is_valid() else {}
    risks = selectors.risk_list(
        actor=request.user,
        area=filters.get("area") or "",
        level=filters.get("level") or "",
        section=filters.get("section"),
    )
    page = Paginator(risks, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "risks/register.html",
        {
            "form": form,
            "risks": page.object_list,
            "page": page,
            "querystring": query.urlencode(),
            "now": timezone.now(),
            **_nav(request),
        },
    )


@login_required
@require_GET
def risk_detail(request, pk):
    risk = selectors.risk_get(actor=request.user, pk=pk)
    return render(
        request,
        "risks/risk_detail.html",
        {
            "risk": risk,
            "controls": selectors.risk_controls(risk),
            "incidents": selectors.risk_incidents(risk),
            "reviews": selectors.risk_reviews(risk),
            "can_edit": access.can_edit_register(request.user),
            "now": timezone.now(),
        },
    )


@login_required
@require_GET
def heatmap(request):
    _office_only(request)
    return render(
        request, "risks/heatmap.html", {"heat": selectors.heatmap(actor=request.user), **_nav(request)}
    )


@login_required
@require_GET
def failed(request):
    _office_only(request)
    page = Paginator(selectors.failed_this_quarter(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "risks/failed.html",
        {
            "risks": page.object_list,
            "page": page,
            "since": selectors.quarter_start(),
            "unassigned": selectors.unassigned_incidents(actor=request.user),
            "assign_form": forms.IncidentAssignForm() if access.can_edit_register(request.user) else None,
            **_nav(request),
        },
    )


@login_required
@require_GET
def my_reviews(request):
    _office_only(request)
    return render(
        request,
        "risks/my_reviews.html",
        {"reviews": selectors.my_reviews(actor=request.user), **_nav(request)},
    )


@login_required
@require_GET
def approvals(request):
    if not access.can_approve(request.user):
        access.require_register(request.user)
        raise access.forbidden(_("只有科长和办公室领导审核岗位风险自查。"))
    return render(
        request, "risks/approvals.html", {"reviews": selectors.approvals(actor=request.user), **_nav(request)}
    )


def _review_page(request, review, *, submit_form=None, decide_form=None, status=200):
    can = access.review_permissions(request.user, review)
    if submit_form is None and can["submit"]:
        initial = {
            "likelihood": review.likelihood or review.risk.likelihood,
            "impact": review.impact or review.risk.impact,
        }
        submit_form = forms.ReviewForm(initial=initial)
    if decide_form is None and can["decide"]:
        decide_form = forms.DecideForm()
    return render(
        request,
        "risks/review.html",
        {
            "review": review,
            "risk": review.risk,
            "controls": selectors.risk_controls(review.risk),
            "can": can,
            "submit_form": submit_form,
            "decide_form": decide_form,
        },
        status=status,
    )


@login_required
@require_GET
def review_detail(request, pk):
    return _review_page(request, selectors.review_get(actor=request.user, pk=pk))


@login_required
@require_POST
def review_submit(request, pk):
    review = selectors.review_get(actor=request.user, pk=pk)
    access.review_access_for_action(actor=request.user, review=review, action="submit")
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            campaign_services.review_submit(
                actor=request.user,
                review=review,
                likelihood=d["likelihood"],
                impact=d["impact"],
                controls_effective=d["controls_effective"],
                assessment=d["assessment"],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("自查已提交，等待科长审核。"))
            return redirect("risks:my-reviews")
    return _review_page(request, review, submit_form=form, status=400)


@login_required
@require_POST
def review_decide(request, pk):
    review = selectors.review_get(actor=request.user, pk=pk)
    access.review_access_for_action(actor=request.user, review=review, action="decide")
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            campaign_services.review_decide(
                actor=request.user, review=review, approve=d["decision"] == "approve", note=d["note"]
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("已审核。") if d["decision"] == "approve" else _("已退回。"))
            return redirect("risks:approvals")
    return _review_page(request, review, decide_form=form, status=400)


@login_required
@require_GET
def campaign_list(request):
    _office_only(request)
    return render(
        request,
        "risks/campaign_list.html",
        {"campaigns": selectors.campaign_list(actor=request.user), **_nav(request)},
    )


@login_required
def campaign_open(request):
    access.require_open_campaign(request.user)
    sections = Unit.objects.internal().active().filter(kind="section").order_by("sort_order", "pk")
    default_deadline = timezone.localtime(timezone.now() + dt.timedelta(days=14)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    form = forms.CampaignForm(
        request.POST or None,
        sections=sections,
        initial={"title": _("岗位风险排查"), "deadline": default_deadline.strftime("%Y-%m-%dT%H:%M")},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            deadline = d["deadline"]
            if timezone.is_naive(deadline):
                deadline = timezone.make_aware(deadline)
            try:
                campaign = campaign_services.campaign_open(
                    actor=request.user,
                    title=d["title"],
                    deadline=deadline,
                    sections=list(sections.filter(pk__in=[int(s) for s in d["sections"]])),
                )
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, _("风险排查已发起，已通知各岗位在岗人员。"))
                return redirect(campaign.get_absolute_url())
        status = 400
    return render(request, "risks/campaign_open.html", {"form": form}, status=status)


@login_required
@require_GET
def campaign_detail(request, pk):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    can_close = True
    try:
        access.campaign_access_for_action(actor=request.user, campaign=campaign, action="close")
    except ServiceError:
        can_close = False
    return render(
        request,
        "risks/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": selectors.campaign_progress(actor=request.user, campaign=campaign),
            "plan": ladder_plan(campaign),
            "can_close": can_close,
        },
    )


@login_required
@require_POST
def campaign_close(request, pk):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    try:
        campaign_services.campaign_close(actor=request.user, campaign=campaign)
    except ServiceError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, str(exc))
    else:
        messages.success(request, _("风险排查已结束。"))
    return redirect(ReviewCampaign.get_absolute_url(campaign))


# --- editing the register (the leaders) ---------------------------------------------------------------
@login_required
@require_GET
def post_list(request):
    access.require_edit_register(request.user)
    return render(
        request, "risks/post_list.html", {"posts": selectors.post_list(actor=request.user), **_nav(request)}
    )


def _saved(request, form, save, ok_message: str):
    """A POSTed editing form: ``save(cleaned_data)`` (a service call) returns where to go next; a refusal
    comes back on the form (None: the caller renders it again with 400)."""
    if not form.is_valid():
        return None
    try:
        target = save(form.cleaned_data)
    except ServiceError as exc:
        service_error_to_form(form, exc)
        return None
    messages.success(request, ok_message)
    return redirect(target)


def _post_fields(d) -> dict:
    return {
        "name": d["name"],
        "section": d["section"],
        "holders": list(d["holders"]),
        "duties": d["duties"],
        "sort_order": d["sort_order"],
    }


def _risk_fields(d) -> dict:
    return {
        "area": d["area"],
        "title": d["title"],
        "likelihood": d["likelihood"],
        "impact": d["impact"],
        "description": d["description"],
        "owner": d["owner"],
    }


def _post_form_page(request, form, *, post=None, status=200):
    return render(request, "risks/post_form.html", {"form": form, "post": post}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def post_new(request):
    access.require_edit_register(request.user)
    form = forms.PostForm(request.POST or None)
    if request.method == "POST":

        def save(d):
            register_services.post_create(actor=request.user, code=d["code"], **_post_fields(d))
            return "risks:posts"

        done = _saved(request, form, save, _("岗位已新增，可继续登记其风险点。"))
        return done or _post_form_page(request, form, status=400)
    return _post_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    access.require_edit_register(request.user)
    post = selectors.post_get(actor=request.user, pk=pk)
    if request.method == "POST":
        form = forms.PostForm(request.POST, editing=True)

        def save(d):
            register_services.post_update(
                actor=request.user,
                post=post,
                version=d["version"] or 0,
                is_active=d["is_active"],
                **_post_fields(d),
            )
            return "risks:posts"

        done = _saved(request, form, save, _("岗位已保存。"))
        return done or _post_form_page(request, form, post=post, status=400)
    initial = {
        **_post_fields(
            vars(post) | {"section": post.section_id, "holders": post.holders.values_list("pk", flat=True)}
        ),
        "is_active": post.is_active,
        "version": post.version,
    }
    return _post_form_page(request, forms.PostForm(editing=True, initial=initial), post=post)


def _risk_form_page(request, form, *, post, risk=None, status=200):
    return render(request, "risks/risk_form.html", {"form": form, "post": post, "risk": risk}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def risk_new(request, post_pk):
    access.require_edit_register(request.user)
    post = selectors.post_get(actor=request.user, pk=post_pk)
    form = forms.RiskForm(request.POST or None, initial={"likelihood": 2, "impact": 2})
    if request.method == "POST":
        done = _saved(
            request,
            form,
            lambda d: register_services.risk_create(
                actor=request.user,
                post=post,
                code=d["code"],
                controls=[(line, d["owner"]) for line in d["controls"]],
                **_risk_fields(d),
            ).get_absolute_url(),
            _("风险点已登记，下次复核时间已按等级排定。"),
        )
        return done or _risk_form_page(request, form, post=post, status=400)
    return _risk_form_page(request, form, post=post)


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request, pk):
    access.require_edit_register(request.user)
    risk = selectors.risk_get(actor=request.user, pk=pk)
    if request.method == "POST":
        form = forms.RiskForm(request.POST, editing=True)
        done = _saved(
            request,
            form,
            lambda d: register_services.risk_update(
                actor=request.user,
                risk=risk,
                version=d["version"] or 0,
                controls=d["controls"],
                is_active=d["is_active"],
                **_risk_fields(d),
            ).get_absolute_url(),
            _("风险点已保存。"),
        )
        return done or _risk_form_page(request, form, post=risk.post, risk=risk, status=400)
    initial = {
        **_risk_fields(vars(risk) | {"owner": risk.owner_id}),
        "controls": "\n".join(c.description for c in selectors.risk_controls(risk)),
        "is_active": risk.is_active,
        "version": risk.version,
    }
    return _risk_form_page(request, forms.RiskForm(editing=True, initial=initial), post=risk.post, risk=risk)


@login_required
@require_POST
def incident_assign(request, pk):
    access.require_edit_register(request.user)
    incident = selectors.incident_get_unassigned(actor=request.user, pk=pk)
    form = forms.IncidentAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要归入的风险点。"))
        return redirect("risks:failed")
    try:
        incident_services.incident_assign(
            actor=request.user, incident=incident, risk=form.cleaned_data["risk"]
        )
    except ServiceError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, str(exc))
    else:
        messages.success(request, _("事件已归入“%(risk)s”。") % {"risk": form.cleaned_data["risk"]})
    return redirect("risks:failed")
