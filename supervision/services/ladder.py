"""The three-strike ladder of the speech: 一次沟通，第二次发督办通知，第三次还没按进度解决直接通报批评.

Each miss (a milestone or the due date passed without a report, an acknowledgement not given, or a
step's new deadline passed) takes the item one rung higher; each rung sets a new deadline, armed as a
timer on the office clock. Urgent items enter at the notice. Catching up, an approved extension or
closing ends the open rung and cancels its timers.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import services as document_services
from documents.models import DocType
from documents.models import Urgency as DocUrgency
from documents.services import document_create, document_publish
from office.audit.services import audit_record
from office.notifications.services import notify, notify_units
from office.org.models import Unit
from office.org.types import Actor
from office.risks.hooks import risk_event
from office.workdays.services import add_working_days

from .. import access, conf
from ..models import ACTIVE_STATUSES, STEP_LEVEL, LadderStep, StepKind, SupervisionItem, Urgency
from . import timers
from .common import (
    SupervisionError,
    actor_user,
    audience_users,
    checked_item,
    director_users,
    item_units,
    item_url,
    supervision_office_head,
)

ORIGIN = "supervision"
LEVEL_KIND = {level: kind for kind, level in STEP_LEVEL.items()}


def _fmt(value) -> str:
    return f"{timezone.localtime(value):%Y年%-m月%-d日}" if value else "—"


def _unit_names(item) -> str:
    return "、".join(u.name for u in item_units(item)) or (item.lead_person or "")


def _communication_on_record(item):
    """The rung-1 talk that really took place on this item (logged by a commissioner), if any."""
    return (
        item.ladder_steps.filter(kind=StepKind.COMMUNICATION, logged_at__isnull=False)
        .order_by("-logged_at")
        .first()
    )


def _notice_body(item, step) -> str:
    """The notice says what really happened: a talk only when one was logged, the urgent rule when the
    item entered the ladder at the notice."""
    talk = _communication_on_record(item)
    if talk is not None:
        history = (
            f"督办室已于{_fmt(talk.contact_at or talk.logged_at)}与你单位{talk.contact_person}进行沟通，"
            f"商定“{talk.agreed.rstrip('。')}”，但该事项仍未按进度完成。"
        )
    elif item.urgency == Urgency.URGENT:
        history = "该事项为紧急督办事项，按照市委督查督办工作规定，直接发出督办通知。"
    else:
        history = "该事项仍未按进度完成。"
    return "\n".join(
        [
            f"{item.source_date and _fmt_date(item.source_date) or ''}"
            f"{'，' if item.source_date else ''}"
            f"{item.get_source_display()}{('（' + item.source_ref + '）') if item.source_ref else ''}"
            f"确定的“{item.title}”事项（督办编号{item.number}），由你单位牵头办理，要求{_fmt(item.due_at)}前办结。",
            f"经督查，该事项{step.trigger}。{history}",
            "根据市委督查督办工作规定，现予以督办通知，请你单位：",
            f"一、自收到本通知之日起{conf.step_working_days()['notice']}个工作日内，"
            "将办理进展和整改措施书面报送市委市政府督办室。",
            "二、主要负责同志亲自过问，明确责任人和完成时限，确保按期办结。",
            f"督办要求：{item.requirement}",
        ]
    )


def _fmt_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _measures_taken(item) -> list[str]:
    """What the office really did before the circular: the logged talk and the published notice."""
    measures = []
    talk = _communication_on_record(item)
    if talk is not None:
        measures.append(f"于{_fmt(talk.contact_at or talk.logged_at)}与责任单位沟通")
    notices = item.ladder_steps.filter(
        kind=StepKind.NOTICE, document__published_at__isnull=False
    ).select_related("document")
    for notice_step in notices:
        doc = notice_step.document
        measures.append(f"于{_fmt(doc.published_at)}发出督办通知（{doc.number}）")
    return measures


def _circular_body(item, step) -> str:
    measures = _measures_taken(item)
    history = f"督办过程中，督办室先后{'，'.join(measures)}，但" if measures else "督办过程中，"
    return "\n".join(
        [
            f"“{item.title}”（督办编号{item.number}）是{item.get_source_display()}确定的重点事项，"
            f"由{_unit_names(item)}负责办理，办结时限为{_fmt(item.due_at)}。",
            f"{history}该事项{step.trigger}，严重影响了市委决策部署的落实。",
            f"经市委办公室研究，决定对{_unit_names(item)}予以通报批评。",
            f"一、{_unit_names(item)}要深刻反思，自本通报印发之日起{conf.step_working_days()['circular']}个工作日内"
            "完成整改并书面报告。",
            "二、各单位要引以为戒，对照督办事项逐项检查，确保按时保质完成。",
        ]
    )


def _recipients_for_communication(item) -> list:
    commissioners = list(item.commissioners.filter(is_active=True))
    return commissioners or director_users()


@transaction.atomic
def ladder_register_miss(
    *, item: SupervisionItem | int, trigger: str, actor: Actor = None, from_step: LadderStep | None = None
) -> LadderStep | None:
    """One more miss on ``item``: open the next rung. Returns None when nothing climbed.

    ``from_step`` is the rung whose own deadline passed. While a rung is open, another deadline missed in the
    meantime does not climb again: the open rung's new deadline is the unit's chance to catch up, and
    the miss is recorded on the trail (so a unit that misses three dates at once gets a talk first).
    Run by the clock's handlers as the system (``actor=None``).
    """
    item = checked_item(actor=actor, item=item, action="escalate")
    if item.status not in ACTIVE_STATUSES:
        return None
    now = timezone.now()
    open_steps = list(item.ladder_steps.filter(resolved_at__isnull=True))
    if open_steps and (from_step is None or all(s.pk != from_step.pk for s in open_steps)):
        audit_record(
            actor=actor,
            actor_label="时钟",
            verb="supervision.miss_recorded",
            subject=item,
            data={"trigger": trigger, "open_step": open_steps[-1].pk},
        )
        return None
    # The rung in force is superseded by the higher one.
    for open_step in open_steps:
        LadderStep.objects.filter(pk=open_step.pk).update(resolved_at=now, resolution="升级")
        timers.cancel_step(open_step)
    if item.escalation_level >= 3:
        audit_record(
            actor=actor,
            actor_label="时钟",
            verb="supervision.miss_after_circular",
            subject=item,
            data={"trigger": trigger},
        )
        notify(
            recipients=audience_users(item, "late"),
            subject=item,
            step=f"miss_after_circular:{now:%Y%m%d%H%M}",
            title=_("{number}通报后仍未整改").format(number=item.number),
            body=trigger,
            url=item_url(item),
            level="urgent",
        )
        return None
    level = item.escalation_level + 1
    if item.urgency == Urgency.URGENT:
        level = max(level, STEP_LEVEL[StepKind(conf.urgent_start_step())])
    kind = LEVEL_KIND[level]
    step = LadderStep(
        item=item,
        level=level,
        kind=kind,
        trigger=trigger[:200],
        opened_at=now,
        due_at=add_working_days(now, conf.step_working_days()[kind]),
    )
    task_due_at = None
    if kind == StepKind.COMMUNICATION:
        task_due_at = step.task_due_at = add_working_days(now, conf.communication_log_working_days())
    step.full_clean()
    step.save()
    item.escalation_level = level
    item.save(update_fields=["escalation_level", "updated_at"])
    if kind == StepKind.COMMUNICATION:
        # A notice's or circular's own deadline runs from the day it goes out (after a person signs it).
        timers.timer_schedule(subject=step, kind=timers.STEP_DUE, due_at=step.due_at)
    audit_record(
        actor=actor,
        actor_label="时钟",
        verb=f"supervision.ladder_{kind}",
        subject=item,
        data={"level": level, "trigger": trigger, "step": step.pk, "due_at": step.due_at},
    )
    url = item_url(item)
    if task_due_at is not None:
        timers.timer_schedule(subject=step, kind=timers.COMMUNICATION_LOG_DUE, due_at=task_due_at)
        notify(
            recipients=_recipients_for_communication(item),
            subject=step,
            step="communication_task",
            title=_("请与责任单位沟通：{number} {title}").format(number=item.number, title=item.title),
            body=_("{trigger}。请于{task_due_at}前电话或上门沟通并记录沟通情况。").format(
                trigger=trigger, task_due_at=_fmt(step.task_due_at)
            ),
            url=url,
            level="warning",
        )
        units = item_units(item)
        if units:  # the unit (and its robot webhook, if any) learns the item escalated
            notify_units(
                units=units,
                subject=step,
                step="communication",
                title=_("督办事项未按进度推进：{number} {title}").format(
                    number=item.number, title=item.title
                ),
                body=_("{trigger}。督办室将与你单位沟通，请于{due_at}前补报。").format(
                    trigger=trigger, due_at=_fmt(step.due_at)
                ),
                url=url,
                level="warning",
            )
    elif kind == StepKind.NOTICE:
        _draft_notice(item, step)
    else:
        _draft_circular(item, step)
        risk_event(
            "supervision_circular",
            item,
            _("%(number)s %(title)s 被通报批评：%(trigger)s")
            % {"number": item.number, "title": item.title, "trigger": trigger},
            now,
            responsible=item.commissioners.first(),
            label=f"{item.number} {item.title}",
        )
    # 督办通知 and 通报批评: the commissioner who must follow it up hears too (SUPERVISION_NOTIFY); the
    # communication rung already gave the commissioner a task of its own above.
    notify(
        recipients=audience_users(item, "escalation") if kind != StepKind.COMMUNICATION else director_users(),
        subject=step,
        step="escalated",
        title=_("督办升级（{kind}）：{number} {title}").format(
            kind=step.get_kind_display(), number=item.number, title=item.title
        ),
        body=trigger,
        url=url,
        level="urgent" if kind != StepKind.COMMUNICATION else "warning",
    )
    return step


def signer_for(kind: str) -> list:
    """Who signs the ladder's documents (a person, never the system): ``SUPERVISION_NOTICE_SIGNER`` /
    ``SUPERVISION_CIRCULAR_SIGNER`` — "unit_head" (the head of the supervision office, the commissioners'
    chief) or "director". Falls back to the director when the office has no head on record."""
    choice = conf.notice_signer() if kind == StepKind.NOTICE else conf.circular_signer()
    if choice == "unit_head":
        head = supervision_office_head()
        if head is not None:
            return [head]
    return director_users()


def _send_for_sign_off(item, step, doc) -> None:
    """The draft goes up the chain: checked (核稿) by the item's commissioner when it has one, signed by
    the person of ``signer_for``; the clock chases the chain's steps."""
    signers = signer_for(step.kind)
    reviewers = [u for u in item.commissioners.filter(is_active=True) if u not in signers][:1]
    document_services.document_send_for_sign_off(
        document=doc, reviewers=reviewers, signer=signers[0] if signers else None
    )


