"""Pages of incoming documents (收文): thin — check the input's shape, ask the access module (the same
rules the services enforce), call one selector or service, render. Actions are posted with htmx; on
success the page reloads (HX-Redirect), on a broken rule the message comes back in the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from office.audit.services import access_log_record
from office.errors import Forbidden, NotFound, ServiceError, forbidden, not_found
from office.files.registry import file_url

from . import access, forms, services
from .models import CIRCULATION_STATUSES, IncomingChannel, IncomingStatus
from .selectors import VERB_LABELS, incoming_get_for_user, incoming_history, incoming_list_for_user

FILE_KIND = "documents-incoming"


@login_required
def incoming_list(request):
    if not access.can_list(request.user):
        raise forbidden(_("收文登记簿仅供机关工作人员查看。"))
    form = forms.FilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}
        if filters.get("urgency") == "all":
            filters.pop("urgency")
        elif "urgency" not in filters and request.GET.get("urgency") == "":
            filters["urgency"] = ""
    qs = incoming_list_for_user(user=request.user, **filters)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/incoming/list.html",
        {
            "page": page,
            "form": form if form.is_bound else forms.FilterForm(),
            "querystring": query.urlencode(),
            "can_register": access.can_register(request.user),
        },
    )


@login_required
def incoming_create(request):
    access.incoming_register_access(actor=request.user)
    form = forms.RegisterForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            doc = services.incoming_register(
                actor=request.user,
                channel=d["channel"],
                fields=services.IncomingFields(
                    issuing_body=d["issuing_body"],
                    title=d["title"],
                    their_number=d["their_number"],
                    their_date=d["their_date"],
                    classification=d["classification"],
                    urgency=d["urgency"] or "",
                    pages=d["pages"],
                    copies=d["copies"],
                ),
                upload=d["file"],
                received_at=d["received_at"],
            )
        except (Forbidden, NotFound):
            raise
        except ServiceError as exc:
            error = exc.message
            for field, msgs in (exc.fields or {}).items():
                if field in form.fields:
                    for msg in msgs:
                        form.add_error(field, msg)
        else:
            messages.success(request, _("已签收登记，收文编号 {serial}。").format(serial=doc.serial))
            return redirect(doc.get_absolute_url())
    elif request.method == "POST":
        error = _("请检查标出的内容。")
    return render(request, "documents/incoming/form.html", {"form": form, "error": error})


@login_required
def incoming_detail(request, pk):
    doc = incoming_get_for_user(user=request.user, id=pk)
    if not access.can_list(request.user):
        # the sender follows its document over the API; the office's handling is not its page
        raise forbidden(_("收文办理页面仅供机关工作人员查看。"))
    access.incoming_access_for_action(actor=request.user, document=doc, action="view")
    if access.is_classified(doc):
        access_log_record(
            actor=request.user, subject=doc, action="view", request=request, classification=doc.classification
        )
    user = request.user
    circulations = list(doc.circulations.all())
    mine = next((c for c in circulations if c.reader_id == user.pk), None)
    bridge = services.supervision_bridge()
    linked = bridge.summary(doc.supervision_item_id) if bridge and doc.supervision_item_id else None
    can = access.incoming_permissions(user, doc)
    status = doc.status
    show = {
        "check": can["check"] and status == IncomingStatus.REGISTERED,
        "return": can["return"] and status == IncomingStatus.REGISTERED,
        "propose": can["propose"] and status in (IncomingStatus.CHECKED, IncomingStatus.PROPOSED),
        "instruct": can["instruct"] and status in (IncomingStatus.CHECKED, IncomingStatus.PROPOSED),
        "assign": can["assign"] and status == IncomingStatus.INSTRUCTED,
        "circulate": can["circulate"] and status in CIRCULATION_STATUSES,
        "read": mine is not None and mine.holding,
        "urge": can["urge"],
        "reply": can["reply"] and status == IncomingStatus.ASSIGNED,
        "close": can["close"] and status in (IncomingStatus.REPLIED, IncomingStatus.INSTRUCTED),
        "archive": can["archive"] and status in (IncomingStatus.CLOSED, IncomingStatus.RETURNED),
        "to_supervision": bool(
            doc.instruction and not doc.supervision_item_id and bridge and bridge.allowed(user)
        ),
    }
    show["any"] = any(v for k, v in show.items() if k != "urge")
    history = list(incoming_history(doc))
    for event in history:
        event.label = VERB_LABELS.get(event.verb, event.verb)
    context = {
        "doc": doc,
        "can": can,
        "show": show,
        "circulations": circulations,
        "holders": [c for c in circulations if c.holding],
        "my_circulation": mine,
        "linked_item": linked,
        "file_url": file_url(FILE_KIND, doc.pk) if doc.file else "",
        "history": history,
        "via_api": doc.channel == IncomingChannel.API,
        "reason_form": forms.ReasonForm(),
        "propose_form": forms.ProposeForm(),
        "instruct_form": forms.InstructForm(),
        "assign_form": forms.AssignForm(),
        "circulate_form": forms.CirculateForm(),
        "read_form": forms.ReadForm(),
        "reply_form": forms.ReplyForm(),
    }
    return render(request, "documents/incoming/detail.html", context)


def _done(request, doc, message):
    messages.success(request, message)
    url = doc.get_absolute_url()
    if request.htmx:
        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = url
        return resp
    return redirect(url)


def _failed(request, doc, message):
    """The message back in the form's alert (rendered by the template engine, so escaped)."""
    if request.htmx:
        return render(request, "documents/incoming/_alert.html", {"message": message})
    messages.error(request, message)
    return redirect(doc.get_absolute_url())


