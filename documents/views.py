"""Pages of 办文. They ask ``documents.access`` and call selectors and services; no rules of their own."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from office.errors import Forbidden, NotFound, ServiceError, not_found
from office.files.views import attachment_response
from office.org.roles import user_roles
from office.org.selectors import unit_of_user

from . import access, selectors, services
from .conf import default_issuing_body
from .forms import (
    ApproveForm,
    ChainForm,
    CommentForm,
    DelegateForm,
    DraftCreateForm,
    DraftEditForm,
    GrantReadersForm,
    ReturnForm,
    SubmitForm,
    WithdrawForm,
)
from .models import DocStatus, DocType, Document, DocumentComment, ReviewStep, StepStatus
from .rendering import docx_filename, render_docx
from .selectors import document_get_for_user, document_list_for_user

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return attachment_response(content, filename=filename, content_type=content_type)


def _filtered(request):
    return document_list_for_user(
        user=request.user,
        status=request.GET.get("status") or None,
        doc_type=request.GET.get("doc_type") or None,
        q=request.GET.get("q") or None,
    )


@login_required
def document_list(request):
    page = Paginator(_filtered(request), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/document_list.html",
        {
            "page": page,
            "total": page.paginator.count,
            "statuses": DocStatus.choices,
            "doc_types": DocType.choices,
            "filters": request.GET,
            "query": query.urlencode(),
        },
    )


@login_required
def document_export(request):
    """The (scoped, filtered) list as an Excel sheet; each classified row read is logged."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("公文")
    ws.append([_("发文字号"), _("标题"), _("文种"), _("状态"), _("密级"), _("成文日期"), _("发文机关")])
    for doc in _filtered(request):
        access.document_log_read(actor=request.user, document=doc, action="export", request=request)
        ws.append(
            [
                doc.number,
                doc.title,
                str(doc.get_doc_type_display()),
                str(doc.get_status_display()),
                str(doc.get_classification_display()),
                doc.issued_on,
                doc.issuing_body,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    name = _("公文列表") + f"-{timezone.localdate():%Y%m%d}.xlsx"
    return _attachment(out.getvalue(), XLSX_MIME, name)


@login_required
def document_detail(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="view")
    access.document_log_read(actor=request.user, document=doc, action="view", request=request)
    return render(request, "documents/document_detail.html", _detail_context(request, doc))


@login_required
def document_download(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="download")
    access.document_log_read(actor=request.user, document=doc, action="download", request=request)
    return _attachment(render_docx(doc), DOCX_MIME, docx_filename(doc))


@login_required
@require_POST
def document_sign_off(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    try:
        services.document_sign_off(actor=request.user, document=doc, opinion=request.POST.get("opinion", ""))
    except (Forbidden, NotFound):
        raise  # the 403/404 page: not a message on the form
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签发。"))
    return redirect("documents:detail", pk=doc.pk)


@login_required
@require_POST
def document_grant_read(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="grant")
    form = GrantReadersForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("documents:detail", pk=doc.pk)
    try:
        services.document_grant_read(actor=request.user, document=doc, users=form.cleaned_data["users"])
    except (Forbidden, NotFound):
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已指定阅知人员。"))
    return redirect("documents:detail", pk=doc.pk)


# --- outgoing documents: home, new draft, the draft page and its actions -------------------------------

HOME_TABS = (
    ("todo", _lazy("待办")),
    ("read", _lazy("待阅")),
    ("done", _lazy("已办")),
    ("drafts", _lazy("草稿")),
)
HOME_LIMIT = 50


def _incoming_rows(fn, user) -> list:
    rows = []
    for obj in fn(user)[:HOME_LIMIT]:
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        rows.append({"title": str(getattr(obj, "title", obj)), "url": url, "kind": _("收文"), "obj": obj})
    return rows


@login_required
def documents_home(request):
    """办文 home: 待办 / 待阅 / 已办 / 草稿, outgoing rows beside the incoming ones; a fixed number of
    queries whatever the number of documents."""
    from .incoming import selectors as incoming

    if not access.can_list(request.user):
        raise Forbidden(_("您无权查看公文。"))
    tab = request.GET.get("tab") or "todo"
    if tab not in dict(HOME_TABS):
        tab = "todo"
    user = request.user
    ctx: dict = {"tab": tab, "tabs": HOME_TABS, "can_create": access.can_create(user) and user.pk}
    if tab == "todo":
        ctx["steps"] = list(selectors.my_pending_steps(user=user)[:HOME_LIMIT])
        ctx["returned"] = list(selectors.my_returned_drafts(user=user)[:HOME_LIMIT])
        ctx["to_handle"] = list(selectors.documents_to_handle(user=user)[:HOME_LIMIT])
        ctx["incoming"] = _incoming_rows(incoming.incoming_todo, user)
    elif tab == "read":
        ctx["receipts"] = list(selectors.receipts_to_acknowledge(user=user)[:HOME_LIMIT])
        ctx["incoming"] = _incoming_rows(incoming.incoming_to_read, user)
    elif tab == "done":
        ctx["documents"] = list(selectors.my_done_documents(user=user)[:HOME_LIMIT])
        ctx["incoming"] = _incoming_rows(incoming.incoming_done, user)
    else:
        ctx["documents"] = list(selectors.my_drafts(user=user)[:HOME_LIMIT])
    return render(request, "documents/home.html", ctx)


@login_required
def draft_create(request):
    access.document_create_access(actor=request.user)
    if not getattr(request.user, "pk", None):
        raise Forbidden(_("只有机关工作人员可以拟制公文。"))
    form = DraftCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            doc = services.document_create(
                actor=request.user,
                doc_type=d["doc_type"],
                title=d["title"].strip(),
                body=d["body"].replace("\r\n", "\n").rstrip(),
                main_recipients=d["main_recipients"].strip(),
                copy_to=d["copy_to"].strip(),
                issuing_body=default_issuing_body(),
                classification=d["classification"],
                urgency=d["urgency"] or "",
                recipient_units=d["recipient_units"],
                to_all_units=d["to_all_units"],
            )
        except (Forbidden, NotFound):
            raise
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("草稿已保存（第1版）。请设置审核流程后送审。"))
            return redirect("documents:detail", pk=doc.pk)
    return render(request, "documents/draft_new.html", {"form": form}, status=400 if form.errors else 200)


def _form_error(form, exc: ServiceError) -> None:
    fields = getattr(exc, "fields", None) or {}
    placed = False
    for name, errors in fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _paragraph_rows(doc, findings, comments) -> list[dict]:
    """The text paragraph by paragraph with the proofreader's findings marked inline and the comments
    anchored to each paragraph."""
    from html import escape

    from django.utils.safestring import mark_safe

    rows = []
    offset = 0
    by_para: dict[int, list] = {}
    for c in comments:
        by_para.setdefault(c.paragraph, []).append(c)
    body_findings = [f for f in findings if f.paragraph >= 0]
    for index, para in enumerate(services.paragraphs(doc.body)):
        start, end = offset, offset + len(para)
        here = sorted((f for f in body_findings if start <= f.start < end + 1), key=lambda f: f.start)
        html, pos = [], start
        for f in here:
            fs, fe = max(f.start, pos), min(max(f.end, f.start + 1), end)
            if fs < pos or fs >= end:
                continue
            html.append(escape(doc.body[pos:fs]))
            css = "pf-error" if f.severity == "error" else "pf-warning"
            tip = f"{f.rule_name}：{f.message}" + (f"（建议：{f.suggestion}）" if f.suggestion else "")
            html.append(f'<mark class="{css}" title="{escape(tip)}">{escape(doc.body[fs:fe])}</mark>')
            pos = fe
        html.append(escape(doc.body[pos:end]))
        rows.append(
            {
                "index": index,
                "html": mark_safe("".join(html)),  # noqa: S308 (every piece escaped above)
                "findings": here,
                "comments": by_para.get(index, []),
            }
        )
        offset = end + 1
    return rows


def _detail_context(request, doc, *, edit_form=None, conflict=None) -> dict:
    from .proofreading import has_errors, proofread

    user = request.user
    can = access.document_permissions(user, doc)
    findings = (
        proofread(doc.body, title=doc.title) if doc.status in (DocStatus.DRAFT, DocStatus.IN_REVIEW) else []
    )
    comments = selectors.comments_for_document(doc) if access.is_office_staff(user) else []
    steps = selectors.steps_for_document(doc) if access.is_office_staff(user) else []
    versions = (
        list(selectors.versions_for_user(user=user, document_id=doc.pk))
        if access.is_office_staff(user)
        else []
    )
    my_steps = [s for s in steps if s.status == StepStatus.PENDING and s.assignee_id == user.pk]
    pending = [s for s in steps if s.status == StepStatus.PENDING]
    receipts = (
        selectors.receipts_for_document(doc)
        if doc.status in (DocStatus.PUBLISHED, DocStatus.ARCHIVED)
        else []
    )
    my_receipt = None
    if can["acknowledge"]:
        unit = unit_of_user(user)
        my_receipt = next((r for r in receipts if r.unit_id == getattr(unit, "pk", None)), None)
        if not access.is_office_staff(user):
            receipts = [my_receipt] if my_receipt else []
    if edit_form is None and can["edit"]:
        edit_form = DraftEditForm(
            initial={
                "revision": doc.revision,
                "title": doc.title,
                "title_lines": doc.title_lines,
                "main_recipients": doc.main_recipients,
                "copy_to": doc.copy_to,
                "body": doc.body,
            }
        )
    chain_form = None
    if can["configure"]:
        chain_form = ChainForm(initial=_chain_initial(doc, steps))
    return {
        "doc": doc,
        "can": can,
        "grant_form": GrantReadersForm() if can["grant"] else None,
        "findings": findings,
        "title_findings": [f for f in findings if f.paragraph < 0],
        "blocking": has_errors(findings),
        "paragraphs": _paragraph_rows(doc, findings, comments),
        "comments": comments,
        "open_comments": [c for c in comments if not c.resolved_at],
        "steps": steps,
        "rounds": _rounds(steps),
        "my_steps": [
            {
                "step": s,
                "approve": ApproveForm(prefix=f"s{s.pk}"),
                "return": ReturnForm(prefix=f"s{s.pk}", targets=services.return_targets(doc, s)),
                "delegate": DelegateForm(prefix=f"s{s.pk}"),
            }
            for s in my_steps
        ],
        "pending_steps": pending,
        "can_remind": can["remind"],
        "versions": versions,
        "edit_form": edit_form,
        "conflict": conflict,
        "chain_form": chain_form,
        "submit_form": SubmitForm() if can["submit"] and doc.status == DocStatus.DRAFT else None,
        "withdraw_form": WithdrawForm() if can["withdraw"] and doc.status == DocStatus.SIGNED else None,
        "comment_form": CommentForm() if can["comment"] else None,
        "receipts": receipts,
        "acknowledged": sum(1 for r in receipts if r and r.acknowledged_at),
        "my_receipt": my_receipt,
        "has_pdf": _has_url("documents:pdf", doc.pk),
    }


def _has_url(name: str, pk: int) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name, args=[pk])
    except NoReverseMatch:
        return False
    return True


def _rounds(steps) -> list[dict]:
    rounds: dict[int, list] = {}
    for s in steps:
        rounds.setdefault(s.round, []).append(s)
    return [{"round": r, "steps": rows} for r, rows in sorted(rounds.items(), reverse=True)]


def _chain_initial(doc, steps) -> dict:
    """The form proposes the chain last set, or the type's default (``DOCUMENTS_DEFAULT_CHAINS``)."""
    from .conf import default_chain

    if steps:
        last = max(s.round for s in steps)
        current = [s for s in steps if s.round == last and s.status != StepStatus.DELEGATED]
        reviewers = [s.assignee for s in current if s.kind == "review"]
        initial: dict = {f"reviewer_{i + 1}": u.pk for i, u in enumerate(reviewers[:3])}
        initial["countersigners"] = [s.assignee_id for s in current if s.kind == "countersign"]
        signer = next((s.assignee_id for s in current if s.kind == "sign_off"), None)
        initial["signer"] = signer
        return initial
    plan = default_chain(doc.doc_type)
    candidates = list(selectors.reader_candidates())
    initial = {}
    for i, role in enumerate((plan.get("review") or [])[:3]):
        user = next((u for u in candidates if role in user_roles(u)), None)
        if user is not None:
            initial[f"reviewer_{i + 1}"] = user.pk
    signer_role = plan.get("sign_off")
    signer = next((u for u in candidates if signer_role in user_roles(u)), None)
    if signer is not None:
        initial["signer"] = signer.pk
    return initial


@login_required
def draft_save(request, pk):
    """Save the text as a new version; a stale revision answers 409 with the other person's version
    shown and the user's text kept in the form."""
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="edit")
    if request.method != "POST":
        return redirect("documents:detail", pk=doc.pk)
    form = DraftEditForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "documents/document_detail.html",
            _detail_context(request, doc, edit_form=form),
            status=400,
        )
    d = form.cleaned_data
    try:
        version = services.document_save_text(
            actor=request.user,
            document=doc,
            base_revision=d["revision"],
            title=d["title"],
            body=d["body"],
            title_lines=d["title_lines"],
            main_recipients=d["main_recipients"],
            copy_to=d["copy_to"],
            note=d["note"],
        )
    except services.DraftConflict as exc:
        form.add_error(None, exc.message)
        doc.refresh_from_db()
        return render(
            request,
            "documents/document_detail.html",
            _detail_context(request, doc, edit_form=form, conflict=exc.current),
            status=409,
        )
    except (Forbidden, NotFound):
        raise
    except ServiceError as exc:
        _form_error(form, exc)
        return render(
            request,
            "documents/document_detail.html",
            _detail_context(request, doc, edit_form=form),
            status=400,
        )
    if version is None:
        messages.info(request, _("内容没有变化，未生成新版本。"))
    else:
        messages.success(request, _("已保存为第{n}版。").format(n=version.number))
    return redirect("documents:detail", pk=doc.pk)


