"""Pages of 办会: thin — check the input's shape, ask the access module (the same rules the services
enforce), call one selector or service, render. A broken rule comes back as the Chinese message on the
form (400) or with a redirect; a refusal is the portal's 403/404 page."""

from __future__ import annotations

import calendar as pycal
import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from office.errors import Forbidden, NotFound, ServiceError
from office.web.forms import service_error_to_form

from . import access, forms, selectors
from .badges import badge_maker
from .models import ChecklistItem, Meeting, MeetingNotice, MinutesDecision, Receipt
from .services import checklist as checklist_services
from .services import incidents as incident_services
from .services import meetings as meeting_services
from .services import minutes as minutes_services
from .services import notices as notice_services
from .services import seating_plan
from .services import signin as signin_services

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def _require_list(request):
    if not access.can_list(request.user):
        raise Forbidden(_("仅限办公室干部职工和参会单位使用。"))


def _fail(request, exc: ServiceError, to: str):
    if isinstance(exc, Forbidden | NotFound):
        raise exc
    messages.error(request, str(exc))
    return redirect(to)


def _meeting(request, pk: int, action: str = "view") -> Meeting:
    meeting = selectors.meeting_get_for_user(user=request.user, id=pk)
    access.meeting_access_for_action(actor=request.user, meeting=meeting, action=action)
    return meeting


# --- calendar and rooms --------------------------------------------------------------------------


def _parse_day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


_PK_SLOT = 2_147_483_647


def _detail_url_maker():
    """pk → the meeting page's URL, from one reverse() (the URL's shape is the same for every meeting)."""
    head, tail = reverse("meetings:detail", kwargs={"pk": _PK_SLOT}).split(str(_PK_SLOT))
    return lambda pk: f"{head}{pk}{tail}"


@login_required
@require_GET
def calendar(request):
    _require_list(request)
    view = "month" if request.GET.get("view") == "month" else "week"
    day = _parse_day(request.GET.get("date"))
    if view == "week":
        first = day - dt.timedelta(days=day.weekday())
        last = first + dt.timedelta(days=7)
        prev_day, next_day = first - dt.timedelta(days=7), last
    else:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1)
        prev_day, next_day = (first - dt.timedelta(days=1)).replace(day=1), last
    grid_first = first - dt.timedelta(days=first.weekday())
    grid_last = last + dt.timedelta(days=(7 - last.weekday()) % 7)
    meetings = selectors.calendar_for_user(user=request.user, start=_aware(grid_first), end=_aware(grid_last))
    # A month holds hundreds of meetings: each one's link and times are made here once, not by a reverse()
    # and two date filters per meeting in the template (they were most of the page's time).
    url_of, badge = _detail_url_maker(), badge_maker()
    by_day: dict[dt.date, list[Meeting]] = {}
    for m in meetings:
        starts, ends = timezone.localtime(m.starts_at), timezone.localtime(m.ends_at)
        m.url, m.starts_hm, m.ends_hm = url_of(m.pk), starts.strftime("%H:%M"), ends.strftime("%H:%M")
        m.badge_css, m.badge_label = badge(m)
        by_day.setdefault(starts.date(), []).append(m)
    today = timezone.localdate()
    days = [grid_first + dt.timedelta(days=i) for i in range((grid_last - grid_first).days)]
    cells = [
        {
            "date": d,
            "weekday": WEEKDAYS[d.weekday()],
            "meetings": by_day.get(d, []),
            "in_range": first <= d < last,
            "today": d == today,
        }
        for d in days
    ]
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    if view == "week":
        heading = _("%(start)s — %(end)s 的会议") % {
            "start": first.strftime("%Y年%m月%d日"),
            "end": (last - dt.timedelta(days=1)).strftime("%m月%d日"),
        }
    else:
        heading = _("%(month)s 的会议") % {"month": first.strftime("%Y年%m月")}
    return render(
        request,
        "meetings/calendar.html",
        {
            "view": view,
            "heading": heading,
            "weeks": weeks,
            "week_cells": [c for c in cells if c["in_range"]],
            "weekdays": WEEKDAYS,
            "prev": prev_day.isoformat(),
            "next": next_day.isoformat(),
            "date": day.isoformat(),
            "count": len(meetings),
            "loud": [m for m in meetings if m.is_loud],
            "can_create": access.can_create(request.user),
            "is_office": access.is_office_staff(request.user),
            "month_days": pycal.monthrange(first.year, first.month)[1],
        },
    )


