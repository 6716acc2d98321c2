"""Outputs and what they became. A report is a document of the documents app (``document_create``:
its versions, review chain and sign-off come with it), linked to the topic. Its evaluation (grade,
reviewer, remarks). Its adoption into decisions: a leader's affirmative instruction (批示), a resulting
document, a meeting decision (any object: a generic reference, the meetings app is not imported), a
supervision item."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.services.core import document_create
from office.audit.services import audit_record
from office.conf import office_setting
from office.org.selectors import leaders
from office.org.types import Actor

from .. import access
from ..models import Adoption, AdoptionKind, Grade, ResearchOutput, Topic
from .common import ResearchError, acting_user, id_or_none, invalid

ORIGIN = "research"


@transaction.atomic
def output_create(*, actor: Actor, topic: Topic | int, title: str, body: str) -> ResearchOutput:
    """A report of the topic, drafted as a 报告 in the documents app (version 1, the actor its drafter)."""
    pk = topic.pk if isinstance(topic, Topic) else topic
    topic_obj = Topic.objects.select_for_update().filter(pk=pk).first()
    if topic_obj is None:
        raise ResearchError(_("课题不存在。"), code="not_found")
    access.topic_access_for_action(actor=actor, topic=topic_obj, action="work")
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, list[str]] = {}
    if len(title) < 4:
        errors["title"] = [_("请填写成果名称（至少 4 个字）。")]
    if len(body) < 20:
        errors["body"] = [_("请填写成果正文（至少 20 个字）。")]
    if errors:
        raise ResearchError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    document = document_create(
        actor=actor,
        doc_type="report",
        title=title,
        body=body,
        main_recipients="市委",
        issuing_body="{office}政策研究室".format(office=office_setting("OFFICE_NAME", "中共某某市委办公室")),
        origin=ORIGIN,
        origin_ref=f"topic:{topic_obj.pk}",
    )
    output = ResearchOutput.objects.create(
        topic=topic_obj, document=document, title=title, created_by=acting_user(actor)
    )
    audit_record(
        actor=actor,
        verb="research.output_created",
        subject=topic_obj,
        data={"output": output.pk, "document": document.pk, "title": title},
    )
    return output


def _locked_output(output: ResearchOutput | int) -> ResearchOutput:
    pk = output.pk if isinstance(output, ResearchOutput) else output
    found = ResearchOutput.objects.select_for_update().select_related("topic").filter(pk=pk).first()
    if found is None:
        raise ResearchError(_("调研成果不存在。"), code="not_found")
    return found


@transaction.atomic
def output_evaluate(
    *, actor: Actor, output: ResearchOutput | int, grade: str, remarks: str = ""
) -> ResearchOutput:
    output = _locked_output(output)
    access.topic_access_for_action(actor=actor, topic=output.topic, action="evaluate")
    if grade not in Grade.values:
        raise invalid("grade", _("请选择评价等次（优秀、良好、合格、不合格）。"))
    remarks = (remarks or "").strip()
    if grade == Grade.FAIL and len(remarks) < 4:
        raise invalid("remarks", _("评为不合格须写明评价意见。"))
    previous = output.grade
    output.grade = grade
    output.remarks = remarks
    output.reviewer = acting_user(actor)
    output.evaluated_at = timezone.now()
    output.save(update_fields=["grade", "remarks", "reviewer", "evaluated_at"])
    audit_record(
        actor=actor,
        verb="research.output_evaluated",
        subject=output.topic,
        data={"output": output.pk, "grade": grade, "previous": previous},
    )
    return output


@transaction.atomic
def adoption_record(
    *,
    actor: Actor,
    output: ResearchOutput | int,
    kind: str,
    on: date | None = None,
    leader=None,
    leader_name: str = "",
    text: str = "",
    document=None,
    supervision_item=None,
    target=None,
    target_label: str = "",
    target_url: str = "",
) -> Adoption:
    """Link an output to what it became. ``target`` (a meeting decision, or any object) is stored as a
    generic reference with its label and URL; without it, ``target_label`` (and a URL) describe it."""
    output = _locked_output(output)
    access.topic_access_for_action(actor=actor, topic=output.topic, action="adopt")
    if kind not in AdoptionKind.values:
        raise invalid("kind", _("请选择转化方式。"))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise invalid("date", _("日期不能晚于今天。"))
    row = Adoption(
        output=output, kind=kind, date=on, text=(text or "").strip(), recorded_by=acting_user(actor)
    )
    if kind == AdoptionKind.INSTRUCTION:
        if leader:
            row.leader = leaders().filter(pk=id_or_none(leader)).first()
            if row.leader is None:
                raise invalid("leader", _("批示领导不存在。"))
        else:
            row.leader_name = (leader_name or "").strip()
            if not row.leader_name:
                raise invalid("leader", _("请选择或填写批示领导。"))
        if len(row.text) < 4:
            raise invalid("text", _("请填写批示内容。"))
    elif kind == AdoptionKind.DOCUMENT:
        from documents.selectors import document_get_for_user

        if not document:
            raise invalid("document", _("请选择形成的文件。"))
        try:
            row.document = document_get_for_user(user=actor, id=id_or_none(document) or 0)
        except Exception:
            raise invalid("document", _("文件不存在或您无权查看。")) from None
    elif kind == AdoptionKind.SUPERVISION:
        from supervision.selectors import item_get_for_user

        if not supervision_item:
            raise invalid("supervision_item", _("请选择督办事项。"))
        try:
            row.supervision_item = item_get_for_user(user=actor, id=id_or_none(supervision_item) or 0)
        except Exception:
            raise invalid("supervision_item", _("督办事项不存在或您无权查看。")) from None
    else:
        if target is not None:
            row.target_type = ContentType.objects.get_for_model(target)
            row.target_id = target.pk
            row.target_label = (target_label or str(target))[:200]
            url = target_url
            if not url and hasattr(target, "get_absolute_url"):
                try:
                    url = target.get_absolute_url()
                except Exception:
                    url = ""
            row.target_url = url[:300]
        else:
            row.target_label = (target_label or "").strip()[:200]
            row.target_url = (target_url or "").strip()[:300]
            if not row.target_label:
                raise invalid("target_label", _("请填写会议及决策事项。"))
        if row.target_url and not row.target_url.startswith("/"):
            raise invalid("target_url", _("链接须为本系统内的地址（以 / 开头）。"))
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        verb="research.output_adopted",
        subject=output.topic,
        data={"output": output.pk, "adoption": row.pk, "kind": kind, "label": row.label},
    )
    return row