@login_required
def version_diff(request, pk):
    """Two versions side by side (?a=&b=), paragraphs matched and characters marked."""
    from .diff import side_by_side

    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="view")
    if not access.is_office_staff(request.user):
        raise not_found()
    versions = list(selectors.versions_for_user(user=request.user, document_id=doc.pk))
    last = versions[-1].number if versions else 1
    a_no = request.GET.get("a") or (last - 1 if last > 1 else 1)
    b_no = request.GET.get("b") or last
    a, b = selectors.version_pair_for_user(user=request.user, document_id=doc.pk, a=a_no, b=b_no)
    access.document_log_read(actor=request.user, document=doc, action="view", request=request)
    rows = side_by_side(f"{a.title}\n{a.body}", f"{b.title}\n{b.body}")
    return render(
        request,
        "documents/version_diff.html",
        {"doc": doc, "a": a, "b": b, "rows": rows, "versions": versions},
    )


def _refuse(request, doc, message: str):
    """A form that came back incomplete: the message next to the control (htmx) or on the page."""
    if getattr(request, "htmx", False):
        return render(request, "documents/_alert.html", {"message": message})
    messages.error(request, message)
    return redirect("documents:detail", pk=doc.pk)


def _post_action(request, doc, fn, success: str):
    """Run one action. Posted with htmx: on success the page reloads (HX-Redirect) with the message, on
    a refusal the message appears next to the control; without htmx a redirect with the message."""
    url = reverse("documents:detail", args=[doc.pk])
    try:
        fn()
    except (Forbidden, NotFound):
        raise
    except ServiceError as exc:
        if getattr(request, "htmx", False):
            return render(request, "documents/_alert.html", {"message": exc.message})
        messages.error(request, exc.message)
        return redirect(url)
    messages.success(request, success)
    if getattr(request, "htmx", False):
        resp = HttpResponse(status=204)
        resp["HX-Redirect"] = url
        return resp
    return redirect(url)


