import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..errors import DutyError
from ..excel import roster_export, roster_import
from ..forms import GenerateForm, ImportForm, ShiftForm, SwapProposeForm
from ..models import Shift, SwapPosition
from ..selectors.roster import (
    roster_gaps,
    roster_get_for_user,
    roster_list_for_user,
    roster_shifts,
    shift_get_for_user,
    shifts_of_user,
    swap_get_for_user,
    swap_list_for_user,
)
from ..services import roster as services
from .common import FORM_ERRORS, duty_required


@duty_required
def roster_list(request):
    today = timezone.localdate()
    nxt = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    form = GenerateForm(request.POST or None, initial={"year": nxt.year, "month": nxt.month})
    if request.method == "POST":
        access.require_roster_editor(request.user)
        if form.is_valid():
            try:
                roster = services.roster_generate(actor=request.user, **form.cleaned_data)
                messages.success(request, _("已按轮值规则生成草稿，请核对后发布。"))
                return redirect("duty:roster-detail", roster.pk)
            except FORM_ERRORS as exc:
                form.add_error(None, exc.message)
    return render(
        request,
        "duty/roster_list.html",
        {
            "rosters": roster_list_for_user(user=request.user),
            "form": form,
            "gaps": roster_gaps(),
            "can_edit": access.can_edit_roster(request.user),
        },
    )


@duty_required
def roster_detail(request, pk):
    roster = roster_get_for_user(user=request.user, id=pk)
    shifts = list(roster_shifts(roster))
    can_edit = access.can_edit_roster(request.user) and roster.status == "draft"
    return render(
        request,
        "duty/roster_detail.html",
        {
            "roster": roster,
            "shifts": shifts,
            "can_edit": can_edit,
            "people": list(ShiftForm().fields["leader"].queryset.order_by("staff__name")) if can_edit else [],
            "import_form": ImportForm() if can_edit else None,
            "user_shift_ids": {
                s.pk for s in shifts if request.user.pk in (s.main_officer_id, s.deputy_officer_id)
            },
            "now": timezone.now(),
        },
    )


@require_POST
@duty_required
def shift_edit(request, pk):
    shift = shift_get_for_user(user=request.user, id=pk)
    access.shift_access_for_action(actor=request.user, shift=shift, action="assign")
    form = ShiftForm(request.POST)
    if form.is_valid():
        try:
            services.shift_assign(actor=request.user, shift=shift, **form.cleaned_data)
            messages.success(request, _("班次 %(shift)s 已更新。") % {"shift": shift})
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("提交的数据有误。"))
    return redirect("duty:roster-detail", shift.roster_id)


@require_POST
@duty_required
def roster_publish(request, pk):
    roster = roster_get_for_user(user=request.user, id=pk)
    try:
        services.roster_publish(actor=request.user, roster=roster, version=request.POST.get("version"))
        messages.success(request, _("值班表已发布。"))
    except FORM_ERRORS as exc:
        messages.error(request, exc.message)
    return redirect("duty:roster-detail", pk)


@duty_required
def roster_export_view(request, pk):
    roster = roster_get_for_user(user=request.user, id=pk)
    response = HttpResponse(
        roster_export(roster),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="duty-roster-{roster.year}-{roster.month:02d}.xlsx"'
    )
    return response


@require_POST
@duty_required
def roster_import_view(request, pk):
    roster = roster_get_for_user(user=request.user, id=pk)
    access.roster_access_for_action(actor=request.user, roster=roster, action="import")
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            changed = roster_import(actor=request.user, roster=roster, file=form.cleaned_data["file"])
            messages.success(request, _("导入完成，调整了 %(n)s 个班次。") % {"n": changed})
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请选择要导入的 Excel 文件。"))
    return redirect("duty:roster-detail", pk)


@duty_required
def swap_list(request):
    return render(
        request,
        "duty/swap_list.html",
        {
            "swaps": [
                {"swap": s, "can": access.swap_permissions(request.user, s)}
                for s in swap_list_for_user(user=request.user)[:100]
            ],
            "my_shifts": shifts_of_user(user=request.user).filter(starts_at__gt=timezone.now()),
            "positions": SwapPosition.choices,
        },
    )


@require_POST
@duty_required
def swap_propose(request):
    form = SwapProposeForm(request.POST)
    if form.is_valid():
        shift = Shift.objects.filter(pk=form.cleaned_data["shift"]).first()
        try:
            if shift is None:
                raise DutyError(_("班次不存在。"))
            services.swap_propose(
                actor=request.user,
                shift=shift,
                position=form.cleaned_data["position"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("换班申请已发出，等待同事接替。"))
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
    return redirect("duty:swap-list")


@require_POST
@duty_required
def swap_action(request, pk, action):
    swap = swap_get_for_user(user=request.user, id=pk)
    try:
        if action == "accept":
            services.swap_accept(actor=request.user, swap=swap)
            messages.success(request, _("已接替，等待带班领导审批。"))
        elif action in ("approve", "reject"):
            services.swap_decide(actor=request.user, swap=swap, approve=action == "approve")
            messages.success(request, _("已审批。"))
        elif action == "cancel":
            services.swap_cancel(actor=request.user, swap=swap)
            messages.success(request, _("已撤回。"))
    except FORM_ERRORS as exc:
        messages.error(request, exc.message)
    return redirect("duty:swap-list")