@login_required
@require_GET
def rooms(request):
    if not access.is_office_staff(request.user):
        raise Forbidden(_("仅限办公室干部职工使用。"))
    day = _parse_day(request.GET.get("date"))
    start, end = _aware(day), _aware(day + dt.timedelta(days=1))
    room_rows = []
    for room in selectors.room_list():
        room_rows.append(
            {
                "room": room,
                "bookings": list(selectors.room_bookings(user=request.user, room=room, start=start, end=end)),
            }
        )
    return render(request, "meetings/rooms.html", {"rows": room_rows, "day": day})


# --- create and edit -----------------------------------------------------------------------------


def _meeting_kwargs(d: dict) -> dict:
    return {
        "meeting_type": d["meeting_type"],
        "title": d["title"],
        "starts_at": d["starts_at"],
        "ends_at": d["ends_at"],
        "room": d["room"],
        "section": d["section"],
        "presiding": d["presiding"],
        "organizer": d["organizer"],
        "technician": d["technician"],
        "classification": d["classification"],
        "description": d["description"],
    }


def _ordered_leaders(request, d: dict) -> list:
    wanted = [int(v) for v in request.POST.getlist("leaders") if v.isdigit()]
    by_pk = {u.pk: u for u in d["leaders"]}
    return [by_pk[pk] for pk in wanted if pk in by_pk]