@login_required
@require_POST
def comment_add(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="comment")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refuse(request, doc, _("请选择段落并填写批注内容。"))
    d = form.cleaned_data
    return _post_action(
        request,
        doc,
        lambda: services.comment_add(
            actor=request.user, document=doc, paragraph=d["paragraph"], text=d["text"]
        ),
        _("批注已添加。"),
    )


@login_required
@require_POST
def comment_resolve(request, pk, comment_id):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="view")
    comment = DocumentComment.objects.filter(document=doc, pk=comment_id).select_related("document").first()
    if comment is None:
        raise not_found()
    return _post_action(
        request, doc, lambda: services.comment_resolve(actor=request.user, comment=comment), _("批注已处理。")
    )


@login_required
@require_POST
def chain_configure(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="configure")
    form = ChainForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label}：{e}" if name in form.fields else str(e)
            for name, errs in form.errors.items()
            for e in errs
        ]
        return _refuse(request, doc, "；".join(problems))
    d = form.cleaned_data
    return _post_action(
        request,
        doc,
        lambda: services.chain_configure(
            actor=request.user,
            document=doc,
            reviewers=form.reviewer_list(),
            countersigners=form.countersigner_pairs(),
            countersign_parallel=d["countersign_parallel"],
            signer=d["signer"],
            due_hours=d.get("due_hours"),
        ),
        _("审核流程已设置。"),
    )