def _form_message(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else str(errors[0])
    return _("请检查填写的内容。")


# action → (form class or None, service call, success message)
def _check(request, doc, d):
    return services.incoming_check(actor=request.user, document=doc)


def _return(request, doc, d):
    return services.incoming_return(actor=request.user, document=doc, reason=d["reason"])


def _propose(request, doc, d):
    return services.incoming_propose(
        actor=request.user, document=doc, proposal=d["proposal"], leader=d["leader"]
    )


def _instruct(request, doc, d):
    return services.incoming_instruct(
        actor=request.user, document=doc, instruction=d["instruction"], deadline=d["deadline"]
    )


def _assign(request, doc, d):
    return services.incoming_assign(
        actor=request.user, document=doc, handler=d["handler"], handler_unit=d["handler_unit"], due=d["due"]
    )


def _circulate(request, doc, d):
    return services.incoming_circulate(actor=request.user, document=doc, readers=d["readers"], mode=d["mode"])


def _read(request, doc, d):
    return services.incoming_mark_read(actor=request.user, document=doc, note=d["note"])


def _urge(request, doc, d):
    return services.incoming_urge_reader(actor=request.user, document=doc, circulation_id=d["circulation"])


def _reply(request, doc, d):
    return services.incoming_reply(actor=request.user, document=doc, reply=d["reply"])


def _close(request, doc, d):
    return services.incoming_close(actor=request.user, document=doc)


def _archive(request, doc, d):
    return services.incoming_archive(actor=request.user, document=doc)


def _to_supervision(request, doc, d):
    return services.incoming_to_supervision(actor=request.user, document=doc)


ACTIONS = {
    "check": (None, _check, gettext_lazy("已初审，待拟办。")),
    "return": (forms.ReasonForm, _return, gettext_lazy("已退回来文单位。")),
    "propose": (forms.ProposeForm, _propose, gettext_lazy("拟办意见已呈批。")),
    "instruct": (forms.InstructForm, _instruct, gettext_lazy("批示已保存。")),
    "assign": (forms.AssignForm, _assign, gettext_lazy("已交办。")),
    "circulate": (forms.CirculateForm, _circulate, gettext_lazy("已发起传阅。")),
    "read": (forms.ReadForm, _read, gettext_lazy("已阅毕。")),
    "urge": (forms.UrgeForm, _urge, gettext_lazy("已催阅。")),
    "reply": (forms.ReplyForm, _reply, gettext_lazy("办理结果已报送。")),
    "close": (None, _close, gettext_lazy("已办结。")),
    "archive": (None, _archive, gettext_lazy("已归档。")),
    "to_supervision": (None, _to_supervision, gettext_lazy("已转督办。")),
}


@login_required
@require_POST
def incoming_action(request, pk, action):
    if action not in ACTIONS:
        raise not_found()
    doc = incoming_get_for_user(user=request.user, id=pk)
    # who may, before what they typed: a refusal is the 403 page whatever the form held
    access.incoming_access_for_action(actor=request.user, document=doc, action=action)
    form_class, run, ok = ACTIONS[action]
    data: dict = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            return _failed(request, doc, _form_message(form))
        data = form.cleaned_data
    try:
        run(request, doc, data)
    except (Forbidden, NotFound):
        raise
    except ServiceError as exc:
        return _failed(request, doc, exc.message)
    return _done(request, doc, str(ok))