def _draft_notice(item, step) -> None:
    doc = document_create(
        actor=None,
        doc_type=DocType.NOTICE,
        title=f"关于督促办理{item.title}的督办通知",
        body=_notice_body(item, step),
        main_recipients=_unit_names(item),
        issuing_body=conf.issuing_body(),
        origin=ORIGIN,
        origin_ref=f"item:{item.pk}",
        register_prefix=conf.notice_prefix(),  # numbered when registered after sign-off
        recipient_units=item_units(item),
        copy_to=conf.copy_to(),
        urgency=DocUrgency.URGENT if item.urgency == Urgency.URGENT else DocUrgency.NONE,  # printed 加急
    )
    LadderStep.objects.filter(pk=step.pk).update(document=doc)
    step.document = doc
    _send_for_sign_off(item, step, doc)


def _deliver(item, step, doc) -> None:
    """The signed notice or circular is out: the unit's new deadline counts from today."""
    due_at = add_working_days(timezone.now(), conf.step_working_days()[step.kind])
    LadderStep.objects.filter(pk=step.pk).update(due_at=due_at)
    step.due_at = due_at
    timers.timer_schedule(subject=step, kind=timers.STEP_DUE, due_at=due_at)


def _deliver_notice(item, step, doc) -> None:
    _deliver(item, step, doc)
    units = item_units(item)
    title = _("督办通知 {number}：{title}").format(number=doc.number, title=item.title)
    if units:
        notify_units(
            units=units,
            subject=step,
            step="notice",
            title=title,
            body=_("请于{due_at}前书面报送办理进展。").format(due_at=_fmt(step.due_at)),
            url=item_url(item),
            level="urgent",
        )
    if item.assignee_id:
        notify(
            recipients=[item.assignee],
            subject=step,
            step="notice",
            title=title,
            url=item_url(item),
            level="urgent",
        )