@login_required
@require_POST
def draft_submit(request, pk):
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action="submit")
    reason = request.POST.get("override_reason", "")
    return _post_action(
        request,
        doc,
        lambda: services.document_submit_for_review(
            actor=request.user, document=doc, override_reason=reason, require_chain=True
        ),
        _("已送审。"),
    )


STEP_VIEW_ACTIONS = ("approve", "return", "delegate", "remind")


@login_required
@require_POST
def step_action(request, pk, step_id, action):
    """同意 / 退回 / 转办 / 催办 a step of the document's chain."""
    doc = document_get_for_user(user=request.user, id=pk)
    step = ReviewStep.objects.filter(document=doc, pk=step_id).select_related("document").first()
    if step is None or action not in STEP_VIEW_ACTIONS:
        raise not_found()
    access.step_access_for_action(actor=request.user, step=step, action=action)
    prefix = f"s{step.pk}"
    if action == "approve":
        form = ApproveForm(request.POST, prefix=prefix)
        form.is_valid()
        opinion = form.cleaned_data.get("opinion", "")
        return _post_action(
            request,
            doc,
            lambda: services.step_approve(actor=request.user, step=step, opinion=opinion),
            _("已办理。"),
        )
    if action == "return":
        form = ReturnForm(request.POST, prefix=prefix, targets=services.return_targets(doc, step))
        if not form.is_valid():
            return _refuse(request, doc, _("请选择退回环节并填写退回理由。"))
        d = form.cleaned_data
        return _post_action(
            request,
            doc,
            lambda: services.step_return(
                actor=request.user, step=step, to_stage=d["to_stage"], reason=d["reason"]
            ),
            _("已退回。"),
        )
    if action == "delegate":
        form = DelegateForm(request.POST, prefix=prefix)
        if not form.is_valid():
            return _refuse(request, doc, _("请选择转办人员。"))
        d = form.cleaned_data
        return _post_action(
            request,
            doc,
            lambda: services.step_delegate(
                actor=request.user, step=step, to_user=d["to_user"], reason=d["reason"]
            ),
            _("已转办。"),
        )
    return _post_action(
        request, doc, lambda: services.step_remind(actor=request.user, step=step), _("已催办。")
    )