def _meeting_form_page(request, meeting, save, done: str, initial=None):
    # The form page that both arranges a meeting and changes one: ``save(form_data)`` is the service.
    form = forms.MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = save(
                actor=request.user,
                leaders=_ordered_leaders(request, d),
                units=d["units"],
                service_staff=d["service_staff"],
                **_meeting_kwargs(d),
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": meeting},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_create(request):
    access.require_create(request.user)
    return _meeting_form_page(
        request, None, meeting_services.meeting_create, _("会议已安排，会务清单已按会议类型生成。")
    )


@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    initial = {
        "meeting_type": meeting.meeting_type_id,
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "room": meeting.room_id,
        "section": meeting.section_id,
        "classification": meeting.classification,
        "presiding": meeting.presiding_id,
        "leaders": [ml.user_id for ml in meeting.leaders.all()],
        "units": list(meeting.units.values_list("pk", flat=True)),
        "organizer": meeting.organizer_id,
        "technician": meeting.technician_id,
        "service_staff": list(meeting.service_staff.values_list("pk", flat=True)),
        "description": meeting.description,
        "version": meeting.version,
    }

    def save(**kwargs):
        version = request.POST.get("version")
        return meeting_services.meeting_update(meeting=meeting, version=version, **kwargs)

    return _meeting_form_page(request, meeting, save, _("会议信息已保存。"), initial=initial)


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    try:
        meeting_services.meeting_cancel(
            actor=request.user, meeting=meeting, reason=request.POST.get("reason", "")
        )
    except ServiceError as exc:
        return _fail(request, exc, meeting.get_absolute_url())
    messages.success(request, _("会议已取消，会务提醒已停止。"))
    return redirect(meeting.get_absolute_url())


# --- the meeting page ----------------------------------------------------------------------------


def _qr_svg(request, meeting: Meeting, scale: int = 4) -> str:
    url = request.build_absolute_uri(reverse("meetings:sign-in", kwargs={"pk": meeting.pk}))
    svg = segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff")
    label = _("签到二维码：%(url)s") % {"url": url}
    svg = svg.replace("<svg ", '<svg role="img" aria-label="{}" '.format(label.replace('"', "")), 1)
    return mark_safe(svg)  # noqa: S308  (segno's own SVG of our URL)


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    can = access.meeting_permissions(request.user, meeting)
    receipts = list(access.receipts_for_actor(actor=request.user, meeting=meeting))
    answerable = [r for r in receipts if _may_answer(request.user, r)]
    context = {
        "meeting": meeting,
        "can": can,
        "state": selectors.readiness(meeting),
        "notice": MeetingNotice.objects.filter(meeting=meeting).first(),
        "receipts": receipts,
        "answerable": answerable,
        "attendance": selectors.attendance(actor=request.user, meeting=meeting),
        "leaders": list(meeting.leaders.select_related("user__staff")),
        "units": list(meeting.units.order_by("sort_order", "id")),
        "is_office": access.is_office_staff(request.user),
    }
    if context["is_office"]:
        context.update(
            {
                "items": selectors.checklist(meeting),
                "incidents": list(meeting.incidents.select_related("reported_by__staff", "follow_up")),
                "decisions": list(meeting.decisions.select_related("lead_unit", "supervision_item")),
                "grid": seating_plan.seating_grid(meeting),
                "service_staff": list(meeting.service_staff.select_related("staff")),
            }
        )
    if can["manage"]:
        context.update(
            {
                "notice_form": forms.NoticeForm(),
                "cancel_form": forms.CancelForm(),
                "incident_form": forms.IncidentForm(
                    initial={"started_at": timezone.localtime().replace(second=0, microsecond=0)}
                ),
                "decision_form": forms.DecisionForm(),
                "desk_form": forms.DeskForm(),
                "qr": _qr_svg(request, meeting),
            }
        )
    return render(request, "meetings/meeting_detail.html", context)


def _may_answer(actor, receipt: Receipt) -> bool:
    try:
        access.receipt_access(actor=actor, receipt=receipt)
    except (Forbidden, NotFound):
        return False
    return True


@login_required
@require_POST
def notice_send(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    form = forms.NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("回执截止时间格式不正确。"))
        return redirect(meeting.get_absolute_url())
    try:
        notice_services.notice_send(
            actor=request.user,
            meeting=meeting,
            text=form.cleaned_data["text"],
            deadline=form.cleaned_data["deadline"],
        )
    except ServiceError as exc:
        return _fail(request, exc, meeting.get_absolute_url())
    messages.success(request, _("会议通知已发出，回执催报已启动。"))
    return redirect(meeting.get_absolute_url())


@login_required
def receipt_answer(request, pk: int):
    receipt = Receipt.objects.select_related("meeting", "unit", "person__staff").filter(pk=pk).first()
    if receipt is None:
        raise NotFound()
    access.receipt_access(actor=request.user, receipt=receipt)
    meeting = receipt.meeting
    initial = {
        "response": receipt.response if receipt.response != "pending" else "attend",
        "attendee_name": receipt.attendee_name,
        "attendee_post": receipt.attendee_post,
        "reason": receipt.reason,
    }
    form = forms.ReceiptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice_services.receipt_answer(
                actor=request.user,
                receipt=receipt,
                response=d["response"],
                attendee_name=d["attendee_name"],
                attendee_post=d["attendee_post"],
                reason=d["reason"],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, _("回执已提交。"))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/receipt_form.html",
        {
            "form": form,
            "receipt": receipt,
            "meeting": meeting,
            "notice": MeetingNotice.objects.filter(meeting=meeting).first(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _item(request, pk: int) -> ChecklistItem:
    item = ChecklistItem.objects.select_related("meeting").filter(pk=pk).first()
    # the checklist is the office's own business: a unit does not learn it exists
    if (
        item is None
        or not access.is_office_staff(request.user)
        or not access.can_view(request.user, item.meeting)
    ):
        raise NotFound()
    return item


@login_required
@require_POST
def item_done(request, pk: int):
    item = _item(request, pk)
    to = item.meeting.get_absolute_url() + "#checklist"
    try:
        checklist_services.item_done(actor=request.user, item=item, note=request.POST.get("note", ""))
    except ServiceError as exc:
        return _fail(request, exc, to)
    messages.success(request, _("“%(name)s”已完成。") % {"name": item.name})
    return redirect(to)


@login_required
@require_POST
def item_devices(request, pk: int):
    item = _item(request, pk)
    to = item.meeting.get_absolute_url() + "#checklist"
    form = forms.DevicesForm(request.POST)
    checked = form.cleaned_data["devices"] if form.is_valid() else []
    try:
        item = checklist_services.item_devices_check(actor=request.user, item=item, checked=checked)
    except ServiceError as exc:
        return _fail(request, exc, to)
    if item.done_at:
        messages.success(request, _("设备已全部调试完毕，视频音响事项已完成。"))
    else:
        messages.warning(request, _("已保存；尚有设备未勾选，事项仍未完成。"))
    return redirect(to)


# --- sign-in -------------------------------------------------------------------------------------


@login_required
def sign_in(request, pk: int):
    """The page the door's QR code opens on a phone: sign yourself in, or (a unit's liaison) your unit's
    attendees."""
    meeting = _meeting(request, pk)
    can = access.meeting_permissions(request.user, meeting)
    unit = access.external_unit(request.user)
    mine = meeting.sign_ins.filter(person=request.user).first() if not unit else None
    unit_receipts = list(meeting.receipts.filter(unit=unit).select_related("unit")) if unit else []
    signed = (
        {s.receipt_id: s for s in meeting.sign_ins.filter(receipt__in=unit_receipts)} if unit_receipts else {}
    )
    status = 200
    if request.method == "POST":
        try:
            if unit is not None:
                access.meeting_access_for_action(actor=request.user, meeting=meeting, action="sign_in_unit")
                signin_services.sign_in_unit(
                    actor=request.user, meeting=meeting, receipt_ids=request.POST.getlist("receipt")
                )
            else:
                access.meeting_access_for_action(actor=request.user, meeting=meeting, action="sign_in_self")
                signin_services.sign_in_self(actor=request.user, meeting=meeting)
        except ServiceError as exc:
            if isinstance(exc, Forbidden | NotFound):
                raise
            messages.error(request, str(exc))
            status = 400
        else:
            messages.success(request, _("签到成功。"))
            return redirect("meetings:sign-in", pk=meeting.pk)
    return render(
        request,
        "meetings/sign_in.html",
        {
            "meeting": meeting,
            "can": can,
            "mine": mine,
            "unit": unit,
            "unit_rows": [(r, signed.get(r.pk)) for r in unit_receipts],
        },
        status=status,
    )


@login_required
@require_POST
def desk_sign_in(request, pk: int):
    meeting = _meeting(request, pk, "sign_in_desk")
    form = forms.DeskForm(request.POST)
    to = meeting.get_absolute_url() + "#attendance"
    if not form.is_valid():
        messages.error(request, _("请填写签到人员姓名。"))
        return redirect(to)
    d = form.cleaned_data
    try:
        sign = signin_services.sign_in_desk(
            actor=request.user,
            meeting=meeting,
            receipt=d["receipt"],
            name=d["name"],
            unit_name=d["unit_name"],
        )
    except ServiceError as exc:
        return _fail(request, exc, to)
    messages.success(request, _("%(name)s 已签到。") % {"name": sign.name})
    return redirect(to)


@login_required
@require_GET
def qr(request, pk: int):
    meeting = _meeting(request, pk, "door")
    return render(
        request, "meetings/qr.html", {"meeting": meeting, "qr": _qr_svg(request, meeting, scale=10)}
    )


# --- incidents and minutes -----------------------------------------------------------------------


@login_required
@require_POST
def incident_record(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    form = forms.IncidentForm(request.POST)
    to = meeting.get_absolute_url() + "#incidents"
    if not form.is_valid():
        messages.error(request, _("事故记录填写不完整：请填写类别、问题和开始时间。"))
        return redirect(to)
    d = form.cleaned_data
    try:
        incident = incident_services.incident_record(actor=request.user, meeting=meeting, **d)
    except ServiceError as exc:
        return _fail(request, exc, to)
    if incident.follow_up_id:
        messages.success(request, _("已记录；设备故障已生成整改任务，由技术保障人员限期完成。"))
    else:
        messages.success(request, _("已记录。"))
    return redirect(to)


@login_required
@require_POST
def decision_add(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    form = forms.DecisionForm(request.POST)
    to = meeting.get_absolute_url() + "#minutes"
    if not form.is_valid():
        messages.error(request, _("请填写议定事项。"))
        return redirect(to)
    try:
        minutes_services.decision_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    except ServiceError as exc:
        return _fail(request, exc, to)
    messages.success(request, _("议定事项已录入。"))
    return redirect(to)


@login_required
@require_POST
def decision_to_supervision(request, pk: int):
    decision = MinutesDecision.objects.select_related("meeting").filter(pk=pk).first()
    if (
        decision is None
        or not access.is_office_staff(request.user)
        or not access.can_view(request.user, decision.meeting)
    ):
        raise NotFound()
    to = decision.meeting.get_absolute_url() + "#minutes"
    had = decision.supervision_item_id
    try:
        item = minutes_services.decision_to_supervision(actor=request.user, decision=decision)
    except ServiceError as exc:
        return _fail(request, exc, to)
    if had:
        messages.info(request, _("该议定事项已转为督办事项 %(n)s。") % {"n": item.number})
    else:
        messages.success(request, _("已转为督办事项 %(n)s。") % {"n": item.number})
    return redirect(to)


@login_required
@require_POST
def minutes_draft(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    to = meeting.get_absolute_url() + "#minutes"
    try:
        doc = minutes_services.minutes_draft(
            actor=request.user, meeting=meeting, body=request.POST.get("body", "")
        )
    except ServiceError as exc:
        return _fail(request, exc, to)
    messages.success(request, _("会议纪要草稿已生成：%(title)s。") % {"title": doc.title})
    return redirect(to)


# --- seating -------------------------------------------------------------------------------------


@login_required
@require_GET
def seating(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    grid = seating_plan.seating_grid(meeting)
    return render(
        request,
        "meetings/seating.html",
        {"meeting": meeting, "grid": grid, "swap_form": forms.SwapForm(seats=grid["seats"])},
    )


@login_required
@require_POST
def seating_generate(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    to = reverse("meetings:seating", kwargs={"pk": meeting.pk})
    try:
        rows = seating_plan.seating_generate(actor=request.user, meeting=meeting)
    except ServiceError as exc:
        return _fail(request, exc, to)
    messages.success(request, _("座次已按职级排定（%(n)s 个座位）。") % {"n": len(rows)})
    return redirect(to)


@login_required
@require_POST
def seating_swap(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    to = reverse("meetings:seating", kwargs={"pk": meeting.pk})
    try:
        seating_plan.seating_swap(
            actor=request.user,
            meeting=meeting,
            key_a=request.POST.get("a", ""),
            key_b=request.POST.get("b", ""),
        )
    except ServiceError as exc:
        return _fail(request, exc, to)
    messages.success(request, _("两个座位已互换。"))
    return redirect(to)


@login_required
@require_GET
def seating_docx(request, pk: int):
    meeting = _meeting(request, pk, "manage")
    response = HttpResponse(seating_plan.seating_docx(meeting), content_type=DOCX_MIME)
    response["Content-Disposition"] = f'attachment; filename="seating-{meeting.pk}.docx"'
    return response


@login_required
@require_GET
def seating_pdf(request, pk: int):
    from documents.pdf import docx_to_pdf

    meeting = _meeting(request, pk, "manage")
    pdf = docx_to_pdf(seating_plan.seating_docx(meeting))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="seating-{meeting.pk}.pdf"'
    return response


@login_required
@require_GET
def door(request, pk: int):
    """The tablet at the door: the seating plan large, the sign-in QR code and the count so far."""
    meeting = _meeting(request, pk, "door")
    return render(
        request,
        "meetings/door.html",
        {
            "meeting": meeting,
            "grid": seating_plan.seating_grid(meeting),
            "qr": _qr_svg(request, meeting, scale=6),
            "attendance": selectors.attendance(actor=request.user, meeting=meeting),
        },
    )