def _draft_circular(item, step) -> None:
    doc = document_create(
        actor=None,
        doc_type=DocType.CIRCULAR,
        title=f"关于{_unit_names(item)}督办事项落实不力的通报",
        body=_circular_body(item, step),
        main_recipients="各乡镇党委，市直各单位",
        issuing_body=conf.issuing_body(),
        origin=ORIGIN,
        origin_ref=f"item:{item.pk}",
        register_prefix=conf.circular_prefix(),  # numbered when registered after sign-off
        to_all_units=True,
        copy_to=conf.copy_to(),
    )
    LadderStep.objects.filter(pk=step.pk).update(document=doc)
    step.document = doc
    _send_for_sign_off(item, step, doc)


def document_signed(document) -> None:
    """Sign-off hook (documents → supervision), registered in ``SupervisionConfig.ready()``: a person
    signed the ladder's notice or circular. It is published; the notice goes to the item's units, the
    circular to every unit; the rung's deadline starts now. A rung closed meanwhile (the unit caught up)
    sends nothing."""
    step = LadderStep.objects.select_related("item").filter(document_id=document.pk).first()
    if step is None or document.doc_type not in (DocType.NOTICE, DocType.CIRCULAR):
        return
    if step.resolved_at is not None or not is_item_active(step.item):
        audit_record(
            actor=document.signer,
            verb="supervision.document_not_sent",
            subject=step.item,
            data={
                "document": document.pk,
                "number": document.number,
                "reason": step.resolution or "事项已结束",
            },
        )
        return
    # 登记 from the ladder's own register (督办通〔2026〕N号), then 印发: numbers are taken only by what is
    # really signed, so the register has no gap a draft left behind.
    document = document_services.document_register_number(actor=None, document=document)  # own register
    document = document_publish(actor=document.signer, document=document)
    if document.doc_type == DocType.NOTICE:
        _deliver_notice(step.item, step, document)
        audit_record(
            actor=document.signer,
            verb="supervision.notice_published",
            subject=step.item,
            data={"document": document.pk, "number": document.number},
        )
        return
    _deliver(step.item, step, document)
    units = list(Unit.objects.external().active())
    if units:
        notify_units(
            units=units,
            subject=step,
            step="circular_published",
            title=_("通报 {number}：{title}").format(number=document.number, title=document.title),
            url=f"/documents/{document.pk}/",
            level="warning",
        )
    audit_record(
        actor=document.signer,
        verb="supervision.circular_published",
        subject=step.item,
        data={"document": document.pk, "number": document.number},
    )