DOCUMENT_VIEW_ACTIONS = ("register", "publish", "withdraw", "archive", "acknowledge")


@login_required
@require_POST
def document_action(request, pk, action):
    """登记 / 印发 / 撤回 / 归档 / 签收."""
    if action not in DOCUMENT_VIEW_ACTIONS:
        raise not_found()
    doc = document_get_for_user(user=request.user, id=pk)
    access.document_access_for_action(actor=request.user, document=doc, action=action)
    user = request.user
    if action == "register":
        return _post_action(
            request,
            doc,
            lambda: services.document_register_number(actor=user, document=doc),
            _("已登记发文字号。"),
        )
    if action == "publish":
        return _post_action(
            request, doc, lambda: services.document_publish(actor=user, document=doc), _("已印发。")
        )
    if action == "archive":
        return _post_action(
            request, doc, lambda: services.document_archive(actor=user, document=doc), _("已归档。")
        )
    if action == "acknowledge":
        return _post_action(
            request, doc, lambda: services.receipt_acknowledge(actor=user, document=doc), _("已签收。")
        )
    reason = request.POST.get("reason", "")
    return _post_action(
        request,
        doc,
        lambda: services.document_withdraw(actor=user, document=doc, reason=reason),
        _("已撤回，发文字号作空号登记。"),
    )


@login_required
def number_registers(request):
    """发文字号登记簿: every number of a (机关代字, year) with its document or its explained gap."""
    if not access.can_register(request.user):
        raise Forbidden(_("只有文书人员可以查看发文字号登记簿。"))
    registers = selectors.registers()
    prefix = request.GET.get("prefix") or (registers[0][0] if registers else "")
    try:
        year = int(request.GET.get("year") or (registers[0][1] if registers else timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    register = selectors.number_register(prefix=prefix, year=year)
    visible = set(
        access.document_scope(
            actor=request.user, qs=Document.objects.filter(prefix=prefix, year=year)
        ).values_list("pk", flat=True)
    )
    for row in register["rows"]:
        row["visible"] = row["document"] is not None and row["document"].pk in visible
    return render(request, "documents/number_register.html", {"registers": registers, "register": register})
