"""选题征集: a call per year with its deadline on the clock (a reminder from the ``research-call`` ladder
template before the deadline; a timer closes the call at the deadline); proposals from office staff and
from units (their liaisons on the portal or their API key)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.audit.services import audit_record
from office.clock.services import ladder_start, ladder_stop, timer_cancel, timer_schedule
from office.org.selectors import unit_of_user
from office.org.types import Actor

from .. import access, conf
from ..models import CallStatus, Proposal, ProposalStatus, TopicCall, TopicKind
from ..seed import ensure_default_ladders
from .common import ResearchError, acting_user, invalid

CALL_LADDER = "research-call"
CALL_DEADLINE_TIMER = "research.call_deadline"


def _locked(call: TopicCall | int) -> TopicCall:
    pk = call.pk if isinstance(call, TopicCall) else call
    found = TopicCall.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise ResearchError(_("选题征集不存在。"), code="not_found")
    return found


def reminder_anchor(call: TopicCall) -> datetime:
    return call.deadline - timedelta(days=conf.call_remind_days())


@transaction.atomic
def call_open(
    *,
    actor: Actor,
    year: int,
    title: str = "",
    description: str = "",
    deadline: datetime | None = None,
    opened_at: datetime | None = None,
) -> TopicCall:
    access.require_open_call(actor)
    opened_at = opened_at or timezone.now()
    deadline = deadline or opened_at + timedelta(days=conf.call_default_days())
    if deadline <= opened_at:
        raise invalid("deadline", _("截止时间必须晚于发布时间。"))
    if TopicCall.objects.filter(year=year).exists():
        raise invalid("year", _("%(year)s 年度的选题征集已经发布。") % {"year": year})
    call = TopicCall.objects.create(
        year=year,
        title=(title or "").strip() or _("%(year)s 年度调研课题选题征集") % {"year": year},
        description=description,
        opened_at=opened_at,
        deadline=deadline,
        opened_by=acting_user(actor),
    )
    audit_record(
        actor=actor, verb="research.call_opened", subject=call, data={"deadline": deadline.isoformat()}
    )
    ensure_default_ladders()
    ladder_start(subject=call, template_code=CALL_LADDER, anchor=reminder_anchor(call), actor=actor)
    timer_schedule(subject=call, kind=CALL_DEADLINE_TIMER, due_at=deadline)
    return call


@transaction.atomic
def call_close(*, actor: Actor, call: TopicCall | int) -> TopicCall:
    """Close the call (the clock at the deadline, or a manager earlier)."""
    call = _locked(call)
    access.call_access_for_action(actor=actor, call=call, action="close")
    if call.status == CallStatus.CLOSED:
        raise ResearchError(_("选题征集已经截止。"), code="conflict")
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status"])
    ladder_stop(subject=call, actor=actor, reason="征集截止")
    if actor is not None:  # the clock's own firing of the deadline timer is not cancelled under it
        timer_cancel(subject=call, kind=CALL_DEADLINE_TIMER)
    audit_record(
        actor=actor,
        verb="research.call_closed",
        subject=call,
        actor_label="" if actor is not None else "时钟",
        data={"proposals": call.proposals.count()},
    )
    return call


@transaction.atomic
def proposal_submit(
    *, actor: Actor, call: TopicCall | int, title: str, reasons: str, kind: str = TopicKind.SPECIAL
) -> Proposal:
    """A unit's or a staff member's proposal, with its reasons; for the proposer's own unit."""
    call = _locked(call)
    access.call_access_for_action(actor=actor, call=call, action="propose")
    unit = unit_of_user(actor)
    if unit is None:
        raise ResearchError(_("您没有所属单位，无法提出选题。"), code="forbidden")
    title, reasons = (title or "").strip(), (reasons or "").strip()
    errors: dict[str, list[str]] = {}
    if len(title) < 4:
        errors["title"] = [_("请填写建议选题（至少 4 个字）。")]
    if len(reasons) < 10:
        errors["reasons"] = [_("请写明选题理由（至少 10 个字）。")]
    if kind not in TopicKind.values:
        errors["kind"] = [_("课题类别不正确。")]
    if errors:
        raise ResearchError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    user = acting_user(actor)
    now = timezone.now()
    proposal = Proposal.objects.create(
        call=call,
        title=title,
        reasons=reasons,
        kind=kind,
        unit=unit,
        proposed_by=user,
        via_api=user is None,
        submitted_at=now,
        is_late=now > call.deadline,
    )
    audit_record(
        actor=actor,
        verb="research.proposal_submitted",
        subject=proposal,
        data={"call": call.pk, "unit": unit.pk, "title": title},
    )
    return proposal


@transaction.atomic
def proposal_decline(*, actor: Actor, proposal: Proposal | int) -> Proposal:
    pk = proposal.pk if isinstance(proposal, Proposal) else proposal
    row = Proposal.objects.select_for_update().select_related("call").filter(pk=pk).first()
    if row is None:
        raise ResearchError(_("选题建议不存在。"), code="not_found")
    access.call_access_for_action(actor=actor, call=row.call, action="proposals_all")
    if row.status != ProposalStatus.SUBMITTED:
        raise ResearchError(_("该建议已经处理。"), code="conflict")
    row.status = ProposalStatus.DECLINED
    row.save(update_fields=["status"])
    audit_record(actor=actor, verb="research.proposal_declined", subject=row)
    return row
