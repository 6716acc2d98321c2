"""Drafting: every save of the text is a version (author, time); a save carries the revision it started
from, and a stale one is refused with a conflict (the other person's save is kept, the user's text stays
in their form). Comments are anchored to a paragraph of a version and can be resolved."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.errors import Forbidden
from office.org.types import Actor

from .. import access
from ..models import Document, DocumentComment, DocumentVersion
from .common import DocumentError, display_name, locked, person


def paragraphs(text: str) -> list[str]:
    """The paragraphs comments and the diff anchor to: the lines of the text."""
    return (text or "").split("\n")


class DraftConflict(DocumentError):
    """A save based on a revision someone else has saved over. ``current`` is their version."""

    def __init__(self, message: str, *, current: DocumentVersion | None):
        super().__init__(message, code="conflict")
        self.current = current


@transaction.atomic
def document_save_text(
    *,
    actor: Actor,
    document: Document,
    base_revision: int,
    title: str,
    body: str,
    title_lines: str = "",
    main_recipients: str | None = None,
    copy_to: str | None = None,
    note: str = "",
) -> DocumentVersion | None:
    """Save the draft's text as a new version. ``base_revision`` is the revision the editor loaded; if
    someone saved since, DraftConflict (409) and nothing is written. An unchanged text writes nothing."""
    access.document_access_for_action(actor=actor, document=document, action="edit")
    doc = locked(document)
    title, body = (title or "").strip(), (body or "").replace("\r\n", "\n").rstrip()
    errors = {}
    if not title:
        errors["title"] = [_("请填写标题。")]
    if not body:
        errors["body"] = [_("请填写正文。")]
    if errors:
        raise DocumentError(_("请填写标题和正文。"), code="invalid", fields=errors)
    if int(base_revision) != doc.revision:
        current = doc.versions.select_related("author__staff").order_by("-number").first()
        who = display_name(current.author) if current else _("他人")
        when = f"{timezone.localtime(current.created_at):%Y-%m-%d %H:%M}" if current else ""
        raise DraftConflict(
            _(
                "保存冲突：{who}已于{when}保存了新的版本（第{n}版），您的修改没有保存。"
                "请对照对方的版本，在表单中保留的您的文本基础上修改后再保存。"
            ).format(who=who, when=when, n=current.number if current else doc.revision),
            current=current,
        )
    title_lines = (title_lines or "").replace("\r\n", "\n").strip()
    changed = (title, body, title_lines) != (doc.title, doc.body, doc.title_lines)
    fields = ["revision", "updated_at"]
    if main_recipients is not None and main_recipients.strip() != doc.main_recipients:
        doc.main_recipients, changed = main_recipients.strip(), True
        fields.append("main_recipients")
    if copy_to is not None and copy_to.strip() != doc.copy_to:
        doc.copy_to, changed = copy_to.strip(), True
        fields.append("copy_to")
    if not changed:
        return None
    doc.title, doc.body, doc.title_lines = title, body, title_lines
    doc.revision += 1
    doc.full_clean()
    doc.save(update_fields=[*fields, "title", "body", "title_lines"])
    last = doc.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DocumentVersion.objects.create(
        document=doc,
        number=last + 1,
        title=title,
        title_lines=title_lines,
        body=body,
        author=person(actor),
        note=(note or "").strip()[:200],
    )
    audit_record(
        actor=actor,
        verb="documents.draft_saved",
        subject=doc,
        data={"version": version.number, "revision": doc.revision},
    )
    return version


@transaction.atomic
def comment_add(*, actor: Actor, document: Document, paragraph: int, text: str) -> DocumentComment:
    """A comment on one paragraph of the current text (its index and the start of its words kept)."""
    access.document_access_for_action(actor=actor, document=document, action="comment")
    text = (text or "").strip()
    if not text:
        raise DocumentError(_("请填写批注内容。"), code="invalid", fields={"text": [_("请填写批注内容。")]})
    paras = paragraphs(document.body)
    try:
        index = int(paragraph)
    except (TypeError, ValueError):
        index = -1
    if not 0 <= index < len(paras):
        message = _("所选段落不存在，请刷新页面后重试。")
        raise DocumentError(message, code="invalid", fields={"paragraph": [message]})
    version = document.versions.order_by("-number").values_list("number", flat=True).first() or 1
    comment = DocumentComment.objects.create(
        document=document,
        version_number=version,
        paragraph=index,
        quote=paras[index][:200],
        text=text,
        author=person(actor),
    )
    audit_record(actor=actor, verb="documents.comment_added", subject=document, data={"paragraph": index})
    return comment


@transaction.atomic
def comment_resolve(*, actor: Actor, comment: DocumentComment) -> DocumentComment:
    """Mark a comment dealt with: its author or the drafter."""
    document = comment.document
    access.document_access_for_action(actor=actor, document=document, action="view")
    if not access.can_resolve_comment(actor, comment):
        raise Forbidden(_("只有批注人或拟稿人可以处理批注。"))
    comment = DocumentComment.objects.select_for_update().get(pk=comment.pk)
    if comment.resolved_at:
        return comment
    comment.resolved_at = timezone.now()
    comment.resolved_by = person(actor)
    comment.save(update_fields=["resolved_at", "resolved_by"])
    audit_record(
        actor=actor, verb="documents.comment_resolved", subject=document, data={"comment": comment.pk}
    )
    return comment