@transaction.atomic
def communication_log(
    *, actor: Actor, step, contact_mode: str, contact_person: str, contact_at, agreed: str
) -> LadderStep:
    """The commissioner's record of the call or visit of rung 1: who, when, what was agreed."""
    step = LadderStep.objects.select_for_update().select_related("item").get(pk=step.pk)
    access.item_access_for_action(actor=actor, item=step.item, action="communicate")
    if step.kind != StepKind.COMMUNICATION:
        raise SupervisionError(_("只有“沟通”步骤需要记录沟通情况。"))
    if step.logged_at:
        raise SupervisionError(_("沟通情况已记录。"))
    if not (contact_person or "").strip() or not (agreed or "").strip():
        raise SupervisionError(_("请填写沟通对象和商定事项。"), code="invalid")
    step.contact_mode = contact_mode
    step.contact_person = contact_person.strip()
    step.contact_at = contact_at
    step.agreed = agreed.strip()
    step.logged_by = actor_user(actor)
    step.logged_at = timezone.now()
    step.full_clean()
    step.save(
        update_fields=["contact_mode", "contact_person", "contact_at", "agreed", "logged_by", "logged_at"]
    )
    timers.timer_cancel(subject=step, kind=timers.COMMUNICATION_LOG_DUE)
    audit_record(
        actor=actor,
        verb="supervision.communication_logged",
        subject=step.item,
        data={"step": step.pk, "mode": contact_mode, "person": contact_person, "agreed": agreed},
    )
    return step


def is_item_active(item: SupervisionItem) -> bool:
    return item.status in ACTIVE_STATUSES
