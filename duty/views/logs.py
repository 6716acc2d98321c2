from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..forms import HandleForm, HandoverForm, LogForm, PhoneRecordForm
from ..models import Handover, PhoneStatus
from ..selectors.logs import (
    handover_get_for_user,
    handover_list_for_user,
    log_entries_of_shift,
    phone_record_get_for_user,
    phone_record_list_for_user,
)
from ..selectors.roster import shift_get_for_user
from ..services import handover as handover_services
from ..services import logs as services
from .common import FORM_ERRORS, duty_required, lines


@duty_required
def shift_detail(request, pk):
    shift = shift_get_for_user(user=request.user, id=pk)
    handover_in = Handover.objects.filter(to_shift=shift).select_related("outgoing_officer__staff").first()
    handover_out = Handover.objects.filter(from_shift=shift).select_related("incoming_officer__staff").first()
    return render(
        request,
        "duty/shift_detail.html",
        {
            "shift": shift,
            "entries": log_entries_of_shift(shift),
            "phones": shift.phone_records.select_related("recorder__staff").order_by("received_at"),
            "reports": shift.reports.order_by("received_at"),
            "handover_in": handover_in,
            "handover_out": handover_out,
            "log_form": LogForm(),
            "handover_form": HandoverForm(),
            "can": access.shift_permissions(request.user, shift),
        },
    )


@require_POST
@duty_required
def log_add(request, pk):
    shift = shift_get_for_user(user=request.user, id=pk)
    form = LogForm(request.POST)
    if form.is_valid():
        try:
            services.log_add(actor=request.user, shift=shift, text=form.cleaned_data["text"])
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
    return redirect("duty:shift-detail", pk)


@require_POST
@duty_required
def handover_write(request, pk):
    shift = shift_get_for_user(user=request.user, id=pk)
    access.shift_access_for_action(actor=request.user, shift=shift, action="handover_write")
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            handover = handover_services.handover_write(
                actor=request.user,
                from_shift=shift,
                notes=form.cleaned_data["notes"],
                documents=lines(form.cleaned_data["documents"]),
                matters=lines(form.cleaned_data["matters"]),
            )
            messages.success(request, _("交班记录已填写，等待接班人确认。"))
            return redirect("duty:handover-detail", handover.pk)
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
    return redirect("duty:shift-detail", pk)


@duty_required
def handover_list(request):
    page = Paginator(handover_list_for_user(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "duty/handover_list.html", {"page": page})


@duty_required
def handover_detail(request, pk):
    handover = handover_get_for_user(user=request.user, id=pk)
    return render(
        request,
        "duty/handover_detail.html",
        {
            "handover": handover,
            "can": {"acknowledge": access.can_acknowledge_handover(request.user, handover)},
        },
    )


@require_POST
@duty_required
def handover_acknowledge(request, pk):
    handover = handover_get_for_user(user=request.user, id=pk)
    try:
        handover_services.handover_acknowledge(actor=request.user, handover=handover)
        messages.success(request, _("已确认接班，待办事项已转入本班。"))
    except FORM_ERRORS as exc:
        messages.error(request, exc.message)
    return redirect("duty:handover-detail", pk)


@duty_required
def phone_list(request):
    status = request.GET.get("status") or ""
    form = PhoneRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_record_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("电话记录已登记。"))
            return redirect("duty:phone-list")
        except FORM_ERRORS as exc:
            form.add_error(None, exc.message)
    page = Paginator(phone_record_list_for_user(user=request.user, status=status or None), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "duty/phone_list.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "statuses": PhoneStatus.choices,
            "handle_form": HandleForm(),
        },
    )


@require_POST
@duty_required
def phone_handle(request, pk):
    record = phone_record_get_for_user(user=request.user, id=pk)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            services.phone_record_handle(actor=request.user, record=record, note=form.cleaned_data["note"])
            messages.success(request, _("已办理。"))
        except FORM_ERRORS as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请填写办理情况。"))
    return redirect("duty:phone-list")
